"""Demo news: in each demo tenant, a published news post, an open consultation with comments (two approved,
one waiting for moderation), a closed consultation and a draft, written in the tenant's languages (Swahili
in Kenya, Tagalog in the Philippines, Arabic in Egypt; English everywhere) with one post left in English only
to show the fallback; the demo member follows two topics."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.demo import DemoRun
from apps.news import services
from apps.news.models import Comment, Follow, Post
from apps.tenants.context import tenant_context
from apps.tenants.demo import demo_tenants
from apps.tenants.models import Tenant

TEXTS: dict[str, dict[str, tuple[str, str, str]]] = {
    "designs": {
        "en": (
            "Design Law Treaty adopted: simpler design filings abroad",
            "WIPO member states adopted the Design Law Treaty (Riyadh, 2024).",
            "The treaty caps the formalities offices may ask for when you file an industrial design, lets you "
            "correct mistakes without losing your filing date and gives a grace period after you show a design "
            "in public. Ask us how it affects your products' designs.",
        ),
        "sw": (
            "Mkataba wa Sheria ya Miundo wapitishwa",
            "Nchi wanachama wa WIPO zimepitisha Mkataba wa Sheria ya Miundo (Riyadh, 2024).",
            "Mkataba unapunguza taratibu ambazo ofisi zinaweza kuomba unaposajili muundo wa viwanda, na unakupa "
            "muda wa neema baada ya kuonyesha muundo hadharani. Tuulize jinsi unavyohusu bidhaa zako.",
        ),
        "tl": (
            "Pinagtibay ang Design Law Treaty",
            "Pinagtibay ng mga kasaping bansa ng WIPO ang Design Law Treaty (Riyadh, 2024).",
            "Nililimitahan ng kasunduan ang mga pormalidad sa pagpaparehistro ng industrial design at nagbibigay "
            "ng palugit matapos mong ipakita ang disenyo sa publiko. Tanungin kami kung paano ito nakaaapekto sa iyo.",
        ),
        "ar": (
            "اعتماد معاهدة قانون التصاميم: إيداع أيسر للتصاميم في الخارج",
            "اعتمدت الدول الأعضاء في الويبو معاهدة قانون التصاميم (الرياض، 2024).",
            "تحدّ المعاهدة من الإجراءات الشكلية التي يجوز للمكاتب طلبها عند إيداع تصميم صناعي، وتمنح مهلة سماح بعد "
            "عرض التصميم على الجمهور. اسألونا عن أثرها على تصاميم منتجاتكم.",
        ),
    },
    "brands": {
        "en": (
            "Consultation: a national programme to help small businesses register their brands",
            "Tell us what stops your business from registering its trademark, and what help would make it easier.",
            "We are preparing a programme of fee reductions, advice sessions and online filing help for micro and "
            "small enterprises. Before we decide, we want to hear from you: what does registering a trademark cost "
            "you in time and money, and which help would you use? Comment below before the closing date.",
        ),
        "ar": (
            "استشارة: برنامج وطني لمساعدة المنشآت الصغيرة على تسجيل علاماتها التجارية",
            "أخبرونا بما يمنع منشأتكم من تسجيل علامتها التجارية، وبالمساعدة التي تيسّر ذلك.",
            "نعدّ برنامجًا لتخفيض الرسوم وجلسات المشورة والمساعدة في الإيداع الإلكتروني للمنشآت متناهية الصغر والصغيرة. "
            "قبل أن نقرّر نريد أن نسمع منكم: كم يكلّفكم تسجيل العلامة وقتًا ومالًا، وأيّ مساعدة ستستخدمون؟ "
            "علّقوا أدناه قبل تاريخ الإغلاق.",
        ),
    },
    "madrid": {
        "en": (
            "Madrid System fees: what changes next year",
            "The basic fee for an international trademark application stays the same; some designation fees change.",
            "If you plan to protect your brand in several countries through the Madrid System, check the fee "
            "calculator before filing: several members have announced new individual fees.",
        ),
    },
    "green": {
        "en": (
            "Draft: WIPO GREEN matchmaking event for clean-technology SMEs",
            "A call for small businesses offering or seeking green technologies.",
            "Details to follow.",
        ),
    },
}
COMMENTS = [
    ("approved", "The filing fee is not the problem for us: finding out whether the name is free takes weeks."),
    ("approved", "Advice sessions in our region would help; travelling to the capital costs us two days."),
    ("pending", "Could the programme also cover registering our logo abroad?"),
]


def _texts(key: str, languages: list[str], *, english_only: bool = False) -> dict[str, dict[str, str]]:
    written = TEXTS[key]
    picked = ["en"] if english_only else [code for code in ["en", *languages] if code in written]
    return {code: dict(zip(("title", "summary", "body"), written[code], strict=True)) for code in dict.fromkeys(picked)}


def _post(tenant: Tenant, staff: User, *, key: str, kind: str, topic: str, region: str, **options: Any) -> Post:
    languages = list(tenant.languages or ["en"])
    texts = _texts(key, languages, english_only=options.get("english_only", False))
    fallback = "en" if "en" in texts else next(iter(texts))
    return services.post_create(
        actor=staff,
        data={
            "kind": kind,
            "topic": topic,
            "region": region,
            "closes_on": options.get("closes_on"),
            "fallback_language": fallback,
            "texts": texts,
        },
    )


def _publish(post: Post, days_ago: int) -> None:
    # Demo history: published in the past, without telling anyone (nobody follows the topics yet).
    Post.objects.filter(pk=post.pk).update(
        status=Post.Status.PUBLISHED, published_at=timezone.now() - timedelta(days=days_ago)
    )
    post.refresh_from_db()


def seed_tenant(tenant: Tenant) -> int:
    """The tenant's demo posts, unless it has posts already; returns how many were made."""
    staff = User.objects.filter(email=f"agency@{tenant.slug}.demo").first()
    member = User.objects.filter(email=f"msme@{tenant.slug}.demo").first()
    if staff is None or Post.objects.exists():
        return 0
    today = timezone.localdate()
    news = _post(tenant, staff, key="designs", kind="news", topic="industrial-designs", region="global")
    _publish(news, 12)
    consultation = _post(
        tenant, staff, key="brands", kind="consultation", topic="trademarks", region="", closes_on=today + timedelta(30)
    )
    _publish(consultation, 5)
    closed = _post(
        tenant,
        staff,
        key="madrid",
        kind="consultation",
        topic="madrid",
        region="",
        closes_on=today - timedelta(10),
        english_only=True,
    )
    _publish(closed, 40)
    _post(tenant, staff, key="green", kind="news", topic="green", region="africa" if tenant.country == "KE" else "")
    if member is not None:
        for status, body in COMMENTS:
            comment = services.comment_create(actor=member, post=consultation, body=body)
            if status == "approved":
                services.comment_moderate(actor=staff, comment=comment, approve=True)
        Comment.objects.filter(post=consultation).update(created_at=timezone.now() - timedelta(days=2))
        for topic in ("trademarks", "industrial-designs"):
            if not Follow.objects.filter(user=member, topic=topic).exists():
                services.follow_set(actor=member, topic=topic, follow=True)
    return 4


def seed_demo(run: DemoRun) -> None:
    for tenant in demo_tenants():
        with tenant_context(tenant), transaction.atomic():
            made = seed_tenant(tenant)
        run.say(f"News in {tenant.slug}: {made} posts made" if made else f"News in {tenant.slug}: already there")
