"""A disk that fills while a ticket's files are stored (a new ticket, a member's or an agent's reply): a 507
that says so, never the 500 page, and nothing half-written: no ticket or reply without the files it was sent
with, and no file left on disk, neither the truncated one nor those stored before it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from apps.helpdesk.models import Attachment, Message, Ticket
from apps.tenants.context import tenant_context
from tests.disk_full import FULL, disk_fixture, page_text  # noqa: F401 (the fixture `disk`)
from tests.helpdesk.test_member_pages import PDF, PNG, client_of, form_data, open_ticket, ticket_url

pytestmark = pytest.mark.django_db


def test_a_ticket_whose_second_file_fills_the_disk_is_not_opened_and_keeps_no_file(desk, disk):
    disk.room = len(PDF) + 10  # the first file fits, the second does not
    files = [SimpleUploadedFile("scan.pdf", PDF), SimpleUploadedFile("logo.png", PNG)]
    response = client_of(desk.member).post(reverse("helpdesk:new"), form_data(confirmed="1", attachments=files))
    assert response.status_code == 507 and FULL in page_text(response)
    assert disk.partial_writes == 1
    assert disk.files() == []  # the whole first file too: its row is rolled back with the ticket
    with tenant_context(desk.tenant), transaction.atomic():
        assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_with_room_the_same_ticket_keeps_both_files(desk, disk):
    files = [SimpleUploadedFile("scan.pdf", PDF), SimpleUploadedFile("logo.png", PNG)]
    response = client_of(desk.member).post(reverse("helpdesk:new"), form_data(confirmed="1", attachments=files))
    assert response.status_code == 302
    with tenant_context(desk.tenant), transaction.atomic():
        stored = sorted(disk.root / name for name in Attachment.objects.values_list("file", flat=True))
    assert len(stored) == 2 and disk.files() == stored


@pytest.mark.parametrize("who", ["member", "agent"])
def test_a_reply_whose_file_fills_the_disk_is_not_posted(desk, disk, who):
    ticket = open_ticket(desk)
    with tenant_context(desk.tenant), transaction.atomic():
        before = Message.objects.filter(ticket_id=ticket.pk).count()
    disk.room = 3
    actor = desk.member if who == "member" else desk.agent
    url = ticket_url(ticket, "helpdesk:reply" if who == "member" else "helpdesk:work-reply")
    response = client_of(actor).post(
        url, {"body": "Here is our logo.", "attachments": [SimpleUploadedFile("l.png", PNG)]}
    )
    assert response.status_code == 507 and FULL in page_text(response)
    assert disk.files() == []
    with tenant_context(desk.tenant), transaction.atomic():
        assert Message.objects.filter(ticket_id=ticket.pk).count() == before
        assert not Attachment.objects.exists()


def test_no_exception_escapes_to_the_error_handler(desk, disk):
    disk.room = 0
    client = Client(raise_request_exception=True)  # an exception left to Django's 500 handler fails here
    client.force_login(desk.member.user)
    files = [SimpleUploadedFile("a.pdf", PDF)]
    response = client.post(reverse("helpdesk:new"), form_data(confirmed="1", attachments=files))
    assert response.status_code == 507
    assert "Something went wrong on our side" not in page_text(response)
