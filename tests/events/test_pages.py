"""The events pages: the list (filters, constant queries), the event page with register / cancel and the
.ics download, the member's registrations, the staff's pages, and the signed feedback link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.events import services
from apps.events.models import Event, Feedback, Registration
from apps.events.tokens import SALT, feedback_token
from apps.outreach import outbox
from apps.outreach import tasks as outreach_tasks
from apps.outreach.models import OutboxMessage
from tests.factories import EventFactory, RegistrationFactory


def _login(client, world, who):
    client.force_login(world.actors[who].user)


def test_the_list_shows_upcoming_events_and_filters_them(client, world):
    world.event(title="Patents webinar")
    world.event(title="Design workshop", online_url="", venue="Chamber", city="Nairobi", kind="workshop")
    world.event(title="Old course", in_days=-20)
    _login(client, world, "msme_own")
    page = client.get(reverse("events:index"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Patents webinar" in body and "Design workshop" in body and "Old course" in body
    # What is to come first, soonest first; what is over after it.
    assert body.index("Patents webinar") < body.index("Old course")
    upcoming = client.get(reverse("events:index"), {"when": "upcoming", "online": "no"}).content.decode()
    assert "Design workshop" in upcoming and "Patents webinar" not in upcoming and "Old course" not in upcoming
    past = client.get(reverse("events:index"), {"when": "past"}).content.decode()
    assert "Old course" in past and "Patents webinar" not in past
    assert "Design workshop" not in client.get(reverse("events:index"), {"kind": "webinar"}).content.decode()


def test_a_bad_filter_is_a_400_with_the_form(client, world):
    _login(client, world, "agency")
    assert client.get(reverse("events:index"), {"kind": "party"}).status_code == 400


def test_the_list_reads_a_constant_number_of_queries(client, world):
    _login(client, world, "msme_own")
    EventFactory()
    client.get(reverse("events:index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("events:index"))
    for _ in range(30):
        EventFactory()
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("events:index")).status_code == 200
    assert len(many) == len(few)


def test_a_member_registers_on_the_event_page_and_cancels(client, world):
    event = world.event(title="Trademark clinic")
    _login(client, world, "msme_own")
    page = client.get(reverse("events:detail", kwargs={"event_pk": event.pk}))
    assert "Register my business" in page.content.decode()
    # The event's own time zone: Nairobi is UTC+3.
    assert "(Africa/Nairobi)" in page.content.decode()
    response = client.post(reverse("events:register", kwargs={"event_pk": event.pk}))
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    page = client.get(reverse("events:detail", kwargs={"event_pk": event.pk})).content.decode()
    assert "is registered" in page and event.online_url in page
    assert client.get(reverse("events:mine")).content.decode().count("Trademark clinic") == 1
    response = client.post(reverse("events:registration-cancel", kwargs={"registration_pk": registration.pk}))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_a_broker_that_is_down_does_not_undo_or_fail_a_registration(
    client, world, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    event = world.event()
    _login(client, world, "msme_own")
    with monkeypatch.context() as patch:
        patch.setattr(outbox.outbox_drain, "apply_async", refuse)
        # The confirmation is written with the registration and its sending queued once the request's
        # transaction commits: running those callbacks raises nothing.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("events:register", kwargs={"event_pk": event.pk}))
        assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.status == "confirmed"
    assert [record.getMessage() for record in caplog.records if "could not be queued" in record.getMessage()] == [
        "Task outreach.outbox_drain could not be queued",
    ]
    assert not mail.outbox
    [row] = OutboxMessage.objects.all()
    assert row.status == "queued" and row.key.startswith(f"events:confirmed:{registration.pk}:")
    # The outbox's beat sweep sends what the broker did not take, once.
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            outreach_tasks.outbox_sweep()
    [message] = mail.outbox
    assert message.to == [world.member.user.email] and event.title in message.subject


def test_a_registration_cancelled_before_its_confirmation_went_out_withdraws_it(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    event = world.event()
    _login(client, world, "msme_own")
    with monkeypatch.context() as patch:
        patch.setattr(outbox.outbox_drain, "apply_async", lambda *args, **kwargs: None)  # no worker took it yet
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("events:register", kwargs={"event_pk": event.pk}))
        registration = Registration.objects.get(event=event)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("events:registration-cancel", kwargs={"registration_pk": registration.pk}))
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert outreach_tasks.outbox_sweep()["drains"] == 0  # nothing left to send
    assert not mail.outbox
    [row] = OutboxMessage.objects.all()
    assert (row.status, row.skip_reason) == ("skipped", "the registration was cancelled before it was sent")


def test_registering_twice_shows_why(client, world):
    event = world.event()
    _login(client, world, "msme_own")
    client.post(reverse("events:register", kwargs={"event_pk": event.pk}))
    again = client.post(reverse("events:register", kwargs={"event_pk": event.pk}))
    assert again.status_code == 400
    assert "registered for the event already" in again.content.decode()


def test_the_ics_download(client, world):
    event = world.event(title="Webinar; with, commas")
    _login(client, world, "msme_own")
    response = client.get(reverse("events:ics", kwargs={"event_pk": event.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert f"UID:event-{event.pk}@" in text and "SEQUENCE:0" in text and "METHOD:PUBLISH" in text
    assert "SUMMARY:Webinar\\; with\\, commas" in text
    assert "DTSTART:" + event.starts_at.astimezone(timezone.UTC).strftime("%Y%m%dT%H%M%SZ") in text
    services.event_cancel(actor=world.staff, event=event)
    text = client.get(reverse("events:ics", kwargs={"event_pk": event.pk})).content.decode()
    assert "METHOD:CANCEL" in text and "SEQUENCE:1" in text and f"UID:event-{event.pk}@" in text


def test_staff_create_an_event_in_its_time_zone(client, world):
    _login(client, world, "agency")
    assert client.get(reverse("events:create")).status_code == 200
    response = client.post(
        reverse("events:create"),
        {
            "title": "Workshop on designs",
            "kind": "workshop",
            "language": "fr",
            "time_zone": "Africa/Nairobi",
            "starts_at": "2031-03-10T09:00",
            "ends_at": "2031-03-10T12:00",
            "venue": "Chamber of Commerce",
            "city": "Nairobi",
            "capacity": "20",
            "registration_open": "on",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.starts_at.astimezone(timezone.UTC).hour == 6  # 09:00 in Nairobi
    assert (event.capacity, event.language, event.created_by) == (20, "fr", world.staff.user)


def test_a_bad_event_form_is_shown_again_with_its_errors(client, world):
    _login(client, world, "agency")
    response = client.post(
        reverse("events:create"),
        {
            "title": "",
            "kind": "webinar",
            "language": "en",
            "time_zone": "UTC",
            "starts_at": "2031-03-10T09:00",
            "ends_at": "2031-03-10T08:00",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "form-errors" in body and "The event must end after it starts." in body
    assert not Event.objects.exists()


def test_staff_edit_register_on_behalf_mark_attendance_and_read_feedback(client, world):
    event = world.event(in_days=-0.05, hours=3)  # started a little while ago
    _login(client, world, "agency")
    edit = client.get(reverse("events:edit", kwargs={"event_pk": event.pk}))
    assert edit.status_code == 200 and 'value="Trademarks for small businesses"' in edit.content.decode()
    response = client.post(
        reverse("events:register", kwargs={"event_pk": event.pk}),
        {"registration_number": world.other_msme.registration_number, "name": "Juma", "email": ""},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert (registration.msme, registration.name) == (world.other_msme, "Juma")
    unknown = client.post(reverse("events:register", kwargs={"event_pk": event.pk}), {"registration_number": "NOPE"})
    assert unknown.status_code == 400 and "No MSME of the registry" in unknown.content.decode()
    page = client.get(reverse("events:registrations", kwargs={"event_pk": event.pk})).content.decode()
    assert "Juma" in page and f'name="attended-{registration.pk}"' in page
    response = client.post(
        reverse("events:attendance", kwargs={"event_pk": event.pk}), {f"attended-{registration.pk}": "yes"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended == "yes"
    Feedback.objects.create(registration=registration, rating=4, comment="Clear and useful.")
    summary = client.get(reverse("events:feedback-summary", kwargs={"event_pk": event.pk})).content.decode()
    assert "Clear and useful." in summary and "average 4.0" in summary


def test_attendance_ignores_crafted_ids_and_reads_non_canonical_ones(client, world):
    event = world.event(in_days=-0.05, hours=3)
    registration = RegistrationFactory(event=event)
    _login(client, world, "agency")
    url = reverse("events:attendance", kwargs={"event_pk": event.pk})
    # Not an id at all: nothing to mark, the form again.
    crafted = client.post(url, {"attended-foo": "yes"})
    assert crafted.status_code == 400
    assert "Mark the attendance of at least one registration." in crafted.content.decode()
    # An id spelt in upper case without hyphens is the same registration.
    response = client.post(url, {f"attended-{registration.pk.hex.upper()}": "yes", "attended-foo": "no"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended == "yes"


def test_the_feedback_link_takes_one_answer_without_signing_in(client, world):
    event = world.event(in_days=-1)
    registration = RegistrationFactory(event=event, msme=world.msme)
    url = reverse(
        "events:feedback",
        kwargs={"token": feedback_token(tenant_id=world.tenant.pk, registration_id=str(registration.pk))},
    )
    assert client.get(url).status_code == 200
    bad = client.post(url, {"rating": "9"})
    assert bad.status_code == 400
    assert client.post(url, {"rating": "5", "comment": "Great"}).status_code == 200
    assert Feedback.objects.get().rating == 5
    again = client.get(url)
    assert again.status_code == 200 and "recorded already" in again.content.decode()
    client.post(url, {"rating": "1"})
    assert Feedback.objects.count() == 1


def test_forged_expired_and_unknown_links_get_the_same_answer(client, world, monkeypatch):
    event = world.event(in_days=-1)
    registration = RegistrationFactory(event=event)
    good = feedback_token(tenant_id=world.tenant.pk, registration_id=str(registration.pk))
    unknown = feedback_token(tenant_id=world.tenant.pk, registration_id="8f7f1f5e-2f0e-4d4b-9a77-1d8d7f3f0a11")
    other_tenant = feedback_token(tenant_id=world.tenant.pk + 999, registration_id=str(registration.pk))
    forged = signing.dumps([world.tenant.pk, str(registration.pk)], salt="another-purpose")
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    answers = []
    for token in (unknown, other_tenant, forged, tampered, "x"):
        response = client.get(reverse("events:feedback", kwargs={"token": token}))
        answers.append((response.status_code, response.content.decode().split("<main")[-1]))
    real_time = __import__("time").time
    monkeypatch.setattr("time.time", lambda: real_time() + 61 * 24 * 3600)
    expired = client.get(reverse("events:feedback", kwargs={"token": good}))
    answers.append((expired.status_code, expired.content.decode().split("<main")[-1]))
    assert {status for status, _body in answers} == {404}
    assert len({body for _status, body in answers}) == 1
    assert SALT == "events.feedback"


def test_the_feedback_link_of_an_upcoming_event_is_refused(client, world):
    registration = RegistrationFactory(event=world.event())
    token = feedback_token(tenant_id=world.tenant.pk, registration_id=str(registration.pk))
    assert client.get(reverse("events:feedback", kwargs={"token": token})).status_code == 404


@pytest.mark.parametrize("who", ["helpdesk"])
def test_the_helpdesk_has_no_events_list(client, world, who):
    _login(client, world, who)
    assert client.get(reverse("events:index")).status_code == 403


def test_past_events_take_no_registration_on_the_page(client, world):
    event = world.event(in_days=-2)
    _login(client, world, "msme_own")
    page = client.get(reverse("events:detail", kwargs={"event_pk": event.pk})).content.decode()
    assert "This event is over." in page and "register-button" not in page
    assert client.post(reverse("events:register", kwargs={"event_pk": event.pk})).status_code == 400
    assert not Registration.objects.exists()
    assert timedelta(0) < timezone.now() - event.ends_at
