"""The agency staff's helpdesk settings: queues (hours, agents, SLA targets, canned replies) and routing
rules; bad input shown back with its errors, another agency's rows and division queues out of reach."""

from __future__ import annotations

import logging
import re
from datetime import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.roles import Role
from apps.guidance.topics import topic_slugs
from apps.helpdesk import configuration
from apps.helpdesk.models import CannedReply, Queue, QueueAgent, RoutingRule, SlaTarget
from apps.helpdesk.routing import route
from apps.helpdesk.sla import DEFAULT_TARGETS
from tests.factories import TenantFactory, user_with_role

pytestmark = pytest.mark.django_db

SETTINGS = reverse("helpdesk:settings")
NEW_QUEUE = reverse("helpdesk:settings-queue-new")
NEW_RULE = reverse("helpdesk:settings-rule-new")


def _queue_url(queue: Queue) -> str:
    return reverse("helpdesk:settings-queue", kwargs={"queue_pk": queue.pk})


def _rule_url(rule: RoutingRule, name: str = "helpdesk:settings-rule") -> str:
    return reverse(name, kwargs={"rule_pk": rule.pk})


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def staff(client, desk):
    client.force_login(desk.agency.user)
    return client


@pytest.fixture
def elsewhere(db):
    """Another agency with its queue and rule."""
    tenant = TenantFactory()
    queue = Queue.objects.create(tenant=tenant, name="Elsewhere desk", is_default=True)
    rule = RoutingRule.objects.create(tenant=tenant, position=1, queue=queue)
    return tenant, queue, rule


def _queue_post(**overrides) -> dict:
    data = {
        "action": "queue",
        "name": "Trademarks desk",
        "languages": ["en", "fr"],
        "time_zone": "Africa/Nairobi",
        "country": "KE",
        "opens_at": "08:30",
        "closes_at": "16:30",
        "work_days": ["0", "1", "2", "3", "4"],
        "auto_assign": "on",
        "is_active": "on",
    }
    data.update(overrides)
    return data


# --- the overview -------------------------------------------------------------------------------------


def test_the_overview_lists_the_agencys_queues_and_rules_only(staff, desk, elsewhere):
    RoutingRule.objects.create(tenant=desk.tenant, position=1, language="fr", queue=desk.division_queue)
    response = staff.get(SETTINGS)
    page = _text(response)
    assert response.status_code == 200
    assert "Agency helpdesk" in page and _queue_url(desk.queue) in page
    assert "Elsewhere desk" not in page
    assert "AMC Good Offices" not in re.search(r'id="settings-queues".*?</table>', page, re.S).group(0)
    rules = re.findall(r'data-rule="(\d+)"', page)
    assert rules == [str(RoutingRule.objects.get(tenant=desk.tenant).pk)]
    assert str(elsewhere[2].pk) not in rules
    # The agents count of the agency's queue: its one agent.
    assert re.search(rf'data-queue="{desk.queue.pk}".*?<td class="text-end">1</td>', page, re.S)


def test_the_overview_has_empty_states(client, db):
    tenant = TenantFactory()
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant))
    page = _text(client.get(SETTINGS))
    assert 'id="no-queues"' in page and 'id="no-rules"' in page


@pytest.mark.parametrize("who", ["member", "agent", "division_agent"])
def test_other_roles_are_refused(client, desk, who):
    client.force_login(getattr(desk, who).user)
    assert client.get(SETTINGS).status_code == 403
    assert client.get(_queue_url(desk.queue)).status_code == 403
    assert client.post(NEW_RULE, {"queue": desk.queue.pk}).status_code == 403


def test_query_count_stays_constant_with_many_queues_and_rules(staff, desk):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(SETTINGS).status_code == 200
        return len(queries)

    few = count()
    for index in range(15):
        queue = Queue.objects.create(tenant=desk.tenant, name=f"Queue {index}")
        QueueAgent.objects.create(queue=queue, user=desk.agent.user)
        RoutingRule.objects.create(tenant=desk.tenant, position=index + 1, queue=queue)
    assert count() == few


def test_queue_page_query_count_stays_constant(staff, desk):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(_queue_url(desk.queue)).status_code == 200
        return len(queries)

    few = count()
    for index in range(10):
        agent = user_with_role(Role.HELPDESK_AGENT, desk.tenant)
        QueueAgent.objects.create(queue=desk.queue, user=agent)
        CannedReply.objects.create(queue=desk.queue, title=f"Reply {index}", body="Hello {msme_name}")
    assert count() == few


# --- queues ---------------------------------------------------------------------------------------------


def test_staff_create_a_queue(staff, desk, caplog):
    topic = topic_slugs()[0]
    with caplog.at_level(logging.INFO, logger="apps.helpdesk.configuration"):
        response = staff.post(NEW_QUEUE, _queue_post(topics=[topic]))
    queue = Queue.objects.get(tenant=desk.tenant, name="Trademarks desk")
    assert response.status_code == 302 and response["Location"] == _queue_url(queue)
    assert queue.languages == ["en", "fr"] and queue.topics == [topic]
    assert (queue.time_zone, queue.country) == ("Africa/Nairobi", "KE")
    assert (queue.opens_at, queue.closes_at, queue.work_days) == (time(8, 30), time(16, 30), [0, 1, 2, 3, 4])
    assert queue.auto_assign and queue.is_active and not queue.is_default
    assert f"user {desk.agency.user.pk} created Queue #{queue.pk}" in caplog.text


def test_the_new_queue_form_shows(staff):
    response = staff.get(NEW_QUEUE)
    assert response.status_code == 200 and 'id="queue-form"' in _text(response)


def test_staff_edit_hours_and_make_a_queue_the_default(staff, desk):
    other = Queue.objects.create(tenant=desk.tenant, name="Second")
    response = staff.post(
        _queue_url(other),
        _queue_post(name="Second", is_default="on", work_days=["5", "6"], time_zone="UTC", country=""),
    )
    assert response.status_code == 302
    other.refresh_from_db()
    desk.queue.refresh_from_db()
    assert other.is_default and not desk.queue.is_default
    assert other.work_days == [5, 6] and other.opens_at == time(8, 30)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "is not a known time zone"),
        ({"country": "ZZ"}, "country", "No public holidays are known"),
        ({"opens_at": "17:00", "closes_at": "09:00"}, "closes_at", "must close after it opens"),
        ({"opens_at": "09:00", "closes_at": "09:00"}, "closes_at", "must close after it opens"),
        ({"work_days": []}, "work_days", "Pick at least one working day"),
        ({"work_days": ["9"]}, "work_days", "Select a valid choice"),
        ({"languages": ["xx"]}, "languages", "Select a valid choice"),
        ({"languages": []}, "languages", "required"),
        ({"topics": ["no-such-topic"]}, "topics", "Select a valid choice"),
        ({"name": "x" * 10_000}, "name", "at most 120"),
        ({"opens_at": "99:99"}, "opens_at", "Enter a valid time"),
        ({"time_zone": "x" * 10_000}, "time_zone", "at most 64"),
    ],
)
def test_bad_queue_input_is_shown_back(staff, desk, overrides, field, message):
    before = Queue.objects.filter(pk=desk.queue.pk).values().get()
    response = staff.post(_queue_url(desk.queue), _queue_post(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    assert Queue.objects.filter(pk=desk.queue.pk).values().get() == before


def test_another_agencys_queue_and_a_division_queue_are_404(staff, desk, elsewhere):
    for queue in (elsewhere[1], desk.division_queue):
        assert staff.get(_queue_url(queue)).status_code == 404
        assert staff.post(_queue_url(queue), _queue_post()).status_code == 404
    assert Queue.objects.get(pk=elsewhere[1].pk).name == "Elsewhere desk"


# --- agents ---------------------------------------------------------------------------------------------


def test_staff_add_mark_lead_and_remove_an_agent(staff, desk):
    newcomer = user_with_role(Role.HELPDESK_AGENT, desk.tenant, email="newcomer@example.org")
    page = _text(staff.get(_queue_url(desk.queue)))
    assert f'<option value="{newcomer.pk}">' in page
    assert f'<option value="{desk.member.user.pk}">' not in page  # a member is no agent
    response = staff.post(_queue_url(desk.queue), {"action": "agent-add", "user": newcomer.pk})
    assert response.status_code == 302
    membership = QueueAgent.objects.get(queue=desk.queue, user=newcomer)
    assert not membership.is_lead
    staff.post(_queue_url(desk.queue), {"action": "agent-lead", "membership": membership.pk, "is_lead": "1"})
    membership.refresh_from_db()
    assert membership.is_lead
    staff.post(_queue_url(desk.queue), {"action": "agent-remove", "membership": membership.pk})
    assert not QueueAgent.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("value", ["other-agent", "member", "division", "abc", "9" * 40])
def test_only_the_agencys_agents_can_be_added(staff, desk, elsewhere, value):
    users = {
        "other-agent": user_with_role(Role.HELPDESK_AGENT, elsewhere[0]).pk,
        "member": desk.member.user.pk,
        "division": desk.division_agent.user.pk,
    }
    response = staff.post(_queue_url(desk.queue), {"action": "agent-add", "user": users.get(value, value)})
    assert response.status_code == 400
    assert "Pick one of the agency" in _text(response)
    assert QueueAgent.objects.filter(queue=desk.queue).count() == 1


def test_a_membership_of_another_queue_cannot_be_removed(staff, desk):
    foreign = QueueAgent.objects.get(queue=desk.division_queue)
    response = staff.post(_queue_url(desk.queue), {"action": "agent-remove", "membership": foreign.pk})
    assert response.status_code == 400
    assert QueueAgent.objects.filter(pk=foreign.pk).exists()


# --- SLA targets ----------------------------------------------------------------------------------------


def test_sla_targets_show_the_inherited_ones_and_are_saved(staff, desk):
    page = _text(staff.get(_queue_url(desk.queue)))
    response, resolution = DEFAULT_TARGETS[("first_time", "urgent")]
    assert f'name="first__first_time__urgent" value="" placeholder="{response}"' in page
    assert f'name="resolution__first_time__urgent" value="" placeholder="{resolution}"' in page
    post = {"action": "sla", "first__first_time__urgent": "30", "resolution__first_time__urgent": "240"}
    assert staff.post(_queue_url(desk.queue), post).status_code == 302
    target = SlaTarget.objects.get(queue=desk.queue, tier="first_time", priority="urgent")
    assert (target.first_response_minutes, target.resolution_minutes) == (30, 240)
    # Both emptied: the queue's own target goes, the inherited one applies again.
    assert staff.post(_queue_url(desk.queue), {"action": "sla"}).status_code == 302
    assert not SlaTarget.objects.filter(queue=desk.queue).exists()


@pytest.mark.parametrize(
    ("first", "resolution", "message"),
    [
        ("0", "10", "between 1 and"),
        ("10", "525601", "between 1 and"),
        ("9" * 50, "9" * 50, "between 1 and"),
        ("abc", "10", "whole numbers"),
        ("100", "50", "cannot be due before"),
        ("10", "", "or neither"),
    ],
)
def test_bad_sla_minutes_are_shown_back(staff, desk, first, resolution, message):
    post = {
        "action": "sla",
        "first__experienced__high": first,
        "resolution__experienced__high": resolution,
        "first__first_time__low": "10",
        "resolution__first_time__low": "20",
    }
    response = staff.post(_queue_url(desk.queue), post)
    assert response.status_code == 400
    assert message in _text(response)
    assert f'value="{first}"' in _text(response)  # what was typed is shown back
    assert not SlaTarget.objects.filter(queue=desk.queue).exists()  # nothing saved, not even the valid row


# --- canned replies -------------------------------------------------------------------------------------


def test_staff_add_edit_and_delete_a_canned_reply(staff, desk):
    page = _text(staff.get(_queue_url(desk.queue)))
    assert "<code>{msme_name}</code>" in page and "<code>{reference}</code>" in page and 'id="no-replies"' in page
    body = "Dear {requester_name}, about {reference}: ..."
    staff.post(_queue_url(desk.queue), {"action": "canned-save", "title": "Welcome", "body": body})
    reply = CannedReply.objects.get(queue=desk.queue)
    assert (reply.title, reply.body) == ("Welcome", body)
    staff.post(_queue_url(desk.queue), {"action": "canned-save", "reply": reply.pk, "title": "Hello", "body": "Hi"})
    reply.refresh_from_db()
    assert (reply.title, reply.body) == ("Hello", "Hi")
    staff.post(_queue_url(desk.queue), {"action": "canned-delete", "reply": reply.pk})
    assert not CannedReply.objects.filter(pk=reply.pk).exists()


def test_bad_canned_replies_are_shown_back_and_other_queues_replies_untouched(staff, desk):
    response = staff.post(_queue_url(desk.queue), {"action": "canned-save", "title": "", "body": "x" * 6000})
    assert response.status_code == 400
    assert set(response.context["canned_form"].errors) == {"title", "body"}
    foreign = CannedReply.objects.create(queue=desk.division_queue, title="AMC", body="...")
    response = staff.post(_queue_url(desk.queue), {"action": "canned-delete", "reply": foreign.pk})
    assert response.status_code == 404
    assert CannedReply.objects.filter(pk=foreign.pk).exists()
    for odd in ("²", "9" * 30, "-1", "1.0"):
        assert staff.post(_queue_url(desk.queue), {"action": "canned-delete", "reply": odd}).status_code == 404


# --- routing rules --------------------------------------------------------------------------------------


def test_staff_add_a_rule_to_a_division_queue_edit_move_and_delete(staff, desk):
    topic = topic_slugs()[0]
    post = {"topic": topic, "language": "fr", "tier": "", "queue": desk.division_queue.pk, "is_active": "on"}
    assert staff.post(NEW_RULE, post).status_code == 302
    first = RoutingRule.objects.get(tenant=desk.tenant)
    assert (first.topic, first.language, first.queue, first.position) == (topic, "fr", desk.division_queue, 1)
    staff.post(NEW_RULE, {"queue": desk.queue.pk, "tier": "ip_office", "is_active": "on"})
    second = RoutingRule.objects.get(tenant=desk.tenant, tier="ip_office")
    assert second.position == 2
    staff.post(_rule_url(second, "helpdesk:settings-rule-move"), {"direction": "up"})
    assert list(RoutingRule.objects.filter(tenant=desk.tenant).order_by("position")) == [second, first]
    staff.post(_rule_url(first), {"language": "es", "queue": desk.queue.pk})
    first.refresh_from_db()
    assert (first.topic, first.language, first.queue, first.is_active) == ("", "es", desk.queue, False)
    staff.post(_rule_url(first), {"delete": "1"})
    assert list(RoutingRule.objects.filter(tenant=desk.tenant)) == [second]


@pytest.mark.parametrize(
    ("post", "field"),
    [
        ({"queue": "999999"}, "queue"),
        ({"queue": "9" * 40}, "queue"),
        ({"queue": ""}, "queue"),
        ({"queue": "OTHER"}, "queue"),
        ({"queue": "QUEUE", "language": "xx"}, "language"),
        ({"queue": "QUEUE", "tier": "gold"}, "tier"),
        ({"queue": "QUEUE", "topic": "x" * 5000}, "topic"),
    ],
)
def test_bad_rules_are_shown_back(staff, desk, elsewhere, post, field):
    values = {"QUEUE": str(desk.queue.pk), "OTHER": str(elsewhere[1].pk)}
    post = {key: values.get(value, value) for key, value in post.items()}
    response = staff.post(NEW_RULE, post)
    assert response.status_code == 400
    assert field in response.context["rule_form"].errors
    assert not RoutingRule.objects.filter(tenant=desk.tenant).exists()


def test_another_agencys_rule_and_a_platform_rule_are_404(staff, desk, elsewhere):
    platform = RoutingRule.objects.create(tenant=None, position=1, queue=desk.division_queue)
    for rule in (elsewhere[2], platform):
        assert staff.post(_rule_url(rule), {"queue": desk.queue.pk}).status_code == 404
        assert staff.post(_rule_url(rule), {"delete": "1"}).status_code == 404
        assert staff.post(_rule_url(rule, "helpdesk:settings-rule-move"), {"direction": "up"}).status_code == 404
    assert RoutingRule.objects.filter(pk__in=[elsewhere[2].pk, platform.pk]).count() == 2
    assert RoutingRule.objects.get(pk=elsewhere[2].pk).queue == elsewhere[1]


def test_moving_past_the_ends_keeps_the_order(staff, desk):
    rules = [RoutingRule.objects.create(tenant=desk.tenant, position=10 * i, queue=desk.queue) for i in (1, 2)]
    staff.post(_rule_url(rules[0], "helpdesk:settings-rule-move"), {"direction": "up"})
    staff.post(_rule_url(rules[1], "helpdesk:settings-rule-move"), {"direction": "down"})
    staff.post(_rule_url(rules[1], "helpdesk:settings-rule-move"), {"direction": "sideways"})
    assert list(RoutingRule.objects.filter(tenant=desk.tenant).values_list("pk", "position")) == [
        (rules[0].pk, 1),
        (rules[1].pk, 2),
    ]


def test_get_on_the_rule_routes_is_not_allowed(staff, desk):
    rule = RoutingRule.objects.create(tenant=desk.tenant, position=1, queue=desk.queue)
    assert staff.get(NEW_RULE).status_code == 405
    assert staff.get(_rule_url(rule)).status_code == 405


def test_a_bad_rule_edit_is_shown_on_its_row_and_changes_nothing(staff, desk, elsewhere):
    rule = RoutingRule.objects.create(tenant=desk.tenant, position=1, language="fr", queue=desk.queue)
    response = staff.post(_rule_url(rule), {"language": "en", "queue": elsewhere[1].pk})
    assert response.status_code == 400
    row = re.search(rf'data-rule="{rule.pk}">(.*?)</li>', _text(response), re.S).group(1)
    assert 'id="form-errors"' in row
    assert response.context["rule_form"].errors == {}  # the add form stays fresh
    rule.refresh_from_db()
    assert (rule.language, rule.queue) == ("fr", desk.queue)


def test_a_queue_keeps_a_language_the_pages_are_not_in(staff, desk):
    desk.queue.languages = ["en", "sw"]
    desk.queue.save()
    page = _text(staff.get(_queue_url(desk.queue)))
    assert 'value="sw"' in page
    response = staff.post(_queue_url(desk.queue), _queue_post(languages=["en", "sw"], time_zone="UTC", country=""))
    assert response.status_code == 302
    desk.queue.refresh_from_db()
    assert desk.queue.languages == ["en", "sw"]
    # A new queue is offered the portal's languages only.
    assert staff.post(NEW_QUEUE, _queue_post(languages=["sw"])).status_code == 400


def test_a_rule_added_on_the_page_routes_new_tickets(staff, desk):
    staff.post(NEW_RULE, {"language": "es", "queue": desk.division_queue.pk, "is_active": "on"})
    assert route(tenant=desk.tenant, topic="", language="es", tier="first_time") == desk.division_queue
    assert route(tenant=desk.tenant, topic="", language="en", tier="first_time") == desk.queue


def test_the_write_functions_check_the_policy(desk, elsewhere):
    values = {
        "name": "Q",
        "languages": ["en"],
        "topics": [],
        "time_zone": "UTC",
        "country": "",
        "opens_at": time(9),
        "closes_at": time(17),
        "work_days": [0],
        "is_default": False,
        "auto_assign": False,
        "is_active": True,
    }
    with pytest.raises(PermissionDenied):
        configuration.queue_save(actor=desk.agent, **values)
    with pytest.raises(PermissionDenied):
        configuration.queue_save(actor=desk.agency, queue=elsewhere[1], **values)
    with pytest.raises(PermissionDenied):
        configuration.rule_delete(actor=desk.agency, rule=elsewhere[2])
    with pytest.raises(PermissionDenied):
        configuration.canned_reply_save(actor=desk.agency, queue=desk.division_queue, title="t", body="b")
    assert Queue.objects.get(pk=elsewhere[1].pk).name == "Elsewhere desk"


def test_huge_ids_in_the_path_are_404(staff):
    huge = "9" * 30
    assert staff.get(f"/helpdesk/settings/queues/{huge}/").status_code == 404
    assert staff.post(f"/helpdesk/settings/rules/{huge}/", {"delete": "1"}).status_code == 404
    assert staff.post(f"/helpdesk/settings/rules/{huge}/move/", {"direction": "up"}).status_code == 404
