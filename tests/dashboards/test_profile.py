"""Country profiles: an agency's own figures on one page and in a PDF; a division analyst's profile of each of
its countries, suppressed as on its statistics page, and never a figure about one MSME."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from apps.core.roles import Division, Role
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from tests.dashboards.helpers import analyst, count
from tests.factories import (
    AssessmentFactory,
    HelpdeskTicketFactory,
    IpAssetFactory,
    MsmeFactory,
    TenantFactory,
)

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def kenya():
    """23 MSMEs: 12 micro in C, 8 small in J, 3 medium in A; 2 with a trademark; 3 helpdesk questions."""
    tenant = TenantFactory(slug="ke", name="Kenya agency", country="KE")
    with tenant_context(tenant), transaction.atomic():
        MsmeFactory.create_batch(12, sector_section="C", size_class="micro")
        small = MsmeFactory.create_batch(8, sector_section="J", size_class="small", maturity_level=3)
        MsmeFactory.create_batch(3, sector_section="A", size_class="medium")
        for msme in small[:2]:
            IpAssetFactory(msme=msme, asset_type="trademark")
        AssessmentFactory(msme=small[0], level=2)
        AssessmentFactory(msme=small[0], level=3)
        HelpdeskTicketFactory.create_batch(3, topic="trademarks", msme=small[1])
    count(tenant)
    return tenant


@pytest.fixture
def philippines():
    tenant = TenantFactory(slug="ph", name="Philippines agency", country="PH")
    with tenant_context(tenant), transaction.atomic():
        MsmeFactory.create_batch(30, sector_section="C", size_class="micro")
        MsmeFactory.create_batch(6, sector_section="G", size_class="small")
    count(tenant)
    return tenant


def test_an_agency_prints_and_downloads_its_own_profile(client, login_as, kenya):
    login_as(Role.AGENCY_STAFF, kenya)
    page = client.get(reverse("dashboards:profile"))
    assert page.status_code == 200
    profile = page.context["profile"]
    assert profile.title == "Kenya: MSMEs and their IP"
    sections = {section.slug: section for section in profile.sections}
    assert [s.slug for s in profile.sections][:5] == [
        "size",
        "sector",
        "maturity",
        "maturity-trend",
        "diagnostics-months",
    ]
    # Its own figures, whole: the 3 medium MSMEs are shown as 3, not "<5".
    assert ["Medium", "3", "13%"] in sections["size"].rows and ["Total", "23", ""] in sections["size"].rows
    assert ["Trademark", "2", "9%"] in sections["ip-types"].rows
    assert {"help-topics", "reach"} <= set(sections)
    body = page.content.decode()
    assert "Kenya: MSMEs and their IP" in body and 'href="/dashboards/profile.pdf"' in body

    text = pdf_text(client.get(reverse("dashboards:profile-pdf")))
    assert "Kenya: MSMEs and their IP" in text and "Kenya agency" in text
    assert "MSMEs by size class" in text and "Helpdesk questions by topic" in text
    download = client.get(reverse("dashboards:profile-pdf"))
    assert download["Content-Disposition"].startswith('attachment; filename="country-profile-ke-')


def test_an_analyst_gets_each_countrys_profile_suppressed_as_on_the_page(client, kenya, philippines):
    client.force_login(analyst(Division.PCT))
    listing = client.get(reverse("dashboards:profile"))
    assert listing.status_code == 200
    assert listing.context["agencies"] == [("ke", "Kenya"), ("ph", "Philippines")]

    page = client.get(reverse("dashboards:agency-profile", args=["ke"]))
    assert page.status_code == 200
    sections = {section.slug: dict(map(tuple, section.rows)) for section in page.context["profile"].sections}
    view = client.get(reverse("dashboards:index")).context["view"]
    size = next(table for table in view.tables if table.slug == "size")
    # The profile's figures are the page's own, "<5" and withheld alike.
    assert sections["size"] == {
        **{label: figures[0].text for label, figures, _ in size.rows},
        "Total": size.column_totals[0].text,
    }
    assert sections["size"]["Medium"] == "<5"
    text = pdf_text(client.get(reverse("dashboards:agency-profile-pdf", args=["ke"])))
    assert "Kenya: MSMEs and their IP" in text and "<5" in text


def test_a_profile_never_holds_an_msmes_name_contact_or_number(client, kenya, philippines):
    with tenant_context(kenya), transaction.atomic():
        private = [
            value
            for msme in Msme.objects.all()
            for value in (msme.name, msme.email, msme.phone, msme.registration_number)
            if value
        ]
    assert private
    client.force_login(analyst(Division.MADRID))
    responses = [
        client.get(reverse("dashboards:agency-profile", args=["ke"])),
        client.get(reverse("dashboards:agency-profile-pdf", args=["ke"])),
    ]
    texts = [responses[0].content.decode(), pdf_text(responses[1])]
    assert not [value for text in texts for value in private if value in text]


def test_a_regional_bureau_gets_the_profiles_of_its_region_only(client, kenya, philippines):
    client.force_login(analyst(Division.RBAC))  # Africa: Kenya, not the Philippines
    assert client.get(reverse("dashboards:profile")).context["agencies"] == [("ke", "Kenya")]
    assert client.get(reverse("dashboards:agency-profile", args=["ke"])).status_code == 200
    assert client.get(reverse("dashboards:agency-profile", args=["ph"])).status_code == 404
    assert client.get(reverse("dashboards:agency-profile-pdf", args=["ph"])).status_code == 404


def test_an_unknown_agency_has_no_profile(client, kenya):
    client.force_login(analyst(Division.PCT))
    assert client.get(reverse("dashboards:agency-profile", args=["nowhere"])).status_code == 404


def test_an_agency_not_counted_yet_gets_a_profile_that_says_so(client, login_as):
    tenant = TenantFactory(country="EG")
    login_as(Role.AGENCY_STAFF, tenant)
    page = client.get(reverse("dashboards:profile"))
    assert page.status_code == 200
    assert "figures not counted yet" in page.content.decode()
    assert "figures not counted yet" in pdf_text(client.get(reverse("dashboards:profile-pdf")))
