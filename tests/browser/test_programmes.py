"""The programmes in a browser: an MSME lists a green technology from its profile in under ten fields, a seeker
of another agency finds it and expresses interest, the owner accepts, and both see the other's contact; a member
asks the Arbitration and Mediation Center for mediation and the Center's agent moves it on."""

from __future__ import annotations

import pytest
from django.db import transaction
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.core.roles import Division, Role
from apps.helpdesk.models import Queue, QueueAgent
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, IpAssetFactory, MsmeFactory, MsmeMemberFactory, UserFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_green_technology_listed_found_and_both_sides_connected(
    new_page, live_server, console_log, tenant_a, tenant_b
):
    provider = user_with_role(Role.MSME_MEMBER, tenant_a, full_name="Akinyi Otieno")
    seeker = user_with_role(Role.MSME_MEMBER, tenant_b, full_name="Maria Santos")
    with tenant_context(tenant_a), transaction.atomic():
        msme = MsmeFactory(name="SunDry Kenya", sector_section="A", email="hello@sundry.example.org")
        MsmeMemberFactory(msme=msme, user=provider)
        IpAssetFactory(msme=msme, asset_type="utility_model", title="Dryer tunnel frame", jurisdiction="KE")
    with tenant_context(tenant_b), transaction.atomic():
        MsmeMemberFactory(msme=MsmeFactory(name="Copra Growers Coop"), user=seeker)

    page = new_page()
    sign_in(page, live_server.url, provider.email, PASSWORD)
    page.goto(live_server.url + "/programmes/green/")
    assert_styled(page)
    page.get_by_role("link", name="List a technology").click()
    form = page.locator("#green-listing-form")
    fields = form.locator("input:not([type=hidden]):not([type=checkbox]), select, textarea").count()
    fields += form.locator("fieldset").count()  # a group of check boxes is one field
    assert fields < 10
    # Filled in from the profile and the register: the field from the sector, the country, the utility model.
    expect(form.locator("[name=category]")).to_have_value("agriculture")
    expect(form.get_by_label("Utility model: Dryer tunnel frame (KE)")).to_be_checked()
    form.locator("[name=title]").fill("Solar tunnel dryer")
    form.locator("[name=description]").fill("Dries fruit and copra with the sun, no fuel.")
    form.locator("[name=stage]").select_option("market")
    form.get_by_label("Licence").check()
    form.locator("[name=countries]").select_option([])  # offered in every country
    form.locator("[name=keywords]").fill("solar, drying, copra")
    page.screenshot(path=str(ARTIFACTS / "test_programmes-green_listing_form.png"), full_page=True)
    with page.expect_navigation():
        form.get_by_role("button", name="Publish").click()
    expect(page.locator("#listing-facts")).to_contain_text("Utility model: Dryer tunnel frame")

    seeker_page = new_page()
    sign_in(seeker_page, live_server.url, seeker.email, PASSWORD)
    seeker_page.goto(live_server.url + "/programmes/green/?category=agriculture")
    expect(seeker_page.locator("#green-technologies")).to_contain_text("Solar tunnel dryer")
    expect(seeker_page.locator("#green-technologies")).not_to_contain_text("SunDry Kenya")
    seeker_page.get_by_role("link", name="Solar tunnel dryer").click()
    seeker_page.locator("#interest-form [name=message]").fill("We dry copra in Leyte: could we license it?")
    with seeker_page.expect_navigation():
        seeker_page.locator("#interest-form").get_by_role("button", name="Express interest").click()
    expect(seeker_page.locator("#sought-connections")).to_contain_text("Waiting for both to accept")
    expect(seeker_page.locator("#sought-connections .contact")).to_have_count(0)

    page.goto(live_server.url + "/programmes/green/mine/")
    provided = page.locator("#provided-connections")
    expect(provided).to_contain_text("Interested: Copra Growers Coop")
    expect(provided.locator(".contact")).to_have_count(0)  # nothing shared before the owner accepts
    with page.expect_navigation():
        provided.get_by_role("button", name="Accept and share my contact").click()
    expect(page.locator("#provided-connections .contact")).to_contain_text(seeker.email)
    page.screenshot(path=str(ARTIFACTS / "test_programmes-green_connected.png"), full_page=True)

    seeker_page.goto(live_server.url + "/programmes/green/mine/")
    expect(seeker_page.locator("#sought-connections")).to_contain_text("Connected")
    expect(seeker_page.locator("#sought-connections .contact")).to_contain_text(provider.email)
    seeker_page.screenshot(path=str(ARTIFACTS / "test_programmes-green_seeker.png"), full_page=True)
    assert console_log.csp_violations() == []


def test_a_member_asks_for_mediation_and_the_center_s_agent_moves_it(new_page, live_server, console_log, tenant_a):
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    agent = UserFactory(division=Division.AMC, division_role=User.DivisionRole.AGENT, email="case@amc.example.org")
    queue = Queue.objects.create(division=Division.AMC, name="AMC case managers", topics=["adr"], auto_assign=False)
    QueueAgent.objects.create(queue=queue, user=agent, is_lead=True)
    with tenant_context(tenant_a), transaction.atomic():
        MsmeMemberFactory(msme=MsmeFactory(name="Savanna Crafts"), user=member)

    page = new_page()
    sign_in(page, live_server.url, member.email, PASSWORD)
    page.goto(live_server.url + "/programmes/adr/")
    assert_styled(page)
    page.locator("#adr-request-link").click()
    form = page.locator("#programme-request-form")
    form.locator("[name=kind]").select_option("mediation")
    form.locator("[name=subject]").select_option("trademark")
    form.locator("[name=other_party]").fill("Copycat Traders")
    form.locator("[name=other_party_country]").select_option("UG")
    form.locator("[name=language]").select_option("en")
    form.locator("[name=description]").fill("They sell baskets under our brand since our contract ended.")
    with page.expect_navigation():
        form.get_by_role("button", name="Send the request").click()
    expect(page.locator("#request-stage")).to_contain_text("Submitted")
    expect(page.locator("#request-details")).to_contain_text("Uganda")
    request_url = page.url

    agent_page = new_page()
    sign_in(agent_page, live_server.url, agent.email, PASSWORD)
    agent_page.goto(live_server.url + "/programmes/requests/")
    agent_page.get_by_role("link", name="Mediation", exact=True).click()
    stage = agent_page.locator("#stage-form")
    stage.locator("[name=stage]").select_option("in_progress")
    stage.locator("[name=outcome]").fill("A mediator is proposed; we wrote to the other party.")
    with agent_page.expect_navigation():
        stage.get_by_role("button", name="Save and tell the MSME").click()
    agent_page.screenshot(path=str(ARTIFACTS / "test_programmes-adr_agent.png"), full_page=True)

    page.goto(request_url)
    expect(page.locator("#request-stage")).to_contain_text("In progress")
    expect(page.locator("#request-outcome")).to_contain_text("A mediator is proposed")
    page.screenshot(path=str(ARTIFACTS / "test_programmes-adr_member.png"), full_page=True)
    assert console_log.csp_violations() == []


def test_a_visitor_goes_through_the_programmes_in_english_and_arabic(new_page, live_server, console_log, tenant_a):
    from apps.programmes.models import Course, Tisc
    from tests.factories import StoryFactory

    Tisc.objects.create(
        name="KIPI TISC", host_institution="KIPI", country="KE", city="Nairobi", services=["patentability", "landscape"]
    )
    Course.objects.create(
        provider="wipo_academy",
        code="DL-101",
        title="General Course on Intellectual Property",
        level="introductory",
        languages=["en", "ar"],
        is_free=True,
    )
    with tenant_context(tenant_a), transaction.atomic():
        StoryFactory(title="A tea brand that crossed the border", status="published", topics=["trademarks"])

    page = new_page()
    page.goto(live_server.url + "/programmes/")
    assert_styled(page)
    page.get_by_role("link", name="Technology and Innovation Support Centers (TISCs)").click()
    page.locator("#tisc-filters [name=service]").select_option("landscape")
    with page.expect_navigation():
        page.locator("#tisc-filters").get_by_role("button", name="Search").click()
    expect(page.locator("#tisc-list")).to_contain_text("KIPI TISC")
    page.goto(live_server.url + "/programmes/adr/fees/")
    page.locator("#fees-form [name=procedure]").select_option("expedited_arbitration")
    page.locator("#fees-form [name=amount]").fill("5000000")
    page.locator("#fees-form [name=reduction]").check()
    with page.expect_navigation():
        page.locator("#fees-form").get_by_role("button", name="Calculate").click()
    expect(page.locator("#fees-total")).to_have_text("44750.00")  # 1,000 + 5,000 - 1,250 + 40,000
    page.screenshot(path=str(ARTIFACTS / "test_programmes-adr_fees.png"), full_page=True)
    page.goto(live_server.url + "/programmes/adr/clause/?procedure=arbitration&place=Nairobi%2C+Kenya&arbitrators=1")
    expect(page.locator("#clause-text")).to_contain_text("The arbitral tribunal shall consist of a sole arbitrator.")
    page.goto(live_server.url + "/stories/")
    page.get_by_role("link", name="A tea brand that crossed the border").click()
    expect(page.locator("#story-facts")).to_contain_text("Kenya")
    page.goto(live_server.url + "/guidance/trademarks/")
    expect(page.locator("#related-stories-section")).to_contain_text("A tea brand that crossed the border")

    arabic = new_page(locale="ar")
    for path, name in (
        ("/programmes/", "index"),
        ("/programmes/training/?language=ar", "training"),
        ("/programmes/adr/fees/?procedure=udrp&domains=3&panelists=3", "adr_fees"),
        ("/stories/", "stories"),
    ):
        arabic.goto(live_server.url + path)
        assert arabic.locator("html").get_attribute("dir") == "rtl"
        arabic.screenshot(path=str(ARTIFACTS / f"test_programmes-ar_{name}.png"), full_page=True)
    expect(arabic.locator("#course-list")).to_have_count(0)  # the last page: stories
    arabic.goto(live_server.url + "/programmes/training/?language=ar")
    expect(arabic.locator("#course-list")).to_contain_text("DL-101")
    assert console_log.csp_violations() == []
