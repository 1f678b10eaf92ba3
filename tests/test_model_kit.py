"""The tenant-owned model kit: TenantForeignKey, the makemigrations autodetector, the system checks."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.checks.registry import registry
from django.core.management import get_commands, load_command_class
from django.db import models
from django.db.migrations import Migration
from django.db.migrations import operations as ops
from django.db.migrations.graph import MigrationGraph
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ModelState, ProjectState
from django.db.migrations.writer import MigrationWriter
from django.test.utils import isolate_apps

from apps.diagnostics.models import Assessment
from apps.registry.models import IpAsset, Msme, MsmeMember
from apps.tenants.autodetector import TenantAutodetector, is_tenant_owned_state
from apps.tenants.checks import check_tenant_owned_models, migration_facts, tenant_model_messages
from apps.tenants.fields import TenantForeignKey, tenant_index_name
from apps.tenants.models import AuditEvent, Tenant, TenantOwnedModel
from apps.tenants.operations import AddTenantForeignKey, TenantPrimaryKey
from apps.tenants.rls import EnableRowLevelSecurity
from tests.tenancy_app.models import Gadget, Widget

APP = "tenancy_app"
MODULE = "tests.tenancy_app"

# --- TenantForeignKey -------------------------------------------------------------------------


def test_a_tenant_foreign_key_leaves_the_constraint_and_the_index_to_the_tenant():
    field = Gadget._meta.get_field("widget")
    assert (field.db_constraint, field.db_index) == (False, False)
    # It is written in migrations as the ForeignKey it stands for, so older migrations stay as they are.
    name, path, _args, kwargs = field.deconstruct()
    assert (name, path) == ("widget", "django.db.models.ForeignKey")
    assert (kwargs["db_constraint"], kwargs["db_index"]) == (False, False)


def test_a_tenant_foreign_key_brings_its_tenant_first_index_unless_one_exists():
    def index_fields(model):
        return {index.name: list(index.fields) for index in model._meta.indexes}

    assert index_fields(Gadget)["gadget_tenant_widget"] == ["tenant", "widget"]
    # The names the registry gave its indexes by hand, so no migration renames them.
    assert index_fields(MsmeMember)["msmemember_tenant_msme"] == ["tenant", "msme"]
    assert index_fields(IpAsset)["ipasset_tenant_msme"] == ["tenant", "msme"]
    # tenant_index=False: the audit trail's import link adds no index to every write.
    assert not [f for f in index_fields(AuditEvent).values() if f[:2] == ["tenant", "batch"]]
    assert [f[:2] for f in index_fields(Assessment).values()].count(["tenant", "msme"]) == 1


def test_a_tenant_foreign_key_gives_its_target_the_unique_tenant_id_once():
    for model, name in [
        (Msme, "msme_unique_tenant_id"),
        (Widget, "widget_unique_tenant_id"),
        (AuditEvent, "auditevent_unique_tenant_id"),
    ]:
        unique = [c for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
        assert [c.name for c in unique if list(c.fields) == ["tenant", "id"]] == [name]
    # Gadget is the target of no key: it gets none.
    assert not [c for c in Gadget._meta.constraints if list(getattr(c, "fields", ())) == ["tenant", "id"]]


def test_a_long_index_name_is_shortened_deterministically_within_djangos_limit():
    name = tenant_index_name("assessmentattachment", "assessment")
    assert len(name) <= 30 and name == tenant_index_name("assessmentattachment", "assessment")
    assert name != tenant_index_name("assessmentattachment", "assessmentx")


def test_a_tenant_foreign_key_refuses_what_it_cannot_keep():
    with pytest.raises(TypeError, match="db_constraint"):
        TenantForeignKey(Widget, on_delete=models.CASCADE, db_constraint=True)
    with pytest.raises(ValueError, match="on_delete"):
        TenantForeignKey(Widget, on_delete=models.SET_DEFAULT)


# --- The autodetector -------------------------------------------------------------------------


def test_makemigrations_and_migrate_use_the_tenant_autodetector():
    for name in ("makemigrations", "migrate"):
        command = load_command_class(get_commands()[name], name)
        assert command.autodetector is TenantAutodetector


def test_the_tenant_owned_state_test_agrees_with_the_installed_models():
    state = ProjectState.from_apps(apps)
    for model in apps.get_models():
        owned = is_tenant_owned_state(state.models[model._meta.app_label, model._meta.model_name])
        assert owned == issubclass(model, TenantOwnedModel), model._meta.label


def _state(*models: type[models.Model]) -> ProjectState:
    state = ProjectState()
    state.add_model(ModelState.from_model(Tenant))
    for model in models:
        state.add_model(ModelState.from_model(model))
    return state


def _changes(from_state: ProjectState, to_state: ProjectState) -> list[Migration]:
    detector = TenantAutodetector(from_state, to_state, NonInteractiveMigrationQuestioner(specified_apps={APP}))
    return detector.changes(graph=MigrationGraph())[APP]


def _written(migrations: list[Migration]) -> str:
    return "\n".join(MigrationWriter(migration).as_string() for migration in migrations)


@isolate_apps(MODULE)
def test_makemigrations_writes_rls_and_the_tenant_key_for_a_new_pair_of_tenant_owned_models():
    class Ticket(TenantOwnedModel):
        subject = models.CharField(max_length=100)

        class Meta:
            app_label = APP

    class Message(TenantOwnedModel):
        ticket = TenantForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
        reply_to = TenantForeignKey("self", on_delete=models.SET_NULL, null=True, related_name="+")
        author = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+", db_index=False)

        class Meta:
            app_label = APP

    migrations = _changes(_state(), _state(Ticket, Message))
    operations = [op for migration in migrations for op in migration.operations]
    created = [op.name for op in operations if isinstance(op, ops.CreateModel)]
    assert created == ["Ticket", "Message"]
    rls = [op for op in operations if isinstance(op, EnableRowLevelSecurity)]
    assert [op.model_name for op in rls] == ["ticket", "message"]
    primary_keys = [op for op in operations if isinstance(op, TenantPrimaryKey)]
    assert [op.model_name for op in primary_keys] == ["ticket", "message"]
    keys = [op for op in operations if isinstance(op, AddTenantForeignKey)]
    assert sorted((op.model_name, op.field_name, op.on_delete) for op in keys) == [
        ("message", "reply_to", "set_null"),
        ("message", "ticket", "cascade"),
    ]
    # They come after the tables they need, and the (tenant, id) each key points at.
    last_table = max(i for i, op in enumerate(operations) if isinstance(op, ops.CreateModel | ops.AddField))
    assert min(operations.index(op) for op in rls + primary_keys + keys) > last_table
    written = _written(migrations)
    assert "apps.tenants.rls.EnableRowLevelSecurity(\n            model_name='ticket'," in written
    assert "apps.tenants.operations.AddTenantForeignKey(\n            model_name='message',\n" in written
    assert "apps.tenants.operations.TenantPrimaryKey(\n            model_name='ticket'," in written
    assert "name='ticket_unique_tenant_id'" in written and "name='message_tenant_ticket'" in written
    assert "name='message_unique_tenant_id'" in written  # the self-reference's target
    assert "message_tenant_author" not in written  # a key to a shared table is not a tenant key


@isolate_apps(MODULE)
def test_makemigrations_writes_the_tenant_key_for_an_added_or_converted_field():
    class Ticket(TenantOwnedModel):
        class Meta:
            app_label = APP

    class Before(TenantOwnedModel):
        ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+", db_index=False)

        class Meta:
            app_label = APP
            db_table = "note"

    state_before = _state(Ticket, Before)
    with isolate_apps(MODULE):

        class Ticket(TenantOwnedModel):  # the same models, as they are after the change
            class Meta:
                app_label = APP

        class Before(TenantOwnedModel):
            ticket = TenantForeignKey(Ticket, on_delete=models.PROTECT, related_name="+", tenant_index=False)
            parent = TenantForeignKey(Ticket, on_delete=models.CASCADE, null=True, related_name="+")

            class Meta:
                app_label = APP
                db_table = "note"

        state_after = _state(Ticket, Before)
    operations = [op for migration in _changes(state_before, state_after) for op in migration.operations]
    assert any(isinstance(op, ops.AlterField) and op.name == "ticket" for op in operations)
    assert any(isinstance(op, ops.AddField) and op.name == "parent" for op in operations)
    keys = [(op.field_name, op.on_delete) for op in operations if isinstance(op, AddTenantForeignKey)]
    assert sorted(keys) == [("parent", "cascade"), ("ticket", "restrict")]
    assert not [op for op in operations if isinstance(op, EnableRowLevelSecurity)]  # no new table


@isolate_apps(MODULE, "apps.diagnostics")
def test_a_tenant_key_into_another_app_runs_after_that_apps_new_unique_tenant_id():
    class Ticket(TenantOwnedModel):
        class Meta:
            app_label = APP

    state_before = _state(Ticket)
    with isolate_apps(MODULE, "apps.diagnostics"):

        class Ticket(TenantOwnedModel):  # the same model, now the target of a key from another app
            class Meta:
                app_label = APP

        class Survey(TenantOwnedModel):
            ticket = TenantForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")

            class Meta:
                app_label = "diagnostics"

        state_after = _state(Ticket, Survey)
    questioner = NonInteractiveMigrationQuestioner(specified_apps={APP, "diagnostics"})
    changes = TenantAutodetector(state_before, state_after, questioner).changes(graph=MigrationGraph())
    [target_migration] = changes[APP]
    assert [type(op) for op in target_migration.operations] == [ops.AddConstraint]
    [migration] = changes["diagnostics"]
    assert (APP, target_migration.name) in migration.dependencies
    assert isinstance(migration.operations[-1], AddTenantForeignKey)


@isolate_apps(MODULE)
def test_makemigrations_adds_nothing_for_models_that_are_not_tenant_owned():
    class Country(models.Model):  # noqa: DJ008
        code = models.CharField(max_length=2)

        class Meta:
            app_label = APP

    class Office(models.Model):  # noqa: DJ008
        tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")  # editable, as Membership
        country = models.ForeignKey(Country, on_delete=models.CASCADE, db_constraint=False)

        class Meta:
            app_label = APP

    operations = [op for migration in _changes(_state(), _state(Country, Office)) for op in migration.operations]
    assert [type(op) for op in operations] == [ops.CreateModel, ops.CreateModel]


# --- The system checks ----------------------------------------------------------------------


def test_the_installed_tenant_owned_models_pass_the_kits_checks():
    assert check_tenant_owned_models in registry.get_checks()  # manage.py check runs it
    assert check_tenant_owned_models() == []


def _migration(*operations) -> Migration:
    migration = Migration("0001_initial", APP)
    migration.operations = list(operations)
    return migration


def _ids(messages) -> list[str]:
    return sorted(message.id for message in messages)


@isolate_apps(MODULE)
def test_the_check_fails_when_the_migrations_lack_rls_or_the_tenant_key():
    class Ticket(TenantOwnedModel):
        class Meta:
            app_label = APP

    class Message(TenantOwnedModel):
        ticket = TenantForeignKey(Ticket, on_delete=models.CASCADE)

        class Meta:
            app_label = APP

    created = [ops.CreateModel(name, fields=[("id", models.UUIDField())]) for name in ("Ticket", "Message")]
    add_ticket = ops.AddField("message", "ticket", models.ForeignKey(Ticket, on_delete=models.CASCADE))
    complete = [
        *created,
        add_ticket,
        EnableRowLevelSecurity(model_name="ticket"),
        EnableRowLevelSecurity(model_name="message"),
        TenantPrimaryKey(model_name="ticket"),
        TenantPrimaryKey(model_name="message"),
        AddTenantForeignKey(model_name="message", field_name="ticket", on_delete="cascade"),
    ]
    assert tenant_model_messages([Ticket, Message], migration_facts([_migration(*complete)])) == []

    messages = tenant_model_messages([Ticket, Message], migration_facts([_migration(*created, add_ticket)]))
    assert _ids(messages) == [
        "tenants.E002",
        "tenants.E002",
        "tenants.E004",
        "tenants.E009",
        "tenants.E009",
    ]
    by_id = {message.id: message for message in messages}
    assert 'EnableRowLevelSecurity(model_name="message")' in " ".join(m.hint for m in messages)
    assert 'TenantPrimaryKey(model_name="ticket")' in " ".join(m.hint for m in messages)
    assert "makemigrations" in by_id["tenants.E004"].hint
    assert 'AddTenantForeignKey(model_name="message", field_name="ticket", on_delete="cascade")' in (
        by_id["tenants.E004"].hint
    )
    # A model no migration creates yet is makemigrations' to write: the check does not block it.
    assert tenant_model_messages([Ticket, Message], migration_facts([])) == []


@isolate_apps(MODULE)
def test_the_check_fails_on_keys_indexes_and_uniqueness_without_the_tenant():
    class Category(models.Model):  # noqa: DJ008
        class Meta:
            app_label = APP

    class Ticket(TenantOwnedModel):
        class Meta:
            app_label = APP

    class Message(TenantOwnedModel):
        ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, db_index=False)  # keeps its own constraint
        category = TenantForeignKey(Category, on_delete=models.CASCADE)  # a shared table
        code = models.CharField(max_length=10, unique=True)
        sent_at = models.DateTimeField(db_index=True)
        subject = models.CharField(max_length=100)

        class Meta:
            app_label = APP
            indexes = [models.Index(fields=["subject"], name="message_subject")]
            constraints = [models.UniqueConstraint(fields=["subject", "tenant"], name="message_unique_subject")]

    messages = tenant_model_messages([Ticket, Message], migration_facts([]))
    assert _ids(messages) == [
        "tenants.E003",
        "tenants.E005",
        "tenants.E007",
        "tenants.E007",
        "tenants.E008",
        "tenants.E008",
    ]
    text = "\n".join(f"{m.msg} {m.hint}" for m in messages)
    assert "TenantForeignKey" in text and "message_subject" in text and "message_unique_subject" in text
    assert "sent_at" in text and "code" in text


@isolate_apps(MODULE)
def test_a_one_to_one_between_tenant_owned_models_is_a_uniqueness_without_the_tenant():
    # Unique over the other row's UUID is one tenant's in practice, but a database sharded by tenant refuses it.
    class Ticket(TenantOwnedModel):
        class Meta:
            app_label = APP
            constraints = [models.UniqueConstraint(fields=["tenant", "id"], name="ticket_unique_tenant_id")]

    class Rating(TenantOwnedModel):
        ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, db_constraint=False, related_name="+")

        class Meta:
            app_label = APP

    messages = [m for m in tenant_model_messages([Rating], migration_facts([])) if m.id == "tenants.E008"]
    assert len(messages) == 1 and "ticket" in messages[0].msg


@isolate_apps(MODULE)
def test_the_check_fails_when_a_plain_key_points_at_a_model_without_unique_tenant_id():
    class Ticket(TenantOwnedModel):
        class Meta:
            app_label = APP

    class Message(TenantOwnedModel):
        ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, db_index=False, db_constraint=False)

        class Meta:
            app_label = APP

    messages = tenant_model_messages([Message], migration_facts([]))
    assert _ids(messages) == ["tenants.E006"]
    assert 'fields=["tenant", "id"]' in messages[0].hint
