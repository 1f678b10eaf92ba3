"""Posts: written in several languages with a fallback, checked once (rules), published once, read by the
tenant's members in their MSME's language or in the fallback with a note; lists filtered, paged in a constant
number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.news import selectors, services
from apps.news.models import Post, PostText
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent

pytestmark = pytest.mark.django_db

EN = {"title": "Brands abroad", "summary": "What the Madrid System costs", "body": "The English text."}
SW = {"title": "Chapa nje ya nchi", "summary": "Gharama za Mfumo wa Madrid", "body": "Maandishi ya Kiswahili."}


def form_data(**overrides):
    data = {
        "kind": "news",
        "topic": "trademarks",
        "region": "",
        "closes_on": "",
        "fallback_language": "en",
        "title_en": EN["title"],
        "summary_en": EN["summary"],
        "body_en": EN["body"],
    }
    data.update(overrides)
    return data


def test_staff_write_a_draft_in_two_languages_then_publish_it(room, django_capture_on_commit_callbacks):
    staff = room.client(room.staff)
    assert staff.get(reverse("news:post_new")).status_code == 200
    response = staff.post(
        reverse("news:post_new"),
        form_data(title_sw=SW["title"], summary_sw=SW["summary"], body_sw=SW["body"], region="KE-30"),
    )
    assert response.status_code == 302
    with tenant_context(room.tenant), transaction.atomic():
        post = Post.objects.get()
        assert (post.status, post.region, post.author_id) == ("draft", "KE-30", room.staff.user.pk)
        assert set(PostText.objects.filter(post=post).values_list("language", flat=True)) == {"en", "sw"}
    # A draft is the staff's: members do not see it (404, as another tenant's).
    assert room.client(room.member).get(reverse("news:post", args=[post.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(reverse("news:post_publish", args=[post.pk])).status_code == 302
    with tenant_context(room.tenant), transaction.atomic():
        post.refresh_from_db()
        assert post.status == "published" and post.published_at is not None
        assert list(AuditEvent.objects.filter(object_id=post.pk).values_list("action", flat=True).order_by("at")) == [
            "create",
            "publish",
        ]
    assert room.client(room.member).get(reverse("news:post", args=[post.pk])).status_code == 200


def test_publishing_twice_changes_nothing(room):
    post = room.post()
    first = post.published_at
    with tenant_context(room.tenant), transaction.atomic():
        again = services.post_publish(actor=room.staff, post=post)
        assert again.published_at == first
        assert AuditEvent.objects.filter(object_id=post.pk, action="publish").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"topic": "not-a-topic"}, "topic"),
        ({"kind": "consultation"}, "closes_on"),  # a consultation needs its closing day
        ({"region": "XX-99"}, "region"),
        ({"title_en": ""}, "title_en"),  # the fallback language needs its text
        ({"title_sw": "Kichwa tu"}, "body_sw"),  # a language begun needs its text
        ({"body_en": "x" * 20_001}, "body_en"),
        ({"fallback_language": "de"}, "fallback_language"),
    ],
)
def test_a_bad_post_is_shown_again_with_the_field_named(room, overrides, field):
    response = room.client(room.staff).post(reverse("news:post_new"), form_data(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    with tenant_context(room.tenant), transaction.atomic():
        assert not Post.objects.exists()


def test_the_service_refuses_what_the_form_refuses(room):
    with tenant_context(room.tenant), transaction.atomic(), pytest.raises(ValidationError) as error:
        services.post_create(
            actor=room.staff,
            data={
                "kind": "consultation",
                "topic": "trademarks",
                "region": "",
                "closes_on": None,
                "fallback_language": "en",
                "texts": {"en": EN},
            },
        )
    assert "closes_on" in error.value.message_dict


def test_an_edit_records_what_changed_per_language(room):
    post = room.post(texts={"en": EN})
    data = form_data(topic="patents", title_sw=SW["title"], body_sw=SW["body"], title_en="Brands, abroad")
    assert room.client(room.staff).post(reverse("news:post_edit", args=[post.pk]), data).status_code == 302
    with tenant_context(room.tenant), transaction.atomic():
        event = AuditEvent.objects.get(object_id=post.pk, action="update")
        assert event.changes["topic"] == ["trademarks", "patents"]
        assert event.changes["en.title"] == ["Brands abroad", "Brands, abroad"]
        assert event.changes["sw.title"] == [None, SW["title"]]


def test_a_member_reads_their_msme_s_language_and_others_the_fallback_with_a_note(room):
    post = room.post(texts={"en": EN, "sw": SW})
    # The member's MSME prefers Swahili: the Swahili text, no note.
    page = room.client(room.member).get(reverse("news:post", args=[post.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert SW["body"] in html and EN["body"] not in html and 'id="fallback-note"' not in html
    # The other member reads the pages in French: no French text, so English with the note.
    other = room.client(room.other)
    other.cookies["django_language"] = "fr"
    html = other.get(reverse("news:post", args=[post.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert EN["body"] in html and 'id="fallback-note"' in html


def test_the_list_marks_a_post_shown_in_the_fallback(room):
    room.post(texts={"en": EN, "sw": SW})
    # The member reads Swahili (their MSME's language), without a note.
    html = room.client(room.member).get(reverse("news:index")).content.decode()
    assert SW["title"] in html and "data-fallback" not in html
    # The other member reads the pages in Arabic, which the post is not in: English, marked.
    html = room.client(room.other).get(reverse("news:index"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert EN["title"] in html and 'data-fallback="en"' in html


def test_pick_text_prefers_the_reader_s_languages_in_order():
    texts = [PostText(language="en", title="E"), PostText(language="ar", title="A")]
    assert selectors.pick_text(texts, ["sw", "ar"], "en") == selectors.Shown(texts[1], is_fallback=False)
    assert selectors.pick_text(texts, ["fr"], "en") == selectors.Shown(texts[0], is_fallback=True)
    assert selectors.pick_text([], ["fr"], "en").text is None


def test_the_list_filters_by_topic_kind_and_region_and_shows_only_published(room):
    room.post(texts={"en": {**EN, "title": "Trademark news"}})
    room.post(
        texts={"en": {**EN, "title": "Patent consultation"}},
        topic="patents",
        kind="consultation",
        closes_on=timezone.localdate() + datetime.timedelta(days=3),
        region="africa",
    )
    room.post(texts={"en": {**EN, "title": "Draft news"}}, publish=False)
    member = room.client(room.member)

    def titles(query: str) -> set[str]:
        html = member.get(reverse("news:index") + query).content.decode()
        return {t for t in ("Trademark news", "Patent consultation", "Draft news") if t in html}

    assert titles("") == {"Trademark news", "Patent consultation"}
    assert titles("?topic=patents") == {"Patent consultation"}
    assert titles("?kind=news") == {"Trademark news"}
    assert titles("?region=africa") == {"Patent consultation"}
    assert member.get(reverse("news:index") + "?topic=nonsense").status_code == 400
    # The staff's list has the draft too.
    html = room.client(room.staff).get(reverse("news:manage") + "?status=draft").content.decode()
    assert "Draft news" in html and "Trademark news" not in html


def test_the_list_pages_in_a_constant_number_of_queries(room):
    member = room.client(room.member)
    member.get(reverse("news:index"))  # warm the session, the caches
    room.post()
    with CaptureQueriesContext(connection) as few:
        assert member.get(reverse("news:index")).status_code == 200
    for _ in range(25):
        room.post()
    with CaptureQueriesContext(connection) as many:
        assert member.get(reverse("news:index")).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_another_tenant_s_post_is_not_found(room, other_tenant):
    with tenant_context(other_tenant), transaction.atomic():
        from tests.factories import NewsPostFactory

        theirs = NewsPostFactory()
    member, staff = room.client(room.member), room.client(room.staff)
    assert member.get(reverse("news:post", args=[theirs.pk])).status_code == 404
    assert staff.get(reverse("news:post_edit", args=[theirs.pk])).status_code == 404
    assert staff.post(reverse("news:post_publish", args=[theirs.pk])).status_code == 404
