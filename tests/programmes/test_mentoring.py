"""Mentoring: a member asks, the chosen (or best free) mentor answers from a signed link without an account, and
accepted, each side gets the other's contact by e-mail; agency staff register mentors and reassign requests."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from apps.outreach.models import OutboxMessage
from apps.programmes import mentoring
from apps.programmes.models import Mentor, MentoringRequest
from apps.tenants.context import tenant_context
from tests.factories import MentorFactory
from tests.policies.actors import AGENCY, HELPDESK, OTHER, OWN, one_tenant

pytestmark = pytest.mark.django_db


def _ask(world, *, mentor=None, area="licensing", language="en"):
    with tenant_context(world.tenant), transaction.atomic():
        return mentoring.request_mentor(
            actor=world.actors[OWN],
            msme=world.msme,
            area=area,
            description="Whom to license to?",
            language=language,
            mentor=mentor,
        )


def _link(request: MentoringRequest) -> str:
    return reverse("programmes:mentoring-answer", args=[mentoring.answer_token(request)])


def test_the_best_free_mentor_of_the_area_and_language_is_asked_by_e_mail_with_a_signed_link():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        busy = MentorFactory(areas=["licensing"], languages=["fr"])
        MentorFactory(areas=["export"], languages=["fr"])
        MentorFactory(areas=["licensing"], languages=["fr"], is_active=False)
    request = _ask(world, language="fr")
    assert request.mentor == busy and request.status == MentoringRequest.Status.WAITING
    with tenant_context(world.tenant), transaction.atomic():
        sent = OutboxMessage.objects.get(key=f"mentoring:ask:{request.pk}:{busy.pk}")
        assert sent.address == busy.email and _link(request) in sent.body
        free = MentorFactory(areas=["licensing"], languages=["fr"])
    assert _ask(world, language="fr").mentor == free  # the first has one request in hand


def test_with_no_mentor_for_the_area_the_agency_is_left_to_assign_one():
    world = one_tenant()
    request = _ask(world, area="franchising")
    assert request.mentor is None and request.status == MentoringRequest.Status.UNASSIGNED
    with tenant_context(world.tenant), transaction.atomic():
        mentor = MentorFactory(areas=["franchising"])
        with pytest.raises(PermissionDenied):
            mentoring.assign_mentor(actor=world.actors[HELPDESK], request=request, mentor=mentor)
        mentoring.assign_mentor(actor=world.actors[AGENCY], request=request, mentor=mentor)
        assert request.status == MentoringRequest.Status.WAITING
        assert OutboxMessage.objects.filter(key=f"mentoring:ask:{request.pk}:{mentor.pk}").exists()


def test_only_members_ask_and_bad_input_names_the_field():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        with pytest.raises(PermissionDenied):
            mentoring.request_mentor(
                actor=world.actors[AGENCY], msme=world.msme, area="licensing", description="x", language="en"
            )
        other = MentorFactory(areas=["export"])
        with pytest.raises(ValidationError) as caught:
            mentoring.request_mentor(
                actor=world.actors[OWN], msme=world.msme, area="alchemy", description=" ", language="en", mentor=other
            )
        assert set(caught.value.message_dict) == {"area", "description", "mentor"}


def test_the_mentor_accepts_from_the_link_and_both_sides_get_the_other_s_contact():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        mentor = MentorFactory(areas=["licensing"], name="Grace Wanjiru")
    request = _ask(world, mentor=mentor)
    visitor = Client()
    page = visitor.get(_link(request))
    assert page.status_code == 200 and world.msme.name in page.content.decode()
    assert visitor.post(_link(request), {"answer": "maybe"}).status_code == 400
    done = visitor.post(_link(request), {"answer": "accept"})
    assert done.status_code == 200 and 'id="answer-done"' in done.content.decode()
    with tenant_context(world.tenant), transaction.atomic():
        assert MentoringRequest.objects.get().status == MentoringRequest.Status.ACCEPTED
        to_mentor = OutboxMessage.objects.get(key=f"mentoring:accepted:{request.pk}:mentor")
        to_msme = OutboxMessage.objects.get(key=f"mentoring:accepted:{request.pk}:msme")
        assert world.actors[OWN].user.email in to_mentor.body and mentor.email in to_msme.body
    # Answered: a second answer changes nothing.
    visitor.post(_link(request), {"answer": "decline"})
    with tenant_context(world.tenant), transaction.atomic():
        assert MentoringRequest.objects.get().status == MentoringRequest.Status.ACCEPTED
    member = Client()
    member.force_login(world.actors[OWN].user)
    assert mentor.email in member.get(reverse("programmes:mentoring")).content.decode()


def test_a_forged_or_reassigned_link_reads_as_nothing():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        first, second = MentorFactory(areas=["licensing"]), MentorFactory(areas=["licensing"])
    request = _ask(world, mentor=first)
    old_link = _link(request)
    with tenant_context(world.tenant), transaction.atomic():
        mentoring.assign_mentor(actor=world.actors[AGENCY], request=request, mentor=second)
    visitor = Client()
    assert visitor.get(old_link).status_code == 404
    assert visitor.get(old_link[:-3] + "xyz/").status_code == 404
    assert visitor.get(reverse("programmes:mentoring-answer", args=["x" * 500])).status_code == 404


def test_who_sees_which_requests_and_the_agency_registers_a_mentor():
    world = one_tenant()
    _ask(world)
    other = Client()
    other.force_login(world.actors[OTHER].user)
    assert not other.get(reverse("programmes:mentoring")).context["requests"]
    staff = Client()
    staff.force_login(world.actors[AGENCY].user)
    assert len(staff.get(reverse("programmes:mentoring")).context["requests"]) == 1
    bad = staff.post(reverse("programmes:mentor-new"), {"name": "", "email": "nope"})
    assert bad.status_code == 400 and {"name", "email", "areas", "languages"} <= set(bad.context["form"].errors)
    response = staff.post(
        reverse("programmes:mentor-new"),
        {"name": "Amina Yusuf", "email": "amina@example.org", "areas": ["export"], "languages": ["en", "fr"]},
    )
    assert response.status_code == 302
    with tenant_context(world.tenant), transaction.atomic():
        assert Mentor.objects.get(name="Amina Yusuf").languages == ["en", "fr"]
