"""The daily reminder job: the windows, once each, channels and languages, consent, failures, bounded work."""

from __future__ import annotations

import json
import threading
import time as time_module
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from apps.outreach.channels import Outcome, SendResult
from apps.registry.models import IpAsset, MsmeMember
from apps.reminders import jobs, messages, services
from apps.reminders.jobs import plan_tenant, send_due
from apps.reminders.models import ReminderDelivery
from apps.reminders.windows import lead_for
from tests.reminders.conftest import make_world

TODAY = timezone.localdate()


def _noon(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def run(world, day):
    """One day's job: plan, then send, as the beat job and its sending task do."""
    plan_tenant(world.tenant, today=day, now=_noon(day))
    return send_due(world.tenant, now=_noon(day))


@pytest.mark.parametrize(
    ("days_left", "lead"),
    [
        (120, None),
        (91, None),
        (90, 90),
        (60, 90),
        (31, 90),
        (30, 30),
        (29, 30),
        (10, 30),
        (8, 30),
        (7, 7),
        (1, 7),
        (0, 7),
        (-1, None),
    ],
)
def test_the_windows(days_left, lead):
    """Each lead time's window runs from its day down to the day after the next one's: a job that missed days
    still sends the reminder of the window it is in (30 with 29 left), never a passed one (90 with 10 left)."""
    assert lead_for(days_left) == lead


def test_each_member_gets_each_reminder_once_however_often_the_job_runs(world):
    world.asset(TODAY + timedelta(days=30))
    first = run(world, TODAY)
    assert first.sent == 2 and len(mail.outbox) == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["member1@rem.example.org", "member2@rem.example.org"]
    run(world, TODAY)  # a re-run the same day
    run(world, TODAY + timedelta(days=1))  # the next day: still the 30-day window, already sent
    assert len(mail.outbox) == 2
    rows = ReminderDelivery.objects.all()
    assert [(row.days_ahead, row.status) for row in rows] == [(30, "sent"), (30, "sent")]


def test_over_a_deadlines_last_hundred_days_each_member_gets_the_90_30_and_7_day_reminders_once(world):
    due = TODAY + timedelta(days=100)
    world.asset(due)
    for days_left in range(100, -2, -1):
        run(world, due - timedelta(days=days_left))
    leads = sorted(row.days_ahead for row in ReminderDelivery.objects.filter(status="sent"))
    assert leads == [7, 7, 30, 30, 90, 90] and len(mail.outbox) == 6
    sent_days = {
        (row.days_ahead, (row.due - timezone.localdate(row.sent_at)).days) for row in ReminderDelivery.objects.all()
    }
    assert sent_days == {(90, 90), (30, 30), (7, 7)}


def test_a_job_that_missed_days_sends_the_window_it_is_in_and_never_a_passed_one(world):
    due = TODAY + timedelta(days=100)
    world.asset(due)
    # Beat was down from 95 to 85 days before, and from 31 to 25 days before.
    down = set(range(85, 96)) | set(range(25, 32))
    for days_left in range(100, -1, -1):
        if days_left not in down:
            run(world, due - timedelta(days=days_left))
    sent_at = {
        row.days_ahead: (row.due - timezone.localdate(row.sent_at)).days for row in ReminderDelivery.objects.all()
    }
    assert sent_at == {90: 84, 30: 24, 7: 7}
    assert len(mail.outbox) == 6


def test_with_ten_days_left_the_30_day_reminder_goes_and_no_90_day_one(world):
    world.asset(TODAY + timedelta(days=10))
    run(world, TODAY)
    assert set(ReminderDelivery.objects.values_list("days_ahead", flat=True)) == {30}
    assert len(mail.outbox) == 2


def test_the_message_names_the_asset_the_deadline_the_date_and_links_to_the_asset(world):
    asset = world.asset(TODAY + timedelta(days=30), title="Kilima Roast")
    run(world, TODAY)
    message = mail.outbox[0]
    assert "Kilima Roast" in message.subject and "Trademark renewal" in message.subject
    due_text = (TODAY + timedelta(days=30)).strftime("%B")  # English month name (DATE_FORMAT "N j, Y")
    assert due_text[:3] in message.body
    assert f"{settings.PORTAL_URL}/registry/{world.msme.pk}/assets/{asset.pk}/edit/" in message.body
    assert f"{settings.PORTAL_URL}/reminders/" in message.body
    assert message.extra_headers["Message-ID"].startswith("<reminder-")


def test_the_message_is_in_the_msmes_language_with_its_date_format(world):
    world.msme.preferred_language = "fr"
    world.msme.save()
    due = TODAY + timedelta(days=30)
    world.asset(due)
    run(world, TODAY)
    with translation.override("fr"):
        french = date_format(due, "DATE_FORMAT")
    assert french != date_format(due, "DATE_FORMAT") and french in mail.outbox[0].body
    assert "Renouvellement de la marque" in mail.outbox[0].body  # the deadline's label, translated
    assert set(ReminderDelivery.objects.values_list("language", flat=True)) == {"fr"}


def test_sms_goes_once_to_the_msmes_phone_not_once_per_member(world):
    world.msme.preferred_channel = "sms"
    world.msme.phone = "+254 700 000 001"
    world.msme.save()
    world.asset(TODAY + timedelta(days=7), title="Baobab Crafts mark")
    path = Path(settings.OUTREACH_FILE_DIR) / "sms.jsonl"
    before = path.read_text().count("\n") if path.exists() else 0
    counts = run(world, TODAY)
    lines = [json.loads(line) for line in path.read_text().splitlines()[before:]]
    assert counts.sent == 1 and mail.outbox == []
    assert [(line["channel"], line["to"]) for line in lines] == [("sms", "+254700000001")]
    assert "Baobab Crafts mark" in lines[0]["body"] and "/assets/" in lines[0]["body"]


def test_no_phone_for_sms_means_no_row_so_it_goes_once_a_phone_is_added(world):
    world.msme.preferred_channel = "sms"
    world.msme.save()
    world.asset(TODAY + timedelta(days=30))
    result = plan_tenant(world.tenant, today=TODAY)
    assert result.no_address == 2 and not ReminderDelivery.objects.exists()
    world.msme.phone = "+254700000002"
    world.msme.save()
    assert run(world, TODAY + timedelta(days=1)).sent == 1


def test_an_msme_preferring_post_is_reminded_at_its_members_e_mail(world):
    world.msme.preferred_channel = "post"
    world.msme.save()
    world.asset(TODAY + timedelta(days=30))
    run(world, TODAY)
    assert len(mail.outbox) == 2 and set(ReminderDelivery.objects.values_list("channel", flat=True)) == {"email"}


def test_reminders_need_no_consent_to_outreach_but_a_member_can_turn_them_off(world):
    """Deadline reminders are the register's own service (the privacy notice: "remind it of deadlines and, only
    if it agreed, tell it about programmes"); the outreach consent covers news, events and offers of support."""
    assert world.msme.consent_outreach is False
    world.asset(TODAY + timedelta(days=30))
    services.reminder_settings_update(member=world.members[1], data={"enabled": False}, actor=None)
    result = plan_tenant(world.tenant, today=TODAY)
    send_due(world.tenant)
    assert result.turned_off == 1
    assert [message.to for message in mail.outbox] == [["member1@rem.example.org"]]


def test_a_member_can_keep_some_lead_times_only(world):
    services.reminder_settings_update(member=world.members[0], data={"remind_30": False}, actor=None)
    world.asset(TODAY + timedelta(days=30))
    run(world, TODAY)
    assert [message.to for message in mail.outbox] == [["member2@rem.example.org"]]


def test_a_row_is_not_sent_when_things_changed_between_planning_and_sending(world):
    asset = world.asset(TODAY + timedelta(days=30))
    plan_tenant(world.tenant, today=TODAY)
    asset.status = IpAsset.Status.LAPSED  # the deadline no longer applies
    asset.save()
    MsmeMember.objects.filter(pk=world.members[1].pk).delete()  # and one member left the business
    counts = send_due(world.tenant)
    assert counts.sent == 0 and mail.outbox == []
    assert counts.details == {
        "the user no longer acts for the MSME": 1,
        "the asset's dates changed: the deadline no longer applies": 1,
    }
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"skipped"}


def test_a_temporary_failure_is_tried_again_later_and_a_permanent_one_is_recorded(world, monkeypatch):
    world.asset(TODAY + timedelta(days=30))
    plan_tenant(world.tenant, today=TODAY)
    answers = [SendResult(Outcome.RETRY, "mail server: down"), SendResult(Outcome.FAILED, "550 no such user")]
    monkeypatch.setattr(jobs, "send_batch", lambda channel, messages: answers[: len(messages)])
    now = timezone.now()
    counts = send_due(world.tenant, now=now)
    assert (counts.retry, counts.failed) == (1, 1)
    # The first message of the batch got the temporary failure, the second the permanent one.
    retried = ReminderDelivery.objects.get(detail="mail server: down")
    failed = ReminderDelivery.objects.get(detail="550 no such user")
    assert (retried.status, retried.attempts, retried.detail) == ("pending", 1, "mail server: down")
    assert retried.next_attempt_at == now + jobs.RETRY_AFTER
    assert (failed.status, failed.detail) == ("failed", "550 no such user")
    monkeypatch.undo()
    assert send_due(world.tenant, now=now + timedelta(minutes=5)).sent == 0  # not yet
    assert send_due(world.tenant, now=now + timedelta(minutes=16)).sent == 1
    assert [message.to for message in mail.outbox] == [[retried.address]]
    retried.refresh_from_db()
    assert (retried.status, retried.attempts) == ("sent", 2)


def test_a_row_whose_message_cannot_be_composed_fails_alone_and_the_run_goes_on(world, monkeypatch):
    world.asset(TODAY + timedelta(days=30))
    plan_tenant(world.tenant, today=TODAY)
    broken = world.members[0].user.email
    compose = messages.outgoing

    def outgoing(**fields):
        if fields["address"] == broken:
            raise ValueError("Header values can't contain newlines")
        return compose(**fields)

    monkeypatch.setattr(messages, "outgoing", outgoing)
    # One row per batch, the broken one first: the next batch is still sent.
    ReminderDelivery.objects.filter(address=broken).update(next_attempt_at=timezone.now() - timedelta(minutes=1))
    counts = send_due(world.tenant, batch=1)
    assert (counts.sent, counts.failed, counts.retry) == (1, 1, 0)
    failed = ReminderDelivery.objects.get(address=broken)
    assert (failed.status, failed.detail, failed.claim) == ("failed", "could not be composed: ValueError", None)
    assert [message.to for message in mail.outbox] == [[world.members[1].user.email]]
    assert ReminderDelivery.objects.exclude(address=broken).get().status == "sent"


def test_a_backend_that_raises_puts_the_batch_back_for_a_later_try_and_the_run_goes_on(world, monkeypatch):
    world.asset(TODAY + timedelta(days=30))
    plan_tenant(world.tenant, today=TODAY)
    calls = []

    def raising(channel, batch):
        calls.append(len(batch))
        raise RuntimeError("provider answered nonsense")

    monkeypatch.setattr(jobs, "send_batch", raising)
    now = timezone.now()
    counts = send_due(world.tenant, now=now, batch=1)
    assert calls == [1, 1]  # the second batch was still tried
    assert (counts.retry, counts.sent, counts.failed) == (2, 0, 0)
    rows = list(ReminderDelivery.objects.all())
    assert {(row.status, row.detail, row.attempts) for row in rows} == {("pending", "sending failed: RuntimeError", 1)}
    assert {row.next_attempt_at for row in rows} == {now + jobs.RETRY_AFTER}
    assert all(row.claim is None for row in rows)
    monkeypatch.undo()
    # Not abandoned as interrupted: sent once the backoff has passed.
    assert send_due(world.tenant, now=now + jobs.STALE_AFTER + timedelta(minutes=1)).sent == 2
    assert len(mail.outbox) == 2


def test_a_row_left_sending_by_a_run_that_died_is_never_sent_again(world):
    world.asset(TODAY + timedelta(days=30))
    plan_tenant(world.tenant, today=TODAY)
    now = timezone.now()
    ReminderDelivery.objects.update(status="sending", claimed_at=now)  # claimed, then the worker was killed
    assert send_due(world.tenant, now=now + timedelta(minutes=5)).sent == 0
    counts = send_due(world.tenant, now=now + jobs.STALE_AFTER + timedelta(minutes=1))
    assert counts.interrupted == 2 and counts.sent == 0 and mail.outbox == []
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"failed"}
    plan_tenant(world.tenant, today=TODAY)  # and planning again makes no second row
    assert ReminderDelivery.objects.count() == 2


def test_planning_reads_the_register_in_chunks_with_queries_per_chunk_not_per_asset(world, monkeypatch):
    monkeypatch.setattr(jobs, "PLAN_CHUNK", 50)

    def queries(assets: int) -> int:
        ReminderDelivery.objects.all().delete()
        IpAsset.objects.all().delete()
        for n in range(assets):
            world.asset(TODAY + timedelta(days=20 + n % 60), title=f"Mark {n}")
        with CaptureQueriesContext(connection) as captured:
            result = plan_tenant(world.tenant, today=TODAY)
        assert result.assets == assets
        return len(captured)

    assert queries(3) == queries(40)  # one chunk either way
    assert queries(120) <= queries(3) * 3  # three chunks: three times one chunk's, at most


def test_the_daily_beat_job_plans_in_every_tenant_and_queues_the_sending(world, django_capture_on_commit_callbacks):
    from apps.reminders.tasks import daily_reminders, send_retries

    world.asset(TODAY + timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        planned = daily_reminders()
    assert planned == {"rem": 2}
    assert len(mail.outbox) == 2 and set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}
    with django_capture_on_commit_callbacks(execute=True):
        assert send_retries() == 0  # nothing waits for another try


def test_the_beat_schedule_runs_the_jobs():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["reminders.daily"] == 24 * 60 * 60 and schedule["reminders.send_retries"] == 30 * 60


# --- Two runs at once, for real (PostgreSQL: two connections) ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_send_each_reminder_once(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent transactions need PostgreSQL")
    from apps.tenants.context import tenant_context
    from apps.tenants.rls import autocommit_scope

    with transaction.atomic():
        world = make_world()
    with tenant_context(world.tenant), transaction.atomic():
        for n in range(3):
            world.asset(TODAY + timedelta(days=30 - n), title=f"Concurrent mark {n}")
    real_send = jobs.send_batch

    def slow_send(channel, messages):
        time_module.sleep(0.05)  # both runs hold claims at the same time
        return real_send(channel, messages)

    monkeypatch.setattr(jobs, "send_batch", slow_send)
    start = threading.Barrier(2)
    outcomes: list = []

    def one_run():
        try:
            with tenant_context(world.tenant), autocommit_scope("test: a run commits as it goes"):
                start.wait(10)
                with transaction.atomic():
                    plan_tenant(world.tenant, today=TODAY)
                outcomes.append(send_due(world.tenant, batch=1))
        except Exception as error:  # the test reads it
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(o.sent for o in outcomes) == 6 and all(o.sent for o in outcomes)  # shared, not repeated
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["member1@rem.example.org", "member2@rem.example.org"] * 3)
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 6
    with tenant_context(world.tenant), transaction.atomic():
        assert ReminderDelivery.objects.filter(status="sent").count() == 6
