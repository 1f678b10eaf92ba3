"""Demo success stories: each demo agency's, most published, one waiting for review. The businesses are made up;
the kinds of story are those the agencies' own publications tell (a brand registered before exporting, a
utility model licensed, a design protected at a fair)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.demo import DemoRun
from apps.stories.models import Story
from apps.tenants.context import tenant_context
from apps.tenants.demo import demo_tenants

# (title, ISIC section, IP used, topics, summary, body, language, published)
STORIES = {
    "ke": [
        (
            "A tea brand that crossed the border",
            "A",
            ["trademark"],
            ["trademarks", "madrid"],
            "A tea cooperative registered its brand at home and through Madrid before selling in Uganda and Rwanda.",
            "The cooperative sold its tea in bulk until a buyer asked for its own brand on the shelf. It registered "
            "the mark in Kenya, then designated Uganda and Rwanda through the Madrid System in one application. When a "
            "copy appeared in Kampala, the registration settled it in weeks. Sales under the brand doubled in two "
            "years.",
            "en",
            True,
        ),
        (
            "A solar dryer licensed to three workshops",
            "C",
            ["utility_model"],
            ["utility-models", "green"],
            "A workshop protected its solar dryer with a utility model and licensed it to three others.",
            "The workshop's dryer halved the losses of mango farmers. A utility model took months, not years, and "
            "cost a fraction of a patent. Three workshops in other counties now build it under licence and pay a "
            "royalty on each dryer.",
            "en",
            True,
        ),
    ],
    "ph": [
        (
            "Woven designs protected before a trade fair",
            "C",
            ["industrial_design"],
            ["industrial-designs", "hague"],
            "A weaving company filed its designs before showing them abroad, and stopped copies within a month.",
            "Before a trade fair in Tokyo, the company filed its new basket designs through the Hague System. Copies "
            "appeared online a month after the fair; the registrations had them taken down. Buyers now ask for the "
            "registered designs by name.",
            "en",
            True,
        ),
        (
            "A search that saved a year of work",
            "M",
            ["patent"],
            ["patents", "tiscs"],
            "A university spin-off asked its ITSO for a patentability search before filing.",
            "The search found an older patent that covered half of the spin-off's claims. It redrew the invention "
            "around what was new, filed, and was granted without objection.",
            "en",
            True,
        ),
    ],
    "eg": [
        (
            "علامة تجارية لزيت الزيتون تصل إلى الأسواق العربية",
            "A",
            ["trademark", "geographical_indication"],
            ["trademarks", "madrid"],
            "سجّلت شركة صغيرة علامتها التجارية قبل التصدير إلى الأردن والمغرب.",
            "كانت الشركة تبيع زيت الزيتون دون علامة. سجّلت علامتها في مصر ثم عيّنت الأردن والمغرب عبر نظام مدريد. "
            "أصبحت العلامة سبب طلب الموزعين للمنتج.",
            "ar",
            True,
        ),
        (
            "A valve design settled by mediation",
            "C",
            ["patent"],
            ["patents", "adr"],
            "A licensee stopped paying royalties; WIPO mediation settled it in two months.",
            "The licence had a WIPO mediation clause. Instead of a court case abroad, the two sides met a mediator "
            "online; the licensee paid what it owed and the licence was renewed.",
            "en",
            False,
        ),
    ],
}


def seed_demo(run: DemoRun) -> None:
    for tenant in demo_tenants():
        with tenant_context(tenant), transaction.atomic():
            if Story.objects.exists():
                continue
            for title, section, ip_used, topics, summary, body, language, published in STORIES.get(tenant.slug, []):
                Story.objects.create(
                    title=title,
                    sector_section=section,
                    country=tenant.country,
                    ip_used=ip_used,
                    topics=topics,
                    summary=summary,
                    body=body,
                    language=language,
                    status=Story.Status.PUBLISHED if published else Story.Status.SUBMITTED,
                    published_at=timezone.now() if published else None,
                )
            run.say(f"{tenant.name}: {len(STORIES.get(tenant.slug, []))} success stories")
