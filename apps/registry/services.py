"""Registry services: every write to an MSME or IP asset goes through here, with its audit record."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.roles import Role
from apps.registry import rules
from apps.registry.deadlines import deadlines_for_assets
from apps.registry.erasure import ERASED, erase_elsewhere
from apps.registry.importing import undo
from apps.registry.importing.files import import_data_erase
from apps.registry.models import ImportJob, IpAsset, IsicCode, Msme, MsmeMember
from apps.registry.sizing import size_class_expression, size_class_for
from apps.tenants import audit
from apps.tenants.audit import AuditEvent
from apps.tenants.context import tenant_context
from apps.tenants.models import Membership, Tenant
from apps.tenants.scope import role_for

logger = logging.getLogger(__name__)

# Personal data removed by an erasure; the rest (size, sector, region, flags, maturity) is kept
# so that statistics stay right.
PERSONAL_FIELDS = ("name", "registration_number", "email", "phone", "website")

# What the agency checks when it verifies an MSME: who the business legally is (its name, its
# registration number, and whether it is registered at all). A change by anyone but agency staff
# sends the MSME back to pending verification.
IDENTITY_FIELDS = ("name", "registration_number", "is_informal")


def _apply(msme: Msme, data: dict[str, Any]) -> None:
    for name, value in data.items():
        setattr(msme, name, value)
    if isinstance(msme.sector_isic, IsicCode):
        msme.sector_section = msme.sector_isic.section
    msme.size_class = size_class_for(
        employees=msme.employees, turnover_eur=msme.annual_turnover_eur, tenant=msme.tenant
    ).value


def acts_for_agency(*, tenant: Tenant, actor: Any) -> bool:
    """Whether `actor` acts as the tenant's agency staff (no actor: an operator's script, for the agency;
    a platform admin: an operator in the Django admin)."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    if role_for(actor, None) == Role.PLATFORM_ADMIN:
        return True  # the operators, in the Django admin, work for every agency
    return Membership.objects.filter(tenant=tenant, user_id=actor.pk, role=Role.AGENCY_STAFF).exists()


def registration_number_error(*, tenant: Tenant, number: str, msme: Msme | None = None, actor: Any) -> str | None:
    """Why `number` cannot be this MSME's registration number, in words fit for `actor`; None if it can.

    Only agency staff learn that another MSME holds it: to anyone else (a member, a visitor
    registering their business) that would tell what the agency's registry holds.
    """
    if not rules.registration_number_taken(tenant=tenant, number=number, msme=msme):
        return None
    return rules.registration_number_message(for_agency=acts_for_agency(tenant=tenant, actor=actor))


def _check_unique(msme: Msme, *, actor: Any) -> None:
    # full_clean() skips the (tenant, registration_number) constraint, as `tenant` is excluded.
    error = registration_number_error(tenant=msme.tenant, number=msme.registration_number, msme=msme, actor=actor)
    if error:
        raise ValidationError({"registration_number": error})


def _check_rules(msme: Msme, *, changed: set[str] | None = None) -> None:
    """The registry's rules (apps.registry.rules) on the MSME's profile: on a new MSME all of it, on an update the
    fields that changed (a row stored before a rule was tightened stays editable in its other fields)."""
    values = {name: getattr(msme, name) for name in rules.MSME_FIELDS if changed is None or name in changed}
    for name, value in rules.msme_normalised(values, country=msme.tenant.country).items():
        setattr(msme, name, value)
    errors = rules.msme_errors(values, country=msme.tenant.country)
    if errors:
        raise ValidationError(errors)


def _check_asset_rules(asset: IpAsset) -> None:
    values = rules.asset_normalised({name: getattr(asset, name) for name in rules.ASSET_FIELDS})
    asset.jurisdiction = values["jurisdiction"]
    errors = rules.asset_errors(values)
    if errors:
        raise ValidationError(errors)


def stamp_consent(msme: Msme, *, was: bool, source: str, now: Any = None) -> None:
    """When consent turns on, record when and how; when it is off, nothing is kept."""
    if msme.consent_outreach and not was:
        msme.consent_given_at = now or timezone.now()
        msme.consent_source = source
    elif not msme.consent_outreach:
        msme.consent_given_at = None
        msme.consent_source = ""


@transaction.atomic
def msme_create(
    *, tenant: Tenant, data: dict[str, Any], actor: Any = None, consent_source: str = Msme.ConsentSource.AGENCY
) -> Msme:
    msme = Msme(tenant=tenant)
    _apply(msme, data)
    stamp_consent(msme, was=False, source=consent_source)
    _check_rules(msme)
    msme.full_clean(exclude=["tenant"])
    _check_unique(msme, actor=actor)
    msme.save()
    audit.record(instance=msme, action=AuditEvent.Action.CREATE, actor=actor, changes=audit.snapshot(msme))
    return msme


@transaction.atomic
def msme_update(
    *, msme: Msme, data: dict[str, Any], actor: Any = None, consent_source: str = Msme.ConsentSource.AGENCY
) -> Msme:
    """Change an MSME's profile and record it; an identity change by anyone but agency staff needs verifying."""
    # From the database: a ModelForm has already written its values onto `msme`.
    stored = Msme.objects.get(pk=msme.pk)
    before = audit.snapshot(stored)
    had_consent = stored.consent_outreach
    _apply(msme, data)
    stamp_consent(msme, was=had_consent, source=consent_source)
    after = audit.snapshot(msme)
    if (
        stored.verification == Msme.Verification.VERIFIED
        and any(before[name] != after[name] for name in IDENTITY_FIELDS)
        and not acts_for_agency(tenant=msme.tenant, actor=actor)
    ):
        # The agency verified another identity than this one: it checks the new one again.
        msme.verification = Msme.Verification.PENDING
    _check_rules(msme, changed={name for name in rules.MSME_FIELDS if getattr(stored, name) != getattr(msme, name)})
    msme.full_clean(exclude=["tenant"])
    changes = audit.diff(before, audit.snapshot(msme))
    if "registration_number" in changes:
        _check_unique(msme, actor=actor)
    if changes:
        msme.save()
        audit.record(instance=msme, action=AuditEvent.Action.UPDATE, actor=actor, changes=changes)
    return msme


@transaction.atomic
def msme_consent_withdraw(*, msme: Msme, actor: Any = None, source: str) -> bool:
    """Turn the MSME's outreach consent off and record it (`source`: how it was withdrawn, e.g. the
    unsubscribe link); True if it was on. Only the consent fields are written: a row stored before a rule
    was tightened must not keep its owner from withdrawing consent, so the rest is not validated again."""
    stored = Msme.objects.select_for_update().get(pk=msme.pk)
    if not stored.consent_outreach:
        return False
    before = audit.snapshot(stored)
    stored.consent_outreach = False
    stamp_consent(stored, was=True, source="")
    stored.save(update_fields=["consent_outreach", "consent_given_at", "consent_source", "updated_at"])
    changes = audit.diff(before, audit.snapshot(stored))
    audit.record(
        instance=stored,
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        changes={**changes, "consent_withdrawn_through": [None, source]},
    )
    msme.consent_outreach, msme.consent_given_at, msme.consent_source = False, None, ""
    return True


@transaction.atomic
def msme_verify(*, msme: Msme, actor: Any) -> Msme:
    if msme.verification != Msme.Verification.VERIFIED:
        msme.verification = Msme.Verification.VERIFIED
        msme.save(update_fields=["verification", "updated_at"])
        audit.record(
            instance=msme,
            action=AuditEvent.Action.VERIFY,
            actor=actor,
            changes={"verification": [Msme.Verification.PENDING, Msme.Verification.VERIFIED]},
        )
    return msme


# The most MSMEs one bulk verification takes: a list page's rows at most (apps.registry.views.PAGE_SIZE is 25).
VERIFY_MANY_MAX = 100


@transaction.atomic
def msme_verify_many(*, ids: list[str], actor: Any) -> int:
    """Verify the active tenant's pending MSMEs among `ids`, each audited as `msme_verify` would; returns how
    many were verified. Ids of another tenant's MSMEs or of verified ones are passed over: the scoped manager
    never finds the former. Too many or malformed ids are a ValidationError, and nothing is written."""
    if len(ids) > VERIFY_MANY_MAX:
        raise ValidationError(
            _("Select at most %(max)d MSMEs at a time (%(count)d were selected).")
            % {"max": VERIFY_MANY_MAX, "count": len(ids)}
        )
    try:
        keys = {uuid.UUID(str(value)) for value in ids}
    except ValueError as error:
        raise ValidationError(_("The selection is not valid: reload the page and select again.")) from error
    # Locked while verified, so that two clerks verifying the same rows record one event each row.
    pending = Msme.objects.select_for_update().filter(pk__in=keys, verification=Msme.Verification.PENDING)
    verified = 0
    for msme in pending.order_by("id"):
        msme_verify(msme=msme, actor=actor)
        verified += 1
    return verified


@transaction.atomic
def msme_set_maturity(*, msme: Msme, level: int | None, assessed_on: date | None, actor: Any) -> Msme:
    return msme_update(
        msme=msme,
        data={"maturity_level": level, "maturity_assessed_at": assessed_on if level else None},
        actor=actor,
    )


@transaction.atomic
def msme_delete(*, msme: Msme, actor: Any) -> None:
    audit.record(instance=msme, action=AuditEvent.Action.DELETE, actor=actor, changes=audit.snapshot(msme))
    msme.delete()


@transaction.atomic
def msme_erase(*, msme: Msme, actor: Any) -> Msme:
    """Remove the MSME's personal data everywhere the portal keeps it: the registry, its IP assets, its history,
    the import files, and what each app declared it keeps about the MSME (apps.registry.erasure: tickets and
    their messages and files, event registrations, deliveries, programme requests, survey answers...); keep
    what statistics need."""
    personal = [str(getattr(msme, name) or "") for name in PERSONAL_FIELDS]
    token = uuid.uuid4().hex[:8].upper()
    msme.name = f"Erased MSME {token}"
    msme.registration_number = f"ERASED-{token}"
    msme.email = msme.phone = msme.website = ""
    msme.erased_at = timezone.now()
    msme.consent_outreach = False
    msme.consent_given_at = None
    msme.consent_source = ""
    msme.save()
    IpAsset.objects.filter(msme=msme).update(owner="", notes="", custodian="", storage_location="")
    links = MsmeMember.objects.filter(msme=msme)
    # The MSME's own people acted in its history (self-registration, their edits): unlink them too.
    audit.erase_history(msme, unlink_users=links.values("user_id"), placeholder=ERASED)
    links.delete()
    # The uploaded files it came in, and the errors reported on its rows, hold the same data.
    import_data_erase(values=personal, placeholder=ERASED)
    erase_elsewhere(msme)
    audit.record(instance=msme, action=AuditEvent.Action.ERASE, actor=actor, changes={})
    return msme


def msme_export(*, msme: Msme, today: date | None = None) -> dict[str, Any]:
    """Everything the portal holds about one MSME, as JSON-friendly data."""
    today = today or timezone.localdate()
    assets = list(IpAsset.objects.filter(msme=msme))
    return {
        "msme": {"id": str(msme.pk), **audit.snapshot(msme)},
        "members": [link.user.email for link in MsmeMember.objects.filter(msme=msme).select_related("user")],
        "assets": [{"id": str(asset.pk), **audit.snapshot(asset)} for asset in assets],
        "deadlines": [
            {"due": d.due.isoformat(), "kind": d.kind, "label": str(d.label), "asset": str(d.asset_id)}
            for d in deadlines_for_assets(assets, today=today)
        ],
        "history": [
            {
                "at": event.at.isoformat(),
                "action": event.action,
                "object_type": event.object_type,
                "object_id": str(event.object_id),
                "actor": event.actor.email if event.actor else None,
                "channel": event.channel,
                "changes": event.changes,
            }
            for event in audit.history_for(msme).order_by("at", "id")
        ],
    }


@transaction.atomic
def msme_self_register(*, user: Any, tenant: Tenant, data: dict[str, Any]) -> Msme:
    """A visitor registers their business with their country's agency: pending until verified."""
    msme = msme_create(
        tenant=tenant,
        data={**data, "verification": Msme.Verification.PENDING},
        actor=user,
        consent_source=Msme.ConsentSource.SELF_REGISTRATION,
    )
    Membership.objects.get_or_create(tenant=tenant, user=user, defaults={"role": Role.MSME_MEMBER})
    MsmeMember.objects.create(msme=msme, user=user)
    return msme


def tenant_recompute_size_classes(*, tenant: Tenant) -> int:
    """Recompute every stored size class of a tenant after its thresholds changed; returns rows changed.

    `updated_at` moves with it: the statistics count again the MSMEs changed since their last run."""
    size = size_class_expression(tenant)
    with tenant_context(tenant):
        rows = Msme.objects.annotate(new_size=size).exclude(size_class=F("new_size"))
        return rows.update(size_class=size, updated_at=Now())


@transaction.atomic
def asset_create(*, msme: Msme, data: dict[str, Any], actor: Any = None) -> IpAsset:
    asset = IpAsset(msme=msme, tenant=msme.tenant, **data)
    _check_asset_rules(asset)
    asset.full_clean(exclude=["tenant"])
    asset.save()
    audit.record(instance=asset, action=AuditEvent.Action.CREATE, actor=actor, changes=audit.snapshot(asset))
    return asset


@transaction.atomic
def asset_update(*, asset: IpAsset, data: dict[str, Any], actor: Any = None) -> IpAsset:
    before = audit.snapshot(IpAsset.objects.get(pk=asset.pk))  # the form may have changed `asset` already
    for name, value in data.items():
        setattr(asset, name, value)
    _check_asset_rules(asset)
    asset.full_clean(exclude=["tenant"])
    changes = audit.diff(before, audit.snapshot(asset))
    if changes:
        asset.save()
        audit.record(instance=asset, action=AuditEvent.Action.UPDATE, actor=actor, changes=changes)
    return asset


@transaction.atomic
def asset_delete(*, asset: IpAsset, actor: Any = None) -> None:
    audit.record(instance=asset, action=AuditEvent.Action.DELETE, actor=actor, changes=audit.snapshot(asset))
    asset.delete()


# Undoing an import removes its MSMEs this many at a time (each batch loaded for its audit events, then deleted;
# in a task, each batch commits on its own).
UNDO_BATCH = 1000


@dataclass(frozen=True)
class ImportUndone:
    removed: int  # MSMEs the import created that were removed now
    kept: int  # MSMEs it created that stay, changed since (importing.undo.keep_reasons says why)


def _check_undo(job: ImportJob) -> None:
    """Raise ValidationError when the job (locked) cannot be undone now."""
    if not undo.undoable(job):
        raise ValidationError(_("Only a finished import can be undone: a preview stores nothing."))
    if undo.undo_in_progress(job):
        raise ValidationError(
            _("This import is already being undone. Wait until it is done: its page shows the progress.")
        )


def _undo_remove(ids: list[Any], *, actor_id: Any) -> int:
    """Delete these MSMEs, each with its delete event (as msme_delete gives one); returns how many."""
    now = timezone.now()
    msmes = list(Msme.objects.filter(pk__in=ids))
    events = [
        audit.batch_row(
            tenant_id=msme.tenant_id,
            instance=msme,
            action=AuditEvent.Action.DELETE,
            changes=audit.snapshot(msme),
            actor_id=actor_id,
            at=now,
        )
        for msme in msmes
    ]
    AuditEvent.objects.bulk_create(events)
    Msme.objects.filter(pk__in=[msme.pk for msme in msmes]).delete()
    return len(msmes)


def _user_of(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def import_undo(*, job: ImportJob, actor: Any) -> ImportUndone:
    """Remove the MSMEs an import created that nothing has changed since (apps.registry.importing.undo); keep
    the others. Each removed MSME gets its delete event, as msme_delete gives one; the job records when, by whom
    and how many. What the import updated in MSMEs already stored stays as it is. One transaction: for the
    imports small enough to undo in a request (import_undo_queue takes the others).

    Raises ValidationError for a job that is no import, one still running, or one whose undo is under way."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _check_undo(job)
    created = undo.created_msmes(event_id=undo.import_event_id(job))
    # Locked first (a new asset, ticket or edit waits for this transaction), then sorted into removed and kept.
    locked = len(created.select_for_update().order_by("pk").values_list("pk", flat=True))
    ids = list(undo.removable(created).order_by("pk").values_list("pk", flat=True))
    user = _user_of(actor)
    for start in range(0, len(ids), UNDO_BATCH):
        _undo_remove(ids[start : start + UNDO_BATCH], actor_id=getattr(user, "pk", None))
    before = audit.snapshot(job)
    job.undone_at, job.undone_by, job.removed = timezone.now(), user, job.removed + len(ids)
    job.undo_status, job.undo_message = ImportJob.UndoStatus.DONE, ""
    job.save(update_fields=["undone_at", "undone_by", "removed", "undo_status", "undo_message"])
    audit.record(
        instance=job, action=AuditEvent.Action.UPDATE, actor=actor, changes=audit.diff(before, audit.snapshot(job))
    )
    return ImportUndone(removed=len(ids), kept=locked - len(ids))


def import_undo_queue(*, job: ImportJob, actor: Any) -> ImportJob:
    """Queue the undo of an import too big to undo in a request: the job is marked queued (and audited) in the
    current transaction, and the task sent once it commits. A broker that cannot take it fails the undo at once,
    with the reason, before anything is removed.

    Raises ValidationError as import_undo does (a second undo while one is under way among the reasons)."""
    from apps.registry.importing.jobs import import_undo_enqueue  # jobs imports the tasks, which import this

    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        _check_undo(job)
        before = audit.snapshot(job)
        job.undo_status, job.undo_message = ImportJob.UndoStatus.QUEUED, ""
        job.undo_requested_at, job.undo_started_at = timezone.now(), None
        job.save(update_fields=["undo_status", "undo_message", "undo_requested_at", "undo_started_at"])
        audit.record(
            instance=job,
            action=AuditEvent.Action.UPDATE,
            actor=actor,
            changes=audit.diff(before, audit.snapshot(job)),
        )
        user = _user_of(actor)
        actor_id = str(user.pk) if user is not None else None
        transaction.on_commit(lambda: import_undo_enqueue(job=job, actor_id=actor_id))
    return job


def import_undo_run(
    *, job_id: Any, actor_id: Any, on_stop: Callable[[BaseException], str | None] | None = None
) -> ImportJob:
    """Run a queued undo in the active tenant, in autocommit: each batch of UNDO_BATCH MSMEs is locked, sorted
    into removed and kept, and removed with its delete events and the job's count in one transaction of its own.

    Idempotent: a repeated message finds the undo no longer queued and does nothing; a run stopped half-way
    (a killed worker) leaves whole batches, and the next run, once the undo is asked for again, finishes what is
    left: only the MSMEs the import created and nothing changed since are ever removed. `on_stop(exc)` gives
    the reason to fail with for an exception the run cannot finish after (None: an unexpected error)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.undo_status != ImportJob.UndoStatus.QUEUED or not undo.undoable(job):
            return job  # run already, failed by the sweep, or a late or repeated message
        before = audit.snapshot(job)
        job.undo_status, job.undo_started_at = ImportJob.UndoStatus.RUNNING, timezone.now()
        job.save(update_fields=["undo_status", "undo_started_at"])
    user = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    event_id = undo.import_event_id(job)
    status, message = ImportJob.UndoStatus.DONE, ""
    try:
        last = None
        while True:
            with transaction.atomic():
                batch = undo.created_msmes(event_id=event_id).order_by("pk")
                if last is not None:
                    batch = batch.filter(pk__gt=last)
                # Locked first, then sorted, as import_undo does: a new asset or edit of one waits for the batch.
                ids = list(batch.select_for_update().values_list("pk", flat=True)[:UNDO_BATCH])
                if not ids:
                    break
                last = ids[-1]
                gone = list(undo.removable(Msme.objects.filter(pk__in=ids)).values_list("pk", flat=True))
                count = _undo_remove(gone, actor_id=getattr(user, "pk", None))
                ImportJob.objects.filter(pk=job.pk).update(removed=F("removed") + count)
    except Exception as exc:
        reason = on_stop(exc) if on_stop is not None else None
        if reason is None:
            logger.exception("Undoing import job %s stopped on an unexpected error", job.pk)
            reason = _(
                "The undo stopped on an unexpected error. The MSMEs removed so far are counted; undo the import "
                "again to finish."
            )
        status, message = ImportJob.UndoStatus.FAILED, reason
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        job.undo_status, job.undo_message = status, message
        fields = ["undo_status", "undo_message"]
        if status == ImportJob.UndoStatus.DONE:
            job.undone_at, job.undone_by = timezone.now(), user
            fields += ["undone_at", "undone_by"]
        job.save(update_fields=fields)
        audit.record(
            instance=job, action=AuditEvent.Action.UPDATE, actor=user, changes=audit.diff(before, audit.snapshot(job))
        )
    return job
