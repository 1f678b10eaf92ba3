"""News and consultations in the browser: agency staff write a consultation in English and Arabic and publish
it; a member of an Egyptian MSME reads it in Arabic (right to left) and comments; the staff approve the comment
in the moderation queue; the member then sees it under the consultation."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, MsmeFactory, MsmeMemberFactory, TenantFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE_EN = "Consultation: help for small businesses to register their brands"
TITLE_AR = "استشارة: مساعدة المنشآت الصغيرة على تسجيل علاماتها التجارية"
BODY_AR = "نعدّ برنامجًا لتخفيض الرسوم. أخبرونا بما تحتاجون إليه قبل تاريخ الإغلاق."
COMMENT = "نحتاج إلى جلسات مشورة في محافظتنا."


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"news-{name}.png"), full_page=True)


@pytest.fixture
def agency() -> Tenant:
    return TenantFactory(slug="eg-news", name="Egyptian MSME Development Agency", country="EG", languages=["ar", "en"])


def test_staff_publish_a_consultation_a_member_comments_and_sees_it_approved(
    new_page, live_server, console_log, agency
):
    staff = user_with_role(Role.AGENCY_STAFF, agency, email="staff@eg-news.example.org")
    member = user_with_role(Role.MSME_MEMBER, agency, email="member@eg-news.example.org")
    with tenant_context(agency), transaction.atomic():
        MsmeMemberFactory(msme=MsmeFactory(name="Nile Honey", preferred_language="ar"), user=member)

    # The staff write the consultation in English and Arabic, and publish it.
    desk = new_page()
    sign_in(desk, live_server.url, staff.email, PASSWORD)
    desk.goto(live_server.url + "/news/manage/")
    assert_styled(desk)
    desk.locator("#news-new").click()
    form = desk.locator("#post-form")
    form.locator("#id_kind").select_option("consultation")
    form.locator("#id_topic").select_option("trademarks")
    closes = timezone.localdate() + datetime.timedelta(days=14)
    form.locator("#id_closes_on").fill(closes.isoformat())
    form.locator("#id_fallback_language").select_option("en")
    form.locator("#id_title_en").fill(TITLE_EN)
    form.locator("#id_body_en").fill("We are preparing a programme of fee reductions. Tell us what you need.")
    form.locator("#id_title_ar").fill(TITLE_AR)
    form.locator("#id_body_ar").fill(BODY_AR)
    _shot(desk, "1-staff-write")
    with desk.expect_navigation():
        desk.locator("#post-publish").click()
    expect(desk.locator("#post-title")).to_have_text(TITLE_EN)
    expect(desk.locator("#consultation-status")).to_be_visible()
    _shot(desk, "2-staff-published")

    # The member reads it in Arabic, right to left, and comments.
    reader = new_page(locale="ar-EG", extra_http_headers={"Accept-Language": "ar"})
    sign_in(reader, live_server.url, member.email, PASSWORD)
    reader.goto(live_server.url + "/news/")
    assert reader.locator("html").get_attribute("dir") == "rtl"
    expect(reader.locator("#news-list")).to_contain_text(TITLE_AR)
    _shot(reader, "3-member-list-ar")
    with reader.expect_navigation():
        reader.locator("#news-list a", has_text=TITLE_AR).click()
    expect(reader.locator("#post-title")).to_have_text(TITLE_AR)
    expect(reader.locator("#fallback-note")).to_have_count(0)
    reader.locator("#comment-form textarea").fill(COMMENT)
    with reader.expect_navigation():
        reader.locator("#comment-form [type='submit']").click()
    expect(reader.locator("[data-pending]")).to_contain_text(COMMENT)
    _shot(reader, "4-member-comment-waiting-ar")

    # The staff approve it in the moderation queue.
    desk.goto(live_server.url + "/news/moderation/")
    item = desk.locator("#moderation-list li", has_text=COMMENT)
    item.locator("input[type='checkbox']").check()
    _shot(desk, "5-staff-moderation")
    with desk.expect_navigation():
        desk.locator("#approve").click()
    expect(desk.locator("#moderation-empty")).to_be_visible()

    # The member sees it under the consultation.
    reader.reload()
    expect(reader.locator("#comment-list [data-comment]")).to_contain_text(COMMENT)
    expect(reader.locator("[data-pending]")).to_have_count(0)
    _shot(reader, "6-member-comment-approved-ar")
    assert console_log.csp_violations() == []
