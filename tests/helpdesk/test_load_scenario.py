"""bench/load.py reads the forms from the pages and posts them as a browser would: on the real pages, what it
posts opens a ticket, answers it and takes the diagnostic to its result, so the benchmark measures real work."""

from __future__ import annotations

import random

import pytest

from apps.helpdesk.models import Message, Ticket
from apps.tenants.context import tenant_context
from bench.load import Unexpected, fill, find_form

FORM = "application/x-www-form-urlencoded"


def _post(client, path: str, body: str):
    return client.post(path, data=body, content_type=FORM)


@pytest.mark.django_db
def test_the_scenario_opens_a_ticket_and_the_agent_answers_it(client, desk):
    rng = random.Random(1)
    client.force_login(desk.member.user)
    form = find_form(client.get("/helpdesk/new/").content.decode(), "/helpdesk/new/", r"/helpdesk/new/")
    text = dict.fromkeys(form.empty, "How do I protect the name of my shop abroad?")
    response = _post(client, "/helpdesk/new/", fill(form, text, rng))
    if response.status_code == 200:  # the suggestions first, then sent anyway
        again = find_form(response.content.decode(), "/helpdesk/new/", r"/helpdesk/new/")
        response = _post(client, "/helpdesk/new/", fill(again, {}, rng))
    assert response.status_code == 302
    with tenant_context(desk.tenant):
        ticket = Ticket.objects.get(requester=desk.member.user)
        assert "shop abroad" in ticket.body

    client.force_login(desk.agent.user)
    path = f"/helpdesk/work/{ticket.pk}/"
    form = find_form(client.get(path).content.decode(), path, r"/reply/$")
    body = dict.fromkeys(form.empty, "One Madrid application covers the markets you name.")
    response = _post(client, form.action, fill(form, body, rng))
    assert response.status_code == 302
    with tenant_context(desk.tenant):
        assert Message.objects.filter(ticket=ticket, body__contains="Madrid application").exists()


@pytest.mark.django_db
def test_the_scenario_takes_the_diagnostic_to_its_result(client):
    rng = random.Random(2)
    path = "/diagnostic/step/1/"
    page = client.get(path).content.decode()
    for _ in range(12):
        form = find_form(page, path, r"/diagnostic/")
        response = _post(client, form.action or path, fill(form, {}, rng))
        assert response.status_code == 302, response.content[:500]
        path = response["Location"]
        if "/step/" not in path:
            break
        page = client.get(path).content.decode()
    assert client.get(path).status_code == 200
    assert "/step/" not in path


def test_a_page_without_the_form_is_an_error_of_the_scenario():
    with pytest.raises(Unexpected, match="none on /x/"):
        find_form('<form method="post" action="/elsewhere/"></form>', "/x/", r"/reply/$")
