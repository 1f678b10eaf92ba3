"""The programmes' demo data: TISCs of the demo countries, WIPO Re:Search members, and a few requests per
demo tenant (a TISC search, an ADR request, a Re:Search partnership, an IAP request), some already worked.

The TISC hosts and Re:Search members are real institutions named in public sources (IPOPHL's network of
Innovation and Technology Support Offices, KIPI's and ASRT's national TISC networks, the Re:Search members'
list); every contact detail is made up.
"""

from __future__ import annotations

from django.db import transaction

from apps.accounts.models import User
from apps.core.demo import DemoRun
from apps.core.roles import Division, Role
from apps.helpdesk import notifications
from apps.helpdesk.models import Queue
from apps.programmes import green, mentoring, services
from apps.programmes.catalogue import ADR, IAP, RESEARCH, TISC
from apps.programmes.forms import REQUEST_FORMS, TECHNOLOGY_ASSET_TYPES
from apps.programmes.models import (
    Course,
    GreenTechnology,
    Intermediary,
    Mentor,
    MentoringRequest,
    PartnershipOffer,
    ProgrammeRequest,
    ResearchMember,
    Stage,
    Tisc,
)
from apps.registry.models import IpAsset, MsmeMember
from apps.tenants.context import division_context, tenant_context
from apps.tenants.demo import demo_tenants
from apps.tenants.models import Membership, Tenant
from apps.tenants.scope import actor_for

ALL_SEARCHES = ["database_access", "state_of_the_art", "patentability", "freedom_to_operate", "validity"]

# (tenant slug or "", name, host, country, city, languages, services); "" : no demo tenant answers it.
TISCS = [
    (
        "ke",
        "KIPI Technology and Innovation Support Center",
        "Kenya Industrial Property Institute (KIPI)",
        "KE",
        "Nairobi",
        ["en", "sw"],
        [*ALL_SEARCHES, "landscape", "drafting", "licensing"],
    ),
    (
        "ph",
        "UST Innovation and Technology Support Office",
        "University of Santo Tomas",
        "PH",
        "Manila",
        ["en", "tl"],
        [*ALL_SEARCHES, "drafting", "commercialisation"],
    ),
    (
        "ph",
        "UPLB Innovation and Technology Support Office",
        "University of the Philippines Los Baños",
        "PH",
        "Los Baños",
        ["en", "tl"],
        ["database_access", "state_of_the_art", "patentability", "licensing"],
    ),
    (
        "ph",
        "Ateneo Innovation and Technology Support Office",
        "Ateneo de Manila University",
        "PH",
        "Quezon City",
        ["en", "tl"],
        ["database_access", "patentability", "landscape", "commercialisation"],
    ),
    (
        "ph",
        "CPU Innovation and Technology Support Office",
        "Central Philippine University",
        "PH",
        "Iloilo City",
        ["en", "tl"],
        ["database_access", "state_of_the_art"],
    ),
    (
        "eg",
        "ASRT Technology and Innovation Support Center",
        "Academy of Scientific Research and Technology (ASRT)",
        "EG",
        "Cairo",
        ["ar", "en"],
        [*ALL_SEARCHES, "landscape", "licensing", "commercialisation"],
    ),
]

EVERY_AREA = ["ntd", "malaria", "tuberculosis"]
RESEARCH_MEMBERS = [
    ("Alexandria University, Medical Research Institute", "EG", "university", ["ntd"], ["expertise", "facilities"]),
    (
        "Kenya Agricultural and Livestock Research Organization (KALRO)",
        "KE",
        "institute",
        ["ntd"],
        ["expertise", "facilities"],
    ),
    ("Makerere University", "UG", "university", ["malaria", "tuberculosis"], ["expertise", "data"]),
    (
        "Kumasi Centre for Collaborative Research in Tropical Medicine",
        "GH",
        "institute",
        ["ntd", "malaria"],
        ["expertise", "facilities"],
    ),
    ("Centre Pasteur du Cameroun", "CM", "institute", ["ntd", "tuberculosis"], ["expertise", "facilities"]),
    ("Liverpool School of Tropical Medicine", "GB", "university", EVERY_AREA, ["expertise", "data"]),
    ("Eisai", "JP", "company", EVERY_AREA, ["compounds", "data", "expertise"]),
    ("GlaxoSmithKline (GSK)", "GB", "company", EVERY_AREA, ["compounds", "data", "expertise"]),
    ("Novartis", "CH", "company", EVERY_AREA, ["compounds", "data", "expertise"]),
    ("Drugs for Neglected Diseases initiative (DNDi)", "CH", "pdp", ["ntd", "malaria"], ["data", "expertise"]),
    ("Medicines for Malaria Venture (MMV)", "CH", "pdp", ["malaria"], ["compounds", "data", "expertise"]),
    ("icddr,b", "BD", "institute", ["ntd", "tuberculosis"], ["expertise", "facilities", "data"]),
]

# What each demo tenant's member asks: (programme, kind, details, description, stage reached).
REQUESTS = {
    "ke": [
        (
            TISC,
            "patentability",
            {"technology": "Solar drying of mangoes", "keywords": "solar dryer, fruit"},
            "We built a solar dryer for mangoes and want to know whether it can be patented before we show it at a "
            "trade fair next month.",
            Stage.IN_PROGRESS,
        ),
        (
            ADR,
            "good_offices",
            {
                "subject": "trademark",
                "other_party": "A distributor in Uganda",
                "other_party_country": "UG",
                "amount": "",
                "has_clause": "False",
                "language": "en",
            },
            "A former distributor keeps selling under our brand after the contract ended. We would like to propose "
            "mediation rather than go to court.",
            Stage.SUBMITTED,
        ),
    ],
    "ph": [
        (
            IAP,
            "patent_attorney",
            {
                "country": "PH",
                "field": "Rice husk building panels",
                "invention_stage": "prototype",
                "limited_means": "True",
            },
            "I have a working prototype of a building panel made of rice husk and need help drafting the patent "
            "application.",
            Stage.MATCHED,
        ),
        (
            TISC,
            "freedom_to_operate",
            {"technology": "Coconut fibre packaging", "keywords": "coir, moulded packaging"},
            "Before we export our coconut fibre packaging to Japan we need to know whether others' patents stand in "
            "the way.",
            Stage.COMPLETED,
        ),
    ],
    "eg": [
        (
            RESEARCH,
            "need",
            {
                "disease_area": "ntd",
                "resource": "compounds",
                "organisation_kind": "A diagnostics start-up with a small laboratory",
            },
            "We develop a rapid test for schistosomiasis and look for partners who can share compounds and data.",
            Stage.IN_PROGRESS,
        ),
        (
            ADR,
            "mediation",
            {
                "subject": "patent",
                "other_party": "A licensee in Jordan",
                "other_party_country": "JO",
                "amount": "120000",
                "has_clause": "True",
                "language": "ar",
            },
            "Our licensee stopped paying royalties on our patented irrigation valve. Our licence has a WIPO "
            "mediation clause.",
            Stage.SUBMITTED,
        ),
    ],
}
OUTCOMES = {
    Stage.MATCHED: "A volunteer patent attorney has agreed to help you; they will write to you this week.",
    Stage.COMPLETED: "The freedom-to-operate search report is attached to your ticket: two patents to look at "
    "closely, none in force in Japan.",
    Stage.IN_PROGRESS: "We have started the search and will write to you when it is done.",
}


# WIPO GREEN: each demo agency's member lists a technology and posts a need (title, field, description, stage or
# least stage, what is offered, countries, keywords).
GREEN_TECHNOLOGIES = {
    "ke": (
        "Solar crop dryer for smallholders",
        "agriculture",
        "A solar tunnel dryer that halves the losses of mango and cassava after harvest, built from local materials.",
        "market",
        ["licence", "sale"],
        [],
        "solar, drying, mangoes, cassava",
    ),
    "ph": (
        "Coconut fibre erosion-control mats",
        "building",
        "Woven coir mats that hold slopes and river banks while plants take root, then rot away.",
        "market",
        ["sale", "joint_venture"],
        [],
        "coconut, coir, erosion",
    ),
    "eg": (
        "Low-pressure drip irrigation valve",
        "water",
        "A valve that keeps drip lines even on long rows at low pressure, saving a third of the water.",
        "pilot",
        ["licence", "collaboration"],
        ["EG", "JO", "MA"],
        "irrigation, drip, water, valve",
    ),
}
GREEN_NEEDS = {
    "ke": (
        "Cheap storage for dried fruit",
        "agriculture",
        "Our cooperative needs a way to keep dried mango dry through the rainy season without power.",
        "pilot",
        ["KE"],
        "storage, drying, mangoes",
    ),
    "ph": (
        "Solar drying for copra",
        "energy",
        "Copra is dried over fires; we need a solar dryer that works in humid weather.",
        "prototype",
        ["PH"],
        "solar, drying, copra",
    ),
    "eg": (
        "Water-saving irrigation for greenhouses",
        "water",
        "Greenhouses in the delta need irrigation that uses less water at low pressure.",
        "pilot",
        ["EG"],
        "irrigation, greenhouse, water",
    ),
}


def seed_demo(run: DemoRun) -> None:
    tenants = demo_tenants()
    with transaction.atomic():
        seed_directories(tenants)
        seed_courses()
    for tenant in tenants:
        made = seed_requests(tenant)
        if made:
            run.say(f"{tenant.name}: {made} programme requests")
        listed = seed_green(tenant)
        if listed:
            run.say(f"{tenant.name}: {listed} WIPO GREEN listings")
        if seed_mentoring(tenant):
            run.say(f"{tenant.name}: a mentor and a mentoring request")
        if seed_network(tenant):
            run.say(f"{tenant.name}: intermediaries and a partnership offer")


def seed_green(tenant: Tenant) -> int:
    """The demo member's MSME lists its technology and posts its need, once."""
    user = User.objects.filter(email=f"msme@{tenant.slug}.demo").first()
    membership = Membership.objects.select_related("tenant").filter(tenant=tenant, user=user).first()
    if membership is None or tenant.slug not in GREEN_TECHNOLOGIES:
        return 0
    member = actor_for(user, Role.MSME_MEMBER, membership)
    with tenant_context(tenant), transaction.atomic():
        link = MsmeMember.objects.select_related("msme__tenant").filter(user=user).first()
        if link is None or GreenTechnology.objects.filter(msme=link.msme).exists():
            return 0
        title, category, description, stage, offers, countries, keywords = GREEN_TECHNOLOGIES[tenant.slug]
        assets = IpAsset.objects.filter(msme=link.msme, asset_type__in=TECHNOLOGY_ASSET_TYPES)
        values = {
            "title": title,
            "category": category,
            "description": description,
            "stage": stage,
            "offers": offers,
            "countries": countries,
            "keywords": keywords,
        }
        green.technology_create(actor=member, msme=link.msme, data=values, assets=assets)
        title, category, description, min_stage, countries, keywords = GREEN_NEEDS[tenant.slug]
        values = {
            "title": title,
            "category": category,
            "description": description,
            "min_stage": min_stage,
            "countries": countries,
            "keywords": keywords,
        }
        green.need_create(actor=member, msme=link.msme, data=values)
    return 2


def seed_directories(tenants: list[Tenant]) -> None:
    queues = {tenant.slug: Queue.objects.filter(tenant=tenant, is_default=True).first() for tenant in tenants}
    for slug, name, host, country, city, languages, offered in TISCS:
        handle = name.split()[0].lower()
        Tisc.objects.update_or_create(
            name=name,
            defaults={
                "host_institution": host,
                "country": country,
                "city": city,
                "languages": languages,
                "services": offered,
                "email": f"tisc.{handle}@example.org",
                "phone": "+000 0000 0000",
                "website": f"https://tisc-{handle}.example.org/",
                "queue": queues.get(slug) if city in ("Nairobi", "Manila", "Cairo") else None,
                "is_active": True,
            },
        )
    for name, country, kind, areas, offers in RESEARCH_MEMBERS:
        ResearchMember.objects.update_or_create(
            name=name,
            defaults={"country": country, "kind": kind, "disease_areas": areas, "offers": offers, "is_active": True},
        )


def seed_requests(tenant: Tenant) -> int:
    """The tenant's demo member sends its requests once; the programmes' agents move some of them on."""
    user = User.objects.filter(email=f"msme@{tenant.slug}.demo").first()
    membership = Membership.objects.select_related("tenant").filter(tenant=tenant, user=user).first()
    if membership is None:
        return 0
    member = actor_for(user, Role.MSME_MEMBER, membership)
    made = 0
    with tenant_context(tenant), notifications.muted(), transaction.atomic():
        if ProgrammeRequest.objects.exists():
            return 0
        link = MsmeMember.objects.select_related("msme").filter(user=user).first()
        msme = link.msme if link else None
        sent = []
        for programme, kind, details, description, stage in REQUESTS.get(tenant.slug, []):
            tisc = (
                Tisc.objects.filter(country=tenant.country, queue__isnull=False).first() if programme is TISC else None
            )
            labels = REQUEST_FORMS[programme.slug].base_fields
            lines = [(str(labels[name].label), value) for name, value in details.items()]
            request = services.request_send(
                actor=member,
                programme=programme,
                kind=kind,
                description=description,
                details=details,
                detail_lines=lines,
                language="ar" if details.get("language") == "ar" else "en",
                msme=msme,
                tisc=tisc,
            )
            sent.append((request, stage))
            made += 1
    for request, stage in sent:
        if stage != Stage.SUBMITTED:
            _work(tenant, request, stage)
    return made


def _work(tenant: Tenant, request: ProgrammeRequest, stage: str) -> None:
    """The agent who works the request's queue moves it to `stage`."""
    with notifications.muted():
        if request.division:
            agent_user = User.objects.filter(email=f"agent-{request.division}@wipo.demo").first()
            if agent_user is None:
                return
            actor = actor_for(agent_user, Role.HELPDESK_AGENT, None)
            with division_context(Division(request.division)), transaction.atomic():
                fresh = ProgrammeRequest.objects.get(pk=request.pk)
                services.request_set_stage(actor=actor, request=fresh, stage=stage, outcome=OUTCOMES.get(stage, ""))
            return
        agent_user = User.objects.filter(email=f"agent@{tenant.slug}.demo").first()
        membership = Membership.objects.select_related("tenant").filter(tenant=tenant, user=agent_user).first()
        if membership is None:
            return
        actor = actor_for(agent_user, Role.HELPDESK_AGENT, membership)
        with tenant_context(tenant), transaction.atomic():
            fresh = ProgrammeRequest.objects.get(pk=request.pk)
            services.request_set_stage(actor=actor, request=fresh, stage=stage, outcome=OUTCOMES.get(stage, ""))


ACADEMY = "https://www.wipo.int/academy/en/courses/distance_learning/"
CATALOGUE_2014 = "WIPO Academy, 2014 Distance Learning Courses (course codes and titles)"
DL101_LANGUAGES = ["en", "fr", "es", "ar", "zh", "pt", "ru"]
# (code, title, level, languages, free, duration, source)
COURSES = [
    ("DL-001", "Intellectual Property Primer", "introductory", ["en"], None, "", CATALOGUE_2014),
    (
        "DL-101",
        "General Course on Intellectual Property",
        "introductory",
        DL101_LANGUAGES,
        True,
        "About 50 hours over six weeks",
        "WIPO press update UPD/2003/204 (25 September 2003): the course in Arabic, Chinese, English, French, "
        "Portuguese, Russian and Spanish, about 50 hours over six weeks; free (aplf.org, 2003)",
    ),
    (
        "DL-101PCT",
        "General Primer: Introduction to the Patent Cooperation Treaty",
        "introductory",
        ["en"],
        None,
        "",
        CATALOGUE_2014,
    ),
    ("DL-301", "Patents", "advanced", ["en"], None, "", CATALOGUE_2014),
    (
        "DL-302",
        "Trademarks, Industrial Designs and Geographical Indications",
        "advanced",
        ["en"],
        None,
        "",
        CATALOGUE_2014,
    ),
    (
        "DL-317",
        "Arbitration and Mediation Procedure under the WIPO Rules",
        "advanced",
        ["en"],
        None,
        "",
        CATALOGUE_2014,
    ),
    ("DL-318", "Patent Information Search", "advanced", ["en"], None, "", CATALOGUE_2014),
    ("DL-320", "Basics of Patent Drafting", "intermediate", ["en"], None, "", CATALOGUE_2014),
]
DRAFTING = (
    "",
    "International Patent Drafting Training Program",
    "advanced",
    ["en"],
    None,
    "Eight months in three phases: drafting basics, a workshop in Geneva, mentoring; a final evaluation",
    "wipo.int/sme/en/patent-drafting/ and welc.wipo.int/ipdtp: run with FICPI, English only, general knowledge "
    "at the level of DL-301 required; a limited number of scholarships for applicants from developing countries",
)


def seed_courses() -> None:
    for code, title, level, languages, free, duration, source in COURSES:
        Course.objects.update_or_create(
            provider=Course.Provider.WIPO_ACADEMY,
            title=title,
            defaults={
                "code": code,
                "level": level,
                "languages": languages,
                "is_free": free,
                "duration": duration,
                "url": ACADEMY,
                "source": source,
                "is_active": True,
            },
        )
    code, title, level, languages, free, duration, source = DRAFTING
    Course.objects.update_or_create(
        provider=Course.Provider.PATENT_DRAFTING,
        title=title,
        defaults={
            "code": code,
            "level": level,
            "languages": languages,
            "is_free": free,
            "duration": duration,
            "url": "https://www.wipo.int/sme/en/patent-drafting/",
            "source": source,
            "is_active": True,
        },
    )


# A mentor per demo agency (made-up people; the e-mails go nowhere): (name, areas, languages, experience).
MENTORS = {
    "ke": (
        "Grace Wanjiru",
        ["licensing", "technology_transfer"],
        ["en"],
        "Licensed a university's crop technologies to six companies in East Africa.",
    ),
    "ph": ("Ramon Dela Cruz", ["export", "franchising"], ["en"], "Took a food brand into five ASEAN markets."),
    "eg": ("Hoda Mansour", ["valuation", "strategy"], ["ar", "en"], "Valued IP for investors in technology firms."),
}


def seed_mentoring(tenant: Tenant) -> bool:
    """The agency's mentor, and the demo member's request that the mentor was asked (once)."""
    if tenant.slug not in MENTORS:
        return False
    user = User.objects.filter(email=f"msme@{tenant.slug}.demo").first()
    membership = Membership.objects.select_related("tenant").filter(tenant=tenant, user=user).first()
    with tenant_context(tenant), transaction.atomic():
        if Mentor.objects.exists():
            return False
        name, areas, languages, bio = MENTORS[tenant.slug]
        handle = name.split()[0].lower()
        mentor = Mentor.objects.create(
            name=name, email=f"{handle}.mentor@{tenant.slug}.demo", areas=areas, languages=languages, bio=bio
        )
        link = MsmeMember.objects.select_related("msme").filter(user=user).first()
        if membership is None or link is None or MentoringRequest.objects.exists():
            return True
        member = actor_for(user, Role.MSME_MEMBER, membership)
        mentoring.request_mentor(
            actor=member,
            msme=link.msme,
            area=areas[0],
            description="We have a working product and two companies interested. How do we choose, and what do we ask?",
            language=languages[0],
            mentor=mentor,
        )
    return True


# Each demo agency's intermediaries (real organisations; every contact detail made up) and a made-up company's offer.
INTERMEDIARIES = {
    "ke": [
        ("Kenya National Chamber of Commerce and Industry", "chamber", "Nairobi", []),
        ("Kenya Association of Manufacturers", "association", "Nairobi", ["C"]),
    ],
    "ph": [
        ("Philippine Chamber of Commerce and Industry", "chamber", "Manila", []),
        ("Philippine Exporters Confederation", "association", "Manila", ["C", "G"]),
    ],
    "eg": [
        ("Federation of Egyptian Industries", "association", "Cairo", ["C"]),
        ("Egyptian Junior Business Association", "association", "Cairo", []),
    ],
}
OFFERS = {
    "ke": (
        "A regional food processor",
        "supply",
        "Looking for small suppliers of dried fruit with a registered brand "
        "and a food-safety certificate, for a three-year contract.",
    ),
    "ph": (
        "An export trading company",
        "partnership",
        "Takes the registered designs of small furniture and craft "
        "makers to buyers in Japan and Europe, sharing the margin.",
    ),
    "eg": (
        "A telecoms company",
        "sponsorship",
        "Sponsors five young technology firms a year: patent and trademark "
        "filing costs, and mentoring by its engineers.",
    ),
}


def seed_network(tenant: Tenant) -> bool:
    if tenant.slug not in INTERMEDIARIES:
        return False
    with tenant_context(tenant), transaction.atomic():
        if Intermediary.objects.exists():
            return False
        for name, kind, city, sectors in INTERMEDIARIES[tenant.slug]:
            handle = "".join(word[0] for word in name.split() if word[0].isupper()).lower()
            Intermediary.objects.create(
                name=name,
                kind=kind,
                city=city,
                sectors=sectors,
                email=f"msme-desk@{handle}.example.org",
                description="Runs training and advice for its members, and relays the agency's events.",
            )
        company, kind, description = OFFERS[tenant.slug]
        PartnershipOffer.objects.create(
            company=company,
            kind=kind,
            description=description,
            contact_name="Partnerships desk",
            contact_email=f"partners@{tenant.slug}-company.example.org",
        )
    return True
