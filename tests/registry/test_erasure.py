"""An MSME's erasure reaches every app's rows about it: each model that points at an MSME declares what erasing
it removes (apps.registry.erasure). tests/helpdesk/test_erasure.py shows a ticket's text, messages and files go."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from apps.helpdesk.models import Ticket
from apps.registry.erasure import declarations, erased_with_msme, exempt
from apps.registry.models import IpAsset, Msme, MsmeMember

pytestmark = pytest.mark.django_db

# The registry's own rows about an MSME, which msme_erase handles itself (tests/registry/test_services.py).
ERASED_BY_THE_REGISTRY = {IpAsset: "its personal fields blanked", MsmeMember: "the links deleted"}


def _points_at(model: type[models.Model], targets: set[type[models.Model]]) -> bool:
    return any(f.is_relation and f.many_to_one and f.related_model in targets for f in model._meta.concrete_fields)


def test_ratchet_every_model_about_an_msme_says_what_its_erasure_removes():
    """A model with a key to an MSME, or to a row that has one, is erased with it, or declared to keep nothing
    personal: a new app cannot forget the MSMEs it keeps data about."""
    direct = {m for m in apps.get_models() if _points_at(m, {Msme})}
    one_hop = {m for m in apps.get_models() if _points_at(m, direct) and m not in direct and m is not Msme}
    declared = {d.model for d in declarations()} | set(exempt()) | set(ERASED_BY_THE_REGISTRY)
    missing = sorted(m._meta.label for m in (direct | one_hop) - declared)
    assert missing == [], (
        "declare what erasing an MSME does to these (apps.registry.erasure.erased_with_msme, or "
        "keeps_nothing_personal with the reason):\n" + "\n".join(missing)
    )


def test_a_declaration_must_say_what_it_does():
    with pytest.raises(ValueError, match="say what"):
        erased_with_msme(Ticket)
    with pytest.raises(FieldDoesNotExist):
        erased_with_msme(Ticket, blank={"no_such_field": ""})
