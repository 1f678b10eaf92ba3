"""Sending a campaign: one delivery row per MSME, skipped ones counted by reason, each message sent once,
retries with backoff, a killed worker's rows recovered without sending twice, rate limits per channel."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from apps.core.roles import Role
from apps.outreach import channels, ratelimit, sending, services, tasks
from apps.outreach.channels import Outcome, SendResult
from apps.outreach.models import Campaign, Delivery
from apps.tenants.context import tenant_context
from tests.factories import MsmeFactory, user_with_role
from tests.outreach.campaign_helpers import campaign_with_messages, consenting_msme

pytestmark = pytest.mark.django_db
Skip = Delivery.SkipReason


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.OUTREACH_FILE_DIR = str(tmp_path / "outreach")
    settings.OUTREACH_RATE_LIMITS = {"email": 0, "sms": 0, "whatsapp": 0}


def _sms_lines() -> list[dict]:
    path = channels.FileChannel("sms").path()
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _start(campaign, django_capture_on_commit_callbacks, actor=None) -> bool:
    with django_capture_on_commit_callbacks(execute=True):
        return services.campaign_send(campaign=campaign, actor=actor)


def test_each_consented_msme_gets_one_message_in_its_language_on_its_channel_and_the_rest_are_counted(
    tenant_a, django_capture_on_commit_callbacks
):
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(link_kind="diagnostic", link_value="start")
        english = consenting_msme(name="Anglo", preferred_language="en")
        french = consenting_msme(name="Franco", preferred_language="fr")
        arabic = consenting_msme(name="Arabo", preferred_language="ar")  # no Arabic message: the fallback
        texter = consenting_msme(name="Texter", preferred_channel="sms", phone="+254 700 000 001")
        MsmeFactory(name="Silent", email="silent@example.org")  # no consent
        consenting_msme(name="Nomail", email="")
        consenting_msme(name="Letters", preferred_channel="post")
        campaign.fallback_language = "en"
        campaign.save()
        assert _start(campaign, django_capture_on_commit_callbacks)
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.SENT and campaign.planned_at and campaign.finished_at
        by_to = {m.to[0]: m for m in mail.outbox}
        assert sorted(by_to) == sorted([english.email, french.email, arabic.email])
        assert by_to[english.email].subject == "News for Anglo"
        assert "/diagnostic/" in by_to[english.email].body
        assert "Agency A" in by_to[english.email].body
        assert by_to[french.email].subject == "Nouvelles pour Franco"
        assert by_to[arabic.email].subject == "News for Arabo"
        headers = by_to[english.email].extra_headers
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert (
            headers["List-Unsubscribe"].startswith("<http") and "/outreach/unsubscribe/" in headers["List-Unsubscribe"]
        )
        [sms] = _sms_lines()
        assert sms["to"] == "+254700000001" and sms["body"].startswith("Texter: http")
        assert "/outreach/unsubscribe/" in sms["body"]
        assert sms["reference"] == str(Delivery.objects.get(msme=texter).pk)
        counts = sending.counts_of(campaign)
        assert counts["sent"] == 4 and counts["skipped"] == 3 and counts["queued"] == 0 and counts["total"] == 7
        assert counts["skipped_by_reason"] == {
            Skip.NO_CONSENT: 1,
            Skip.UNSUBSCRIBED: 0,
            Skip.NO_ADDRESS: 1,
            Skip.NOT_ELECTRONIC: 1,
            Skip.NO_MESSAGE: 0,
            Skip.CANCELLED: 0,
        }


def test_a_msme_without_a_message_in_its_language_or_the_fallback_is_skipped(
    tenant_a, django_capture_on_commit_callbacks
):
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages()
        campaign.messages.filter(language="en").delete()
        consenting_msme(name="Anglo", preferred_language="en")
        _start(campaign, django_capture_on_commit_callbacks)
        assert list(Delivery.objects.values_list("status", "skip_reason")) == [("skipped", Skip.NO_MESSAGE)]
        assert mail.outbox == []


def test_sending_twice_or_re_running_the_tasks_sends_nothing_more(tenant_a, django_capture_on_commit_callbacks):
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages()
        for n in range(3):
            consenting_msme(name=f"Shop{n}")
        assert _start(campaign, django_capture_on_commit_callbacks)
        assert not _start(campaign, django_capture_on_commit_callbacks)  # a double click
        assert len(mail.outbox) == 3
        # A task delivered again (acks_late) or run by the sweep: nothing is planned or sent twice.
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENDING)
        campaign.refresh_from_db()
        assert sending.plan_campaign(campaign, tenant=tenant_a) == 0
        assert sending.send_due(str(campaign.pk), tenant=tenant_a) is False
        assert len(mail.outbox) == 3 and Delivery.objects.count() == 3


def test_an_msme_that_changed_channel_is_not_planned_a_second_time(tenant_a):
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        msme = consenting_msme(name="Mover", phone="+254700000009")
        sending.plan_campaign(campaign, tenant=tenant_a)
        msme.preferred_channel = "sms"
        msme.save()
        assert sending.plan_campaign(campaign, tenant=tenant_a) == 0
        assert Delivery.objects.filter(msme=msme).count() == 1


def test_planning_goes_chunk_by_chunk_with_the_same_queries_per_chunk(tenant_a, django_assert_max_num_queries):
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        for n in range(6):
            consenting_msme(name=f"Shop{n}")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            sending.plan_campaign(campaign, tenant=tenant_a, chunk=3)
        Delivery.objects.all().delete()
        Campaign.objects.filter(pk=campaign.pk).update(planned_at=None)
        for n in range(6, 12):
            consenting_msme(name=f"Shop{n}")
        with CaptureQueriesContext(connection) as more:
            assert sending.plan_campaign(campaign, tenant=tenant_a, chunk=3) == 12
        selects = [q for q in few.captured_queries if "outreach_delivery" in q["sql"] and "INSERT" in q["sql"]]
        inserts_more = [q for q in more.captured_queries if "outreach_delivery" in q["sql"] and "INSERT" in q["sql"]]
        assert len(selects) == 2 and len(inserts_more) == 4  # one insert per chunk, never per MSME
        # Two more chunks: a few queries each (a savepoint, the MSMEs, their rows, the unsubscribed, the insert).
        assert len(more.captured_queries) - len(few.captured_queries) <= 2 * 6


def test_a_temporary_failure_is_retried_after_a_backoff_then_failed_for_good(tenant_a, settings, monkeypatch):
    settings.OUTREACH_MAX_ATTEMPTS = 2
    monkeypatch.setattr(
        sending, "send_batch", lambda channel, messages: [SendResult(Outcome.RETRY, "451 busy")] * len(messages)
    )
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        consenting_msme(name="Busy")
        sending.plan_campaign(campaign, tenant=tenant_a)
        assert sending.send_due(str(campaign.pk), tenant=tenant_a) is False
        row = Delivery.objects.get()
        assert (row.status, row.attempts, row.last_error) == ("queued", 1, "451 busy")
        assert row.next_attempt_at > timezone.now() + timedelta(seconds=50)
        assert sending.claim_batch(campaign, size=10) == []  # not before its time
        later = row.next_attempt_at + timedelta(seconds=1)
        batch = sending.claim_batch(campaign, size=10, now=later)
        sending.send_claimed(
            campaign, batch, tenant=tenant_a, messages={m.language: m for m in campaign.messages.all()}
        )
        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_error) == ("failed", 2, "451 busy")
        assert sending.finish_if_done(campaign)
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.SENT
        assert sending.counts_of(campaign)["failed"] == 1


def test_a_refused_address_fails_at_once(tenant_a, monkeypatch):
    monkeypatch.setattr(
        sending, "send_batch", lambda channel, messages: [SendResult(Outcome.FAILED, "550 no")] * len(messages)
    )
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        consenting_msme(name="Gone")
        sending.plan_campaign(campaign, tenant=tenant_a)
        sending.send_due(str(campaign.pk), tenant=tenant_a)
        assert list(Delivery.objects.values_list("status", "attempts", "last_error")) == [("failed", 1, "550 no")]


@pytest.mark.parametrize(("backend", "second"), [("smtp", "failed"), ("locmem", "queued")])
def test_a_batch_whose_backend_raised_is_retried_blindly_only_once(tenant_a, settings, monkeypatch, backend, second):
    settings.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"

    def broken(channel, messages):
        raise RuntimeError("provider bug")

    monkeypatch.setattr(sending, "send_batch", broken)
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        consenting_msme(name="Shop")
        sending.plan_campaign(campaign, tenant=tenant_a)
        messages = {m.language: m for m in campaign.messages.all()}
        sending.send_claimed(campaign, sending.claim_batch(campaign, size=10), tenant=tenant_a, messages=messages)
        row = Delivery.objects.get()
        assert (row.status, row.attempts) == ("queued", 1)
        later = row.next_attempt_at + timedelta(seconds=1)
        batch = sending.claim_batch(campaign, size=10, now=later)
        sending.send_claimed(campaign, batch, tenant=tenant_a, messages=messages)
        row.refresh_from_db()
        # SMTP cannot tell whether the first try went out: a second blind try would risk a third message.
        assert (row.status, row.attempts) == (second, 2)
        assert "provider bug" in row.last_error


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_rows_left_sending_by_a_killed_worker_are_recovered_without_writing_a_message_twice(
    tenant_a, settings, channel
):
    settings.OUTREACH_STALE_SENDING_SECONDS = 60
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        for n in range(4):
            consenting_msme(name=f"Shop{n}", preferred_channel=channel, phone=f"+25470000000{n}")
        sending.plan_campaign(campaign, tenant=tenant_a)
        # The worker claims two rows and sends them, and is killed before it marks them.
        claimed = sending.claim_batch(campaign, size=2)
        rendered = [
            channels.OutgoingMessage(
                channel=channel,
                to=d.address,
                subject="s",
                body="b",
                reference=str(d.pk),
                headers={"X-Outreach-Reference": str(d.pk)} if channel == "email" else {},
            )
            for d in claimed
        ]
        channels.send_batch(channel, rendered)
        assert Delivery.objects.filter(status="sending").count() == 2
        assert sending.requeue_stale() == 0  # not stale yet: its worker may still be at it
        assert sending.requeue_stale(now=timezone.now() + timedelta(seconds=61)) == 2
        assert sending.send_due(str(campaign.pk), tenant=tenant_a) is False
        written = [m.to[0] for m in mail.outbox] if channel == "email" else [line["to"] for line in _sms_lines()]
        assert len(written) == 4 and len(set(written)) == 4
        assert Delivery.objects.filter(status="sent").count() == 4


def test_the_sweep_starts_due_campaigns_and_resumes_lost_ones(tenant_a, settings, django_capture_on_commit_callbacks):
    with tenant_context(tenant_a), transaction.atomic():
        due = campaign_with_messages()
        Campaign.objects.filter(pk=due.pk).update(
            status=Campaign.Status.SCHEDULED, scheduled_for=timezone.now() - timedelta(minutes=1)
        )
        later = campaign_with_messages()
        Campaign.objects.filter(pk=later.pk).update(
            status=Campaign.Status.SCHEDULED, scheduled_for=timezone.now() + timedelta(hours=1)
        )
        consenting_msme(name="Shop")
    with django_capture_on_commit_callbacks(execute=True):
        totals = tasks.sweep()
    assert totals["started"] == 1
    with tenant_context(tenant_a), transaction.atomic():
        assert Campaign.objects.get(pk=due.pk).status == Campaign.Status.SENT
        assert Campaign.objects.get(pk=later.pk).status == Campaign.Status.SCHEDULED
        assert len(mail.outbox) == 1
        # A campaign whose sending task was lost: its queued rows are sent by the next sweep.
        lost = campaign_with_messages(status=Campaign.Status.SENDING)
        sending.plan_campaign(lost, tenant=tenant_a)
        sending.chain_end(str(lost.pk))  # its task is lost: the chain's key expired
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep()["resumed"] == 1
    assert len(mail.outbox) == 2


def test_a_cancelled_campaign_stops_sending(tenant_a):
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        consenting_msme(name="Shop")
        sending.plan_campaign(campaign, tenant=tenant_a)
        assert services.campaign_cancel(campaign=campaign, actor=None)
        assert sending.send_due(str(campaign.pk), tenant=tenant_a) is False
        row = Delivery.objects.get()
        assert mail.outbox == [] and (row.status, row.skip_reason) == ("skipped", Skip.CANCELLED)
        counts = sending.counts_of(campaign)
        assert counts["queued"] == 0 and counts["skipped_by_reason"][Skip.CANCELLED] == 1
        assert not services.campaign_cancel(campaign=campaign, actor=None)


def test_the_rate_limit_is_shared_per_second_and_waits_for_the_next_one(settings):
    settings.OUTREACH_RATE_LIMITS = {"email": 10}
    now = [1000.2]
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        now[0] += seconds

    ratelimit.wait_for_slots("email", 6, clock=lambda: now[0], sleep=sleep)
    assert slept == []
    ratelimit.wait_for_slots("email", 6, clock=lambda: now[0], sleep=sleep)  # 4 left in this second, 2 in the next
    assert slept == [0.8]
    ratelimit.wait_for_slots("sms", 1000, clock=lambda: now[0], sleep=sleep)  # no limit set
    assert slept == [0.8]


def test_the_rate_limit_paces_locally_when_the_cache_fails(settings, monkeypatch):
    settings.OUTREACH_RATE_LIMITS = {"email": 10}

    def broken(*args, **kwargs):
        raise ValueError("no Redis")

    monkeypatch.setattr(ratelimit.cache, "incr", broken)
    slept = []
    ratelimit.wait_for_slots("email", 5, sleep=slept.append)
    assert slept == [0.5]


def test_a_test_send_goes_to_the_actor_only_and_records_nothing(tenant_a, django_capture_on_commit_callbacks):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a, email="staff@example.org")
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages()
        consenting_msme(name="Sample", preferred_language="fr")
        with django_capture_on_commit_callbacks(execute=True):
            assert services.campaign_send_test(campaign=campaign, actor=staff, language="fr")
        [message] = mail.outbox
        assert message.to == ["staff@example.org"] and message.subject == "Nouvelles pour Sample"
        assert Delivery.objects.count() == 0


def test_file_channel_already_sent_ignores_a_torn_line(settings, tmp_path):
    settings.OUTREACH_FILE_DIR = str(tmp_path)
    backend = channels.FileChannel("sms")
    backend.send_batch([channels.OutgoingMessage("sms", "+1", "", "b", reference="r1")])
    with open(backend.path(), "a") as handle:
        handle.write('{"channel": "sms", "reference": "r2", "bo')
    assert backend.already_sent(["r1", "r2", "r3"]) == {"r1"}
    assert Path(backend.path()).exists()


def test_a_preview_and_a_test_send_carry_the_survey_preview_never_an_msme_s_answer_link(
    tenant_a, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from apps.outreach import selectors
    from tests.factories import SurveyFactory

    staff = user_with_role(Role.AGENCY_STAFF, tenant_a, email="staff@example.org")
    with tenant_context(tenant_a), transaction.atomic():
        survey = SurveyFactory()
        campaign = campaign_with_messages(link_kind="survey", link_value=str(survey.pk))
        consenting_msme(name="Sample")
        preview_path = reverse("surveys:preview", args=[survey.pk])
        rendered, msme = selectors.preview(campaign, language="en", channel="email", tenant=tenant_a)
        assert msme.name == "Sample" and rendered.subject == "News for Sample"
        assert preview_path in rendered.body and "/answer/" not in rendered.body
        with django_capture_on_commit_callbacks(execute=True):
            assert services.campaign_send_test(campaign=campaign, actor=staff, language="en")
        [message] = mail.outbox
        assert preview_path in message.body and "/answer/" not in message.body


def test_a_slow_worker_whose_rows_were_taken_back_neither_sends_nor_marks_them(tenant_a, settings):
    settings.OUTREACH_STALE_SENDING_SECONDS = 60
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # cannot tell what it sent
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        for n in range(2):
            consenting_msme(name=f"Shop{n}")
        sending.plan_campaign(campaign, tenant=tenant_a)
        messages = {m.language: m for m in campaign.messages.all()}
        slow = sending.claim_batch(campaign, size=10)
        # The sweep takes the rows back while worker A is still at it; worker B claims and marks them.
        later = timezone.now() + timedelta(seconds=61)
        assert sending.requeue_stale(now=later) == 2
        fast = sending.claim_batch(campaign, size=10, now=later)
        assert len(fast) == 2
        assert sending.still_mine(slow) == set() and sending.still_mine(fast) == {d.pk for d in fast}
        # A's marks touch none of B's rows, whatever A's backend answered.
        answers = {str(d.pk): SendResult(Outcome.RETRY, "451 busy") for d in slow}
        result = sending.BatchResult()
        sending._mark(slow, answers, [], result)
        assert result == sending.BatchResult()
        assert set(Delivery.objects.values_list("status", "claimed_at")) == {("sending", later)}
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert sending.send_claimed(campaign, fast, tenant=tenant_a, messages=messages).sent == 2
        # A, late, sends nothing: its rows are no longer its own (and are sent).
        assert sending.send_claimed(campaign, slow, tenant=tenant_a, messages=messages) == sending.BatchResult()
        assert len(mail.outbox) == 2
        sending._mark(slow, answers, [], sending.BatchResult())
        assert list(Delivery.objects.values_list("status", flat=True)) == ["sent", "sent"]


def test_the_sweep_starts_no_second_chain_while_one_is_alive(tenant_a, monkeypatch):
    started = []
    monkeypatch.setattr(tasks, "enqueue_for_tenant", lambda task, campaign_id: started.append((task.name, campaign_id)))
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages(status=Campaign.Status.SENDING)
        consenting_msme(name="Shop")
        sending.plan_campaign(campaign, tenant=tenant_a)  # as a running planning task: its chain is alive
        assert tasks.sweep_tenant(tenant_a)["resumed"] == 0
        sending.chain_end(str(campaign.pk))  # the chain died (its key expired)
        assert tasks.sweep_tenant(tenant_a)["resumed"] == 1
        assert tasks.sweep_tenant(tenant_a)["resumed"] == 0  # the one just started is alive
        assert started == [("outreach.campaign_send_batches", str(campaign.pk))]
