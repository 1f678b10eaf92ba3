"""Accessibility: axe-core checks the main page of every app, and the detail pages under them, against WCAG 2.2
AA, as the role that uses it, in English and in Arabic (right to left), at a desktop and a phone width; and the
main forms shown again with their errors after an empty (or wrong) submission.

Every page of one language and width is checked before the test fails, so one run lists every violation. One
browser context per role (signed in once) visits all of that role's pages.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core import mail
from django.db import transaction
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.core.roles import Division, Role
from apps.dashboards import rollups
from apps.diagnostics.models import VisitorAssessment
from apps.helpdesk.models import QueueAgent, Ticket
from apps.programmes.models import Tisc
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from tests.browser.helpers import (
    AXE_SCRIPT,
    LOGIN_PATH,
    accessibility_violations,
    assert_accessible,
    choose_with_arrows,
    describe_violations,
    select_with_arrows,
    sign_in,
    tab_to,
)
from tests.browser.test_diagnostics import STEPS
from tests.factories import (
    PASSWORD,
    CampaignFactory,
    EventFactory,
    HelpdeskTicketFactory,
    IpAssetFactory,
    MsmeFactory,
    MsmeMemberFactory,
    NewsPostFactory,
    QueueFactory,
    SegmentFactory,
    UserFactory,
    user_with_role,
)
from tests.surveys.helpers import make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("en", "ar")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# The pages each role is checked on; "{msme}", "{ticket}" and the like are the rows the data below makes.
VISITOR_PAGES = [
    "/",
    "/accounts/login/",
    "/guidance/",
    "/guidance/trademarks/",
    "/guidance/calculators/",
    "/guidance/calculators/pct-deadlines/",
    "/guidance/calculators/pct-fees/",
    "/guidance/calculators/madrid-fees/",
    "/guidance/calculators/hague-fees/",
    "/diagnostic/",
    "/events/",
    "/events/{event}/",
    "/news/",
    "/news/{post}/",
    "/programmes/",
    "/programmes/adr/",
    "/programmes/tiscs/{tisc}/",
    "/about/accessibility/",
]
MEMBER_PAGES = [
    "/guidance/plan/",
    "/helpdesk/",
    "/helpdesk/tickets/{ticket}/",
    "/registry/{msme}/",
    "/registry/{msme}/assets/new/",
    "/registry/{msme}/assets/{asset}/edit/",
    "/accounts/profile/",
]
AGENT_PAGES = ["/helpdesk/queue/", "/helpdesk/work/{ticket}/"]
STAFF_PAGES = [
    "/registry/",
    "/registry/{msme}/",
    "/registry/import/",
    "/guidance/plan/{msme}/",
    "/outreach/",
    "/outreach/campaigns/{campaign}/",
    "/outreach/segments/",
    "/outreach/segments/{segment}/",
    "/events/",
    "/events/{event}/",
    "/news/",
    "/surveys/",
    "/surveys/{survey}/",
    "/helpdesk/settings/",
    "/dashboards/",
]
# A WIPO division's people: the analyst compares the countries, the division's agent works the tickets routed to it.
ANALYST_PAGES = ["/dashboards/", "/dashboards/profile/", "/dashboards/profile/{agency}/"]
DIVISION_AGENT_PAGES = ["/helpdesk/queue/", "/helpdesk/work/{routed_ticket}/"]
DIVISION_AGENT = "division_agent"  # not a Role: a user's division_role (apps.accounts.models.User.DivisionRole)

# Forms submitted empty (the sign-in form with a wrong password), or a calculator given an incomplete query (no
# office designated: a group of check boxes in error): the page shown again with the errors is checked.
FORMS_WITH_ERRORS = {
    None: ["/accounts/login/", "/guidance/calculators/madrid-fees/?classes=1"],
    Role.MSME_MEMBER: ["/helpdesk/new/", "/registry/{msme}/assets/new/"],
    Role.AGENCY_STAFF: ["/registry/new/", "/outreach/campaigns/new/", "/outreach/segments/new/", "/events/new/"],
}


@pytest.fixture
def axe_page(new_page):
    """A page that axe-core can be injected into: an inline script, which the portal's policy rightly refuses."""
    return new_page(bypass_csp=True)


def _data(tenant) -> dict[str, object]:
    """A business with a member, an asset, a ticket, a campaign, a segment, an event, a news post, a survey and a
    TISC; a ticket routed to the PCT division; the statistics counted; a user per role."""
    users = {
        Role.MSME_MEMBER: user_with_role(Role.MSME_MEMBER, tenant),
        Role.HELPDESK_AGENT: user_with_role(Role.HELPDESK_AGENT, tenant),
        Role.AGENCY_STAFF: user_with_role(Role.AGENCY_STAFF, tenant),
        Role.DIVISION_ANALYST: user_with_role(Role.DIVISION_ANALYST),
        DIVISION_AGENT: UserFactory(division=Division.PCT, division_role=User.DivisionRole.AGENT),
    }
    with tenant_context(tenant), transaction.atomic():
        msme = MsmeFactory(name="Savanna Soft", sector_isic_id="5820", sector_section="J", exports=True)
        MsmeMemberFactory(msme=msme, user=users[Role.MSME_MEMBER])
        queue = QueueFactory(name="Savanna helpdesk", is_default=True)
        QueueAgent.objects.create(queue=queue, user=users[Role.HELPDESK_AGENT])
        division_queue = QueueFactory(tenant=None, division=Division.PCT, name="PCT help")
        QueueAgent.objects.create(queue=division_queue, user=users[DIVISION_AGENT])
        rows = {
            "msme": msme,
            "asset": IpAssetFactory(msme=msme, asset_type="trademark", title="Savanna logo"),
            "ticket": HelpdeskTicketFactory(
                msme=msme, queue=queue, requester=users[Role.MSME_MEMBER], subject="How do we register our logo?"
            ),
            "routed_ticket": HelpdeskTicketFactory(
                msme=msme,
                queue=division_queue,
                division=Division.PCT,
                requester=users[Role.MSME_MEMBER],
                subject="When is our PCT deadline?",
            ),
            "segment": SegmentFactory(name="Micro businesses"),
            "campaign": CampaignFactory(name="Diagnostic invitation", segment=SegmentFactory(name="Exporters")),
            "event": EventFactory(title="Protecting your designs: a workshop"),
            "post": NewsPostFactory(),
            "survey": make_survey(),
            "tisc": Tisc.objects.create(
                name="Savanna TISC", host_institution="Savanna University", country="KE", city="Nairobi", queue=queue
            ),
        }
        rollups.rebuild(tenant)
    return {"users": users, "rows": {**rows, "agency": tenant.slug}}


def _pages_for(role: Role | str | None, rows: dict[str, object]) -> list[str]:
    pages = {
        None: VISITOR_PAGES,
        Role.MSME_MEMBER: MEMBER_PAGES,
        Role.HELPDESK_AGENT: AGENT_PAGES,
        Role.AGENCY_STAFF: STAFF_PAGES,
        Role.DIVISION_ANALYST: ANALYST_PAGES,
        DIVISION_AGENT: DIVISION_AGENT_PAGES,
    }[role]
    return [_path(path, rows) for path in pages]


def _path(path: str, rows: dict[str, object]) -> str:
    return path.format(**{name: getattr(row, "pk", row) for name, row in rows.items()})


def _page_as(new_page, live_server, data, role, language: str, viewport: str):
    """A page in the language and at the width, signed in as the role (a visitor when None)."""
    # bypass_csp: axe-core is injected as an inline script, which the portal's policy rightly refuses.
    page = new_page(
        locale=language,
        extra_http_headers={"Accept-Language": language},
        viewport=VIEWPORTS[viewport],
        bypass_csp=True,
    )
    if role is not None:
        sign_in(page, live_server.url, data["users"][role].email, PASSWORD)
    return page


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_have_no_wcag_violations(new_page, live_server, tenant_a, language, viewport):
    data = _data(tenant_a)
    found = []
    roles = (None, Role.MSME_MEMBER, Role.HELPDESK_AGENT, Role.AGENCY_STAFF, Role.DIVISION_ANALYST, DIVISION_AGENT)
    for role in roles:
        page = _page_as(new_page, live_server, data, role, language, viewport)
        for path in _pages_for(role, data["rows"]):
            response = page.goto(live_server.url + path)
            assert response.ok, f"{path} as {role}: HTTP {response.status}"
            assert page.locator("html").get_attribute("lang") == language, f"{path} is not in {language}"
            violations = accessibility_violations(page)
            found += [f"{path} ({role or 'visitor'}): {line}" for line in describe_violations(violations)]
    assert not found, f"{len(found)} WCAG 2.2 AA violation(s) in {language} at {viewport} width:\n" + "\n".join(found)


def _submit_with_errors(page, path: str) -> None:
    """Submit the page's main form empty; the sign-in form with a known address and a wrong password."""
    form = page.locator("main form[method='post']:has([type='submit'])").last
    if path.startswith(LOGIN_PATH):
        form = page.locator("main form:has(input[name='password'])")
        form.locator("input[name='login']").fill("nobody@example.org")
        form.locator("input[name='password']").fill("not the password")
    # The browser's own checks would stop an empty form before the server shows its errors.
    form.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        form.locator("[type='submit']").last.click()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_forms_shown_again_with_errors_have_no_wcag_violations(new_page, live_server, tenant_a, language, viewport):
    """Each field in error says so (aria-invalid) and is described by its error, and the summary is announced."""
    data = _data(tenant_a)
    found = []
    for role, paths in FORMS_WITH_ERRORS.items():
        page = _page_as(new_page, live_server, data, role, language, viewport)
        for path in (_path(path, data["rows"]) for path in paths):
            page.goto(live_server.url + path)
            if "?" not in path:
                _submit_with_errors(page, path)
            summary = page.locator("main [role='alert']")
            expect(summary.first).to_be_visible()
            invalid = page.locator("main [aria-invalid='true']")
            if not path.startswith(LOGIN_PATH):
                assert invalid.count() > 0, f"{path} ({role or 'visitor'}): no field is marked invalid"
            for field in invalid.all():
                # A radio button or check box of a group is described with its group (the fieldset).
                described = field.evaluate(
                    "el => [el, ['radio', 'checkbox'].includes(el.type) ? el.closest('fieldset') : null]"
                    ".map(e => e?.getAttribute('aria-describedby') ?? '').join(' ')"
                ).split()
                assert any(name.endswith("_error") for name in described), (
                    f"{path}: {field.get_attribute('name')} is invalid but not described by its error"
                )
                assert all(page.locator(f"[id='{name}']").count() == 1 for name in described), described
            violations = accessibility_violations(page)
            found += [f"{path} ({role or 'visitor'}): {line}" for line in describe_violations(violations)]
    assert not found, f"{len(found)} WCAG 2.2 AA violation(s) in {language} at {viewport} width:\n" + "\n".join(found)


def test_the_diagnostic_by_keyboard_alone(axe_page, live_server):
    """Start, every step and the result with Tab, the arrows, Space and Enter: no click, no fill."""
    page = axe_page
    page.goto(live_server.url + "/diagnostic/")
    tab_to(page, "#diagnostic-start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for number, answers in enumerate(STEPS, start=1):
        assert page.url.endswith(f"/diagnostic/step/{number}/")
        for question, value in answers.items():
            for option in value if isinstance(value, list) else [value]:
                target = f"q-{question}-{option}"
                if isinstance(value, list):
                    tab_to(page, f"#{target}")
                    page.keyboard.press("Space")
                else:
                    tab_to(page, f"input[type=radio][name='{question}']")
                    choose_with_arrows(page, target)
                assert page.locator(f"#{target}").is_checked(), target
        assert_accessible(page)
        tab_to(page, "#diagnostic-next")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert page.url.endswith("/diagnostic/result/")
    assert page.locator("#result-level").inner_text() == "Level 3 of 5: Protecting"
    assert_accessible(page)
    assert VisitorAssessment.objects.get().level == 3


def _sign_in_by_keyboard(page, base_url: str, email: str) -> None:
    page.goto(base_url + LOGIN_PATH)
    tab_to(page, "main input[name='login']")
    page.keyboard.type(email)
    tab_to(page, "main input[name='password']")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_member_asks_the_helpdesk_by_keyboard_alone(axe_page, live_server, tenant_a):
    page = axe_page
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        MsmeMemberFactory(msme=MsmeFactory(name="Savanna Honey"), user=member)
    _sign_in_by_keyboard(page, live_server.url, member.email)
    page.goto(live_server.url + "/helpdesk/")
    tab_to(page, "#tickets-empty a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#ticket-form input[name='subject']")
    page.keyboard.type("Protect our trademark logo")
    tab_to(page, "#ticket-form textarea[name='body']")
    page.keyboard.type("We sell honey in Kenya and Uganda under one brand. Where do we start?")
    tab_to(page, "#ticket-form select[name='topic']")
    page.keyboard.type("Trademarks")  # a closed list picks the option its typed name starts
    assert page.locator("#ticket-form select[name='topic']").input_value() == "trademarks"
    assert_accessible(page)
    tab_to(page, "#ticket-form [type='submit']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/helpdesk/tickets/[0-9a-f-]{36}/$"))
    expect(page.locator("h1")).to_have_text("Protect our trademark logo")
    assert_accessible(page)
    with tenant_context(tenant_a), transaction.atomic():
        ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.topic, ticket.requester_id) == (
        "Protect our trademark logo",
        "trademarks",
        member.pk,
    )


def test_agency_staff_write_and_send_a_campaign_by_keyboard_alone(axe_page, live_server, tenant_a, settings):
    page = axe_page
    settings.OUTREACH_RATE_LIMITS = {"email": 0, "sms": 0, "whatsapp": 0}
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        MsmeFactory(name="Savanna Crafts", email="crafts@example.org", consent_outreach=True)
    _sign_in_by_keyboard(page, live_server.url, staff.email)
    page.goto(live_server.url + "/outreach/")
    tab_to(page, "#new-campaign")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#campaign-form input[name='name']")
    page.keyboard.type("Diagnostic invitation")
    tab_to(page, "#campaign-form select[name='link']")
    select_with_arrows(page, "diagnostic:start")
    tab_to(page, "#message-en input[name$='subject']")
    page.keyboard.type("{agency} invites {msme}")
    tab_to(page, "#message-en textarea[name$='body']")
    page.keyboard.type("Dear {msme}, take the IP diagnostic: {link}")
    assert_accessible(page)
    tab_to(page, "#campaign-form [type='submit']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#campaign-status")).to_have_text("Draft")
    tab_to(page, "#send-campaign")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#campaign-status")).to_have_text("Sent")
    expect(page.locator('[data-count="sent"]')).to_have_text("1")
    assert_accessible(page)
    assert [message.to for message in mail.outbox] == [["crafts@example.org"]]
    assert "/diagnostic/" in mail.outbox[0].body


IMPORT_CSV = """\
name,registration_number,sector_isic,employees,region,exports
Savanna Crafts Ltd,KE-IMP-001,1079,4,Nairobi City,yes
Broken Counts Ltd,KE-IMP-004,1079,-3,,
"""


def _open_file_chooser(page):
    """Space on the focused file input; pressed again when no chooser opened (on a busy machine Chromium once
    let a press go by without one, and a keyboard user would simply press again)."""
    for _ in range(3):
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("Space on the file input opened no file chooser")


def test_agency_staff_import_a_file_by_keyboard_alone(axe_page, live_server, tenant_a, tmp_path):
    page = axe_page
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    upload = tmp_path / "kenya-msmes.csv"
    upload.write_text(IMPORT_CSV, encoding="utf-8")
    _sign_in_by_keyboard(page, live_server.url, staff.email)
    page.goto(live_server.url + "/registry/import/")
    tab_to(page, "main input[type='file']")
    # Space opens the file chooser, as it would for a keyboard user; the test answers it with the file.
    _open_file_chooser(page).set_files(str(upload))
    tab_to(page, "main form[enctype='multipart/form-data'] [type='submit']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#import-counts [data-count='created']")).to_have_text("1")
    expect(page.locator("#import-errors")).to_contain_text("cannot be negative")
    assert_accessible(page)
    tab_to(page, "form[action$='/confirm/'] [type='submit']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Import of kenya-msmes.csv")
    with tenant_context(tenant_a), transaction.atomic():
        assert list(Msme.objects.values_list("registration_number", flat=True)) == ["KE-IMP-001"]


def test_axe_core_is_a_tool_of_the_tests_never_served(client):
    """axe-core is installed by `npm ci` for the tests, but no static files directory or URL reaches it."""
    assert AXE_SCRIPT.exists()
    assert finders.find("axe.min.js") is None
    assert not any("axe-core" in str(location) for _prefix, location in _static_dirs())
    assert client.get("/static/axe-core/axe.min.js").status_code == 404
    assert client.get("/static/vendor/axe-core/axe.min.js").status_code == 404


def _static_dirs():
    return [entry if isinstance(entry, tuple) else ("", entry) for entry in django_settings.STATICFILES_DIRS]
