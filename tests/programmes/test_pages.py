"""The programmes' pages: the public ones (directories, the clause generator, the fee estimate, the IAP check),
a member's request sent and followed, the staff's stage form, bad input re-shown; constant query counts."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.roles import Division
from apps.helpdesk.models import Message, Ticket
from apps.programmes.models import ProgrammeRequest, ResearchMember, Stage, Tisc
from apps.tenants.context import division_context, tenant_context
from tests.factories import ProgrammeRequestFactory

pytestmark = pytest.mark.django_db


def client_of(actor=None) -> Client:
    client = Client(raise_request_exception=False)
    if actor is not None and actor.user is not None:
        client.force_login(actor.user)
    return client


def _tiscs(country: str, count: int, **fields) -> list[Tisc]:
    return [
        Tisc.objects.create(
            name=f"TISC {country} {n:03d}",
            host_institution=f"University {n}",
            country=country,
            city=f"City {n}",
            **fields,
        )
        for n in range(count)
    ]


def test_the_programmes_page_leads_to_each_programme():
    body = client_of().get(reverse("programmes:index")).content.decode()
    for name in ("tiscs", "adr", "research", "iap"):
        assert reverse(f"programmes:{name}") in body


def test_the_tisc_directory_filters_by_country_service_and_name():
    _tiscs("KE", 2, services=["patentability"])
    (landscape,) = _tiscs("PH", 1, services=["landscape", "drafting"])
    client = client_of()
    body = client.get(reverse("programmes:tiscs"), {"country": "PH"}).content.decode()
    assert "TISC PH 000" in body and "TISC KE" not in body and "Patent landscape report" in body
    body = client.get(reverse("programmes:tiscs"), {"service": "patentability"}).content.decode()
    assert "TISC KE 000" in body and "TISC KE 001" in body and "TISC PH" not in body
    assert "TISC KE 001" in client.get(reverse("programmes:tiscs"), {"q": "City 1"}).content.decode()
    none = client.get(reverse("programmes:tiscs"), {"country": "EG"})
    assert none.status_code == 400 and "Select a valid choice" in none.content.decode()  # no TISC listed there
    assert client.get(reverse("programmes:tiscs"), {"service": "dowsing"}).status_code == 400
    detail = client.get(reverse("programmes:tisc", args=[landscape.pk])).content.decode()
    assert "University 0" in detail and "Help drafting a patent application" in detail


def test_the_tisc_directory_reads_a_constant_number_of_queries():
    _tiscs("KE", 3)
    client = client_of()
    client.get(reverse("programmes:tiscs"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("programmes:tiscs"))
    _tiscs("PH", 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("programmes:tiscs"))
    assert len(many) == len(few) and response.context["page"].paginator.num_pages == 3


def test_the_clause_generator_writes_the_clause_and_re_shows_bad_input():
    client = client_of()
    response = client.get(
        reverse("programmes:adr-clause"),
        {
            "procedure": "arbitration",
            "place": "Nairobi, Kenya",
            "language": "English",
            "arbitrators": "3",
            "law": "Kenya",
        },
    )
    assert response.status_code == 200
    assert "The arbitral tribunal shall consist of three arbitrators." in response.context["clause"]
    assert "Nairobi, Kenya" in response.content.decode()
    bad = client.get(reverse("programmes:adr-clause"), {"procedure": "duel", "arbitrators": "2"})
    assert bad.status_code == 400 and set(bad.context["form"].errors) == {"procedure", "arbitrators"}


def test_the_fee_estimate_page_gives_the_lines_and_the_notes_and_names_a_missing_amount():
    client = client_of()
    response = client.get(
        reverse("programmes:adr-fees"), {"procedure": "arbitration", "amount": "1000000", "reduction": "on"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Amounts in US dollars (USD)" in body
    assert 'id="fees-total">3500.00<' in body and "300 to 600 an hour" in body
    missing = client.get(reverse("programmes:adr-fees"), {"procedure": "mediation"})
    assert missing.status_code == 400 and "Give the amount in dispute" in missing.content.decode()
    udrp = client.get(reverse("programmes:adr-fees"), {"procedure": "udrp", "domains": "12"})
    assert udrp.status_code == 200 and "More than 10 domain names" in udrp.content.decode()


def test_the_iap_check_says_why_not_and_leads_the_eligible_to_the_request():
    client = client_of()
    no = client.get(reverse("programmes:iap"), {"country": "PH"})
    assert no.status_code == 200 and len(no.context["eligibility"].reasons) == 4
    yes = client.get(
        reverse("programmes:iap"),
        {"country": "ZA", "resident": "on", "income_within": "on", "has_invention": "on", "knows_patents": "on"},
    )
    assert yes.context["eligibility"].eligible and reverse("programmes:iap-request") in yes.content.decode()
    assert "R 30,000" in yes.content.decode()
    assert client.get(reverse("programmes:iap"), {"country": "XX"}).status_code == 400


def test_the_research_directory_filters_members_by_disease_and_resource():
    ResearchMember.objects.create(
        name="Malaria Lab", country="GH", kind="institute", disease_areas=["malaria"], offers=["data"]
    )
    ResearchMember.objects.create(
        name="TB Pharma", country="CH", kind="company", disease_areas=["tuberculosis"], offers=["compounds"]
    )
    client = client_of()
    body = client.get(reverse("programmes:research"), {"disease_area": "malaria"}).content.decode()
    assert "Malaria Lab" in body and "TB Pharma" not in body and "Ghana" in body
    body = client.get(reverse("programmes:research"), {"offers": "compounds"}).content.decode()
    assert "TB Pharma" in body and "Malaria Lab" not in body


def test_a_member_sends_an_adr_request_and_follows_it(desk):
    member = client_of(desk.member)
    form = member.get(reverse("programmes:adr-request"))
    assert form.status_code == 200
    bad = member.post(reverse("programmes:adr-request"), {"kind": "mediation", "description": ""})
    assert bad.status_code == 400
    assert {"description", "subject", "other_party", "other_party_country", "language"} <= set(
        bad.context["form"].errors
    )
    response = member.post(
        reverse("programmes:adr-request"),
        {
            "kind": "mediation",
            "subject": "trademark",
            "other_party": "Copycat Traders",
            "other_party_country": "UG",
            "language": "en",
            "description": "They sell under our brand since our contract ended.",
        },
    )
    assert response.status_code == 302
    with tenant_context(desk.tenant), transaction.atomic():
        sent = ProgrammeRequest.objects.get()
        assert sent.division == Division.AMC and sent.details["other_party"] == "Copycat Traders"
        assert "The other party: Copycat Traders" in Ticket.objects.get().body
    page = member.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and "Submitted" in body and "Copycat Traders" in body and "Uganda" in body
    assert reverse("helpdesk:ticket", args=[sent.ticket_id]) in body
    assert 'id="stage-form"' not in body
    listed = member.get(reverse("programmes:requests"))
    assert [row.pk for row in listed.context["page"].object_list] == [sent.pk]
    assert reverse("programmes:request", args=[sent.pk]) in listed.content.decode()
    other = client_of(desk.other_member)
    assert other.get(response["Location"]).status_code == 404
    assert not other.get(reverse("programmes:requests")).context["page"].object_list


def test_the_center_s_agent_moves_the_stage_and_the_member_reads_it(desk):
    with tenant_context(desk.tenant), transaction.atomic():
        ticket_request = ProgrammeRequestFactory(
            ticket__queue=desk.division_queue, ticket__division=Division.AMC, requester=desk.member.user
        )
    agent = client_of(desk.division_agent)
    url = reverse("programmes:request", args=[ticket_request.pk])
    page = agent.get(url)
    assert page.status_code == 200 and 'id="stage-form"' in page.content.decode()
    bad = agent.post(reverse("programmes:request-stage", args=[ticket_request.pk]), {"stage": "matched"})
    assert bad.status_code == 400  # not one of an ADR request's stages
    done = agent.post(
        reverse("programmes:request-stage", args=[ticket_request.pk]),
        {"stage": "completed", "outcome": "Settled in mediation."},
    )
    assert done.status_code == 302
    with division_context(Division.AMC), transaction.atomic():
        assert ProgrammeRequest.objects.get().stage == Stage.COMPLETED
        assert Message.objects.filter(kind="reply", body__contains="Settled in mediation.").exists()
    body = client_of(desk.member).get(url).content.decode()
    assert "Completed" in body and "Settled in mediation." in body
    assert 'id="withdraw-form"' not in body  # over: nothing to withdraw


def test_the_request_list_reads_a_constant_number_of_queries(desk):
    agent = client_of(desk.agent)
    with tenant_context(desk.tenant), transaction.atomic():
        ProgrammeRequestFactory()
    agent.get(reverse("programmes:requests"))
    with CaptureQueriesContext(connection) as few:
        agent.get(reverse("programmes:requests"))
    with tenant_context(desk.tenant), transaction.atomic():
        ProgrammeRequestFactory.create_batch(25)
    with CaptureQueriesContext(connection) as many:
        response = agent.get(reverse("programmes:requests"))
    assert len(many) == len(few) and len(response.context["page"].object_list) == 20


def test_the_training_page_lists_courses_by_language_and_level():
    from apps.programmes.models import Course

    Course.objects.create(
        provider="wipo_academy",
        code="DL-101",
        title="General Course",
        level="introductory",
        languages=["en", "ar"],
        is_free=True,
    )
    Course.objects.create(provider="patent_drafting", title="Drafting Program", level="advanced", languages=["en"])
    client = client_of()
    arabic = client.get(reverse("programmes:training"), {"language": "ar"}).content.decode()
    assert "General Course" in arabic and "Drafting Program" not in arabic and "Free" in arabic
    advanced = client.get(reverse("programmes:training"), {"level": "advanced"}).content.decode()
    assert "Drafting Program" in advanced and "General Course" not in advanced
    assert client.get(reverse("programmes:training"), {"level": "expert"}).status_code == 400


def test_a_campaign_can_link_to_a_course():
    from apps.outreach.links import link_kind
    from apps.programmes.models import Course

    course = Course.objects.create(
        provider="wipo_academy",
        code="DL-101",
        title="General Course",
        level="introductory",
        languages=["en"],
        url="https://example.org/dl101",
    )
    kind = link_kind("course")
    assert (str(course.pk), "DL-101 General Course") in kind.choices()
    assert kind.url_for(str(course.pk), None) == "https://example.org/dl101"
    assert kind.url_for("x", None) == "" and kind.url_for("999999", None) == ""


def test_the_agents_ticket_page_links_to_its_request_and_the_msme_sees_the_report_attached(desk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with tenant_context(desk.tenant), transaction.atomic():
        sent = ProgrammeRequestFactory(
            programme="tisc", kind="landscape", ticket__queue=desk.queue, requester=desk.member.user
        )
    agent = client_of(desk.agent)
    work = agent.get(reverse("helpdesk:work", args=[sent.ticket_id])).content.decode()
    assert reverse("programmes:request", args=[sent.pk]) in work
    report = SimpleUploadedFile(
        "landscape.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    response = agent.post(
        reverse("helpdesk:work-reply", args=[sent.ticket_id]),
        {"body": "Your report is attached.", "attachments": report},
    )
    assert response.status_code in (200, 302)
    page = client_of(desk.member).get(reverse("programmes:request", args=[sent.pk])).content.decode()
    assert "landscape.pdf" in page


def test_an_event_can_be_a_session_of_a_listed_course():
    from apps.events.forms import EventForm
    from apps.programmes.models import Course

    Course.objects.create(
        provider="wipo_academy",
        code="DL-101",
        title="General Course",
        level="introductory",
        languages=["en"],
        url="https://example.org/dl101",
    )
    form = EventForm(
        data={
            "title": "DL-101 study group",
            "kind": "webinar",
            "language": "en",
            "time_zone": "UTC",
            "starts_at": "2031-01-10T09:00",
            "ends_at": "2031-01-10T10:00",
            "course": "https://example.org/dl101",
            "registration_open": "on",
        }
    )
    assert ("https://example.org/dl101", "DL-101 General Course") in form.fields["course"].choices
    assert form.is_valid(), form.errors
    assert form.cleaned_data["online_url"] == "https://example.org/dl101"
