"""The plan built from a real MSME, its page, PDF, API resource and the summary on the MSME page."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from apps.core.dates import add_months
from apps.core.roles import Role
from apps.diagnostics.models import Assessment
from apps.plan.engine import Signal, action_as_dict, build_plan, context_for_msme
from apps.tenants.context import tenant_context
from tests.factories import IpAssetFactory, MsmeFactory, MsmeMemberFactory

pytestmark = pytest.mark.django_db


def assess(msme, level, signals=(), **fields):
    return Assessment.objects.create(
        msme=msme, source="self", questionnaire_version="test", level=level, signals=list(signals), **fields
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def business(tenant_a, today):
    """A Kenyan exporter of software with a pending patent (priority year running) and a registered mark."""
    with tenant_context(tenant_a):
        msme = MsmeFactory(name="Savanna Soft", sector_isic_id="5820", sector_section="J", exports=True)
        IpAssetFactory(
            msme=msme,
            asset_type="patent",
            title="Solar dryer",
            status="pending",
            filing_date=today - timedelta(days=100),
        )
        IpAssetFactory(
            msme=msme,
            asset_type="trademark",
            title="SavannaSoft",
            status="registered",
            filing_date=add_months(today, 2 - 120),
            classes="9, 42",
        )
    return msme


@pytest.fixture
def member(login_as, tenant_a, business):
    user = login_as(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a):
        MsmeMemberFactory(msme=business, user=user)
    return user


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


# --- context_for_msme ----------------------------------------------------------------------------


def test_context_for_msme_from_profile_assets_and_latest_assessment(tenant_a, business, today):
    with tenant_context(tenant_a):
        older = assess(business, 4, [Signal.DISPUTE], created_at=timezone.now() - timedelta(days=30))
        assess(business, 2, ["needs_search", "not-a-signal"], area_scores={"patents": 20})
        ctx = context_for_msme(business, today=today)
    assert ctx.level == 2 and ctx.signals == frozenset({Signal.NEEDS_SEARCH}) and ctx.area_scores == {"patents": 20}
    assert ctx.country == "KE" and ctx.sector_isic == "5820" and ctx.exports and ctx.size_class == "micro"
    assert sorted(a.title for a in ctx.assets) == ["SavannaSoft", "Solar dryer"]
    patent = next(a for a in ctx.assets if a.asset_type == "patent")
    assert patent.filing_date == today - timedelta(days=100) and patent.pk is not None
    with tenant_context(tenant_a):
        assert context_for_msme(business, assessment=older, today=today).level == 4


def test_context_without_assessment_uses_the_registry_level(tenant_a, business, today):
    with tenant_context(tenant_a):
        assert context_for_msme(business, today=today).level is None
        business.maturity_level = 3
        business.save()
        assert context_for_msme(business, today=today).level == 3


def test_plan_of_a_real_msme(tenant_a, business, today):
    with tenant_context(tenant_a):
        plan = build_plan(context_for_msme(business, today=today))
    by_key = {a.key: a for a in plan}
    assert by_key["take-diagnostic"].awareness and plan[0].key == "learn-basics"
    pct = next(a for a in plan if a.key.startswith("pct-decision"))
    assert pct.deadline == add_months(today - timedelta(days=100), 12)
    renewal = next(a for a in plan if a.key.startswith("deadline-renewal"))
    assert renewal.deadline == add_months(today, 2)
    assert plan.index(renewal) < plan.index(pct)  # soonest first
    assert "Your profile says your business exports" in by_key["trademark-abroad"].why
    assert "ISIC 5820" in by_key["copyright"].why
    data = action_as_dict(pct)
    assert set(data) == {"key", "title", "why", "topic", "topic_url", "cost", "deadline", "deadline_label"}
    assert data["topic_url"] == "/guidance/pct/" and data["deadline"] == pct.deadline.isoformat()


# --- pages --------------------------------------------------------------------------------------


def test_member_sees_their_plan(client, member, business):
    assert client.get(reverse("guidance:plan")).url == reverse("guidance:msme-plan", args=[business.pk])
    response = client.get(reverse("guidance:msme-plan", args=[business.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Savanna Soft" in page and "Solar dryer" in page and "CHF 1,330" in page
    assert 'href="/guidance/pct/"' in page and reverse("guidance:msme-plan-pdf", args=[business.pk]) in page


def test_member_cannot_see_another_msme(client, member, tenant_a):
    with tenant_context(tenant_a):
        other = MsmeFactory(name="Neighbour")
    assert client.get(reverse("guidance:msme-plan", args=[other.pk])).status_code == 404
    assert client.get(reverse("guidance:msme-plan-pdf", args=[other.pk])).status_code == 404
    assert client.get(reverse("api:msme-plan", args=[other.pk])).status_code == 404


def test_member_without_an_msme_is_sent_to_register(client, login_as, tenant_a):
    login_as(Role.MSME_MEMBER, tenant_a)
    assert client.get(reverse("guidance:plan")).url == reverse("registry:register")


def test_agency_staff_see_their_tenants_plans_only(client, login_as, tenant_a, tenant_b, business):
    login_as(Role.AGENCY_STAFF, tenant_a)
    assert client.get(reverse("guidance:plan")).url == reverse("registry:index")
    assert client.get(reverse("guidance:msme-plan", args=[business.pk])).status_code == 200
    client.logout()
    login_as(Role.AGENCY_STAFF, tenant_b)
    assert client.get(reverse("guidance:msme-plan", args=[business.pk])).status_code == 404
    assert client.get(reverse("guidance:msme-plan-pdf", args=[business.pk])).status_code == 404
    assert client.get(reverse("api:msme-plan", args=[business.pk])).status_code == 404


def test_helpdesk_agent_gets_404(client, login_as, tenant_a, business):
    login_as(Role.HELPDESK_AGENT, tenant_a)
    assert client.get(reverse("guidance:msme-plan", args=[business.pk])).status_code == 404
    assert client.get(reverse("api:msme-plan", args=[business.pk])).status_code == 403


def test_visitor(client, business):
    page = client.get(reverse("guidance:plan"))
    assert page.status_code == 200 and "How the plan is made" in page.content.decode()
    assert "Savanna" not in page.content.decode()
    assert f'href="{reverse("diagnostics:start")}"' in page.content.decode()
    detail = client.get(reverse("guidance:msme-plan", args=[business.pk]))
    assert detail.status_code == 302 and "login" in detail.url
    assert client.get(reverse("api:msme-plan", args=[business.pk])).status_code in {401, 403}


def test_navigation_has_my_action_plan_for_members(client, member):
    page = client.get(reverse("home")).content.decode()
    assert "My action plan" in page and reverse("guidance:plan") in page


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_download_in_english(client, member, business):
    response = client.get(reverse("guidance:msme-plan-pdf", args=[business.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="action-plan-savanna-soft-')
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Savanna Soft" in text and "IP action plan" in text and "Solar dryer" in text
    assert "CHF 1,330" in text and "http://testserver/guidance/pct/" in text


def test_pdf_in_arabic_with_an_arabic_name(client, member, tenant_a, business):
    with tenant_context(tenant_a):
        business.name = "شركة النخيل"
        business.save()
    response = client.get(reverse("guidance:msme-plan-pdf", args=[business.pk]), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith('attachment; filename="action-plan-msme-')
    text = pdf_text(response.content)
    assert "شركة النخيل" in text  # shaped for display, extracted back in reading order
    assert "Solar dryer" in text
    # A web address stays whole in an Arabic line: its last "/" is not moved to the front.
    assert "/guidance/" in text and "/http" not in text
    assert re.search(r"https?://\S+/guidance/[a-z-]+/", text)


def test_pdf_renders_french_and_spanish_accents(client, member, tenant_a, business):
    with tenant_context(tenant_a):
        business.name = "Société Éléphant & Cía, Año"
        business.save()
    for language in ("fr", "es"):
        response = client.get(reverse("guidance:msme-plan-pdf", args=[business.pk]), HTTP_ACCEPT_LANGUAGE=language)
        assert "Société Éléphant & Cía, Año" in pdf_text(response.content)


# --- API ----------------------------------------------------------------------------------------


def test_api_shape(client, member, business, today):
    response = client.get(reverse("api:msme-plan", args=[business.pk]))
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"msme", "generated_on", "level", "actions"}
    assert data["msme"] == {"id": str(business.pk), "name": "Savanna Soft"}
    assert data["generated_on"] == today.isoformat() and data["level"] is None
    first = data["actions"][0]
    assert set(first) == {"key", "title", "why", "topic", "topic_url", "cost", "deadline", "deadline_label"}
    pct = next(a for a in data["actions"] if a["key"].startswith("pct-decision"))
    assert pct["topic"] == "pct" and pct["deadline"] and pct["topic_url"] == "/guidance/pct/"


def test_api_with_a_token_of_agency_staff(client, tenant_a, business):
    from apps.accounts.services import api_token_create
    from tests.factories import user_with_role

    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    _token, key = api_token_create(user=user, membership=user.memberships.get(), name="plan")
    response = client.get(reverse("api:msme-plan", args=[business.pk]), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.json()["msme"]["name"] == "Savanna Soft"


def test_api_level_from_the_latest_assessment(client, member, tenant_a, business):
    with tenant_context(tenant_a):
        assess(business, 4, [Signal.GREEN_TECHNOLOGY])
    data = client.get(reverse("api:msme-plan", args=[business.pk])).json()
    keys = [a["key"] for a in data["actions"]]
    assert data["level"] == 4 and "learn-basics" not in keys and "wipo-green" in keys


def test_api_schema_lists_the_plan(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/msmes/{id}/plan/" in schema


# --- query counts and the MSME page ------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["guidance:msme-plan", "guidance:msme-plan-pdf", "api:msme-plan", "registry:detail"])
def test_query_count_does_not_grow_with_the_register(client, member, tenant_a, business, today, name):
    url = reverse(name, args=[business.pk])
    before = _count(client, url)
    with tenant_context(tenant_a):
        for n in range(6):
            IpAssetFactory(msme=business, asset_type="trademark", title=f"Mark {n}", filing_date=today)
            IpAssetFactory(msme=business, asset_type="patent", title=f"Patent {n}", filing_date=today)
        assess(business, 2, [Signal.EXPORTS])
    assert _count(client, url) == before


def test_msme_page_shows_the_top_three_actions(client, member, business):
    page = client.get(reverse("registry:detail", args=[business.pk])).content.decode()
    section = page[page.index('id="plan-summary"') :]
    section = section[: section.index("</section>")]
    assert section.count("<li") == 3 and "Learn the basics of intellectual property" in section
    assert reverse("guidance:msme-plan", args=[business.pk]) in section
    assert reverse("guidance:msme-plan-pdf", args=[business.pk]) in section


def test_plan_page_in_arabic_is_right_to_left(client, member, business):
    page = client.get(reverse("guidance:msme-plan", args=[business.pk]), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page and "Savanna Soft" in page


def test_deadline_shown_with_its_date(client, member, business, today):
    page = client.get(reverse("guidance:msme-plan", args=[business.pk])).content.decode()
    assert f'datetime="{add_months(today, 2).isoformat()}"' in page
    assert date.min.isoformat() not in page
