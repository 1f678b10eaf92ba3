"""The IP-maturity questionnaire: versioned definitions, shared by the pages, the API and the scoring.

Each question belongs to one area and lists its options from the least to the most mature answer.
An option carries `points` (what it scores; None on questions that only describe the business),
the plan `signals` it implies (apps.plan.context.Signal) and `facts`, the evidence the
level gates of apps.diagnostics.scoring look for.

`show_if` makes a question conditional on earlier answers (all conditions must hold): no patent
questions for a business without inventions. An answer to a question that is hidden by the other
answers is ignored (dropped), never an error: a client that answers everything, or a visitor who
goes back and changes an earlier answer, is not punished for it.

A published version is never edited: change the questions in a new version, add it to VERSIONS and
point CURRENT_VERSION at it, so that stored assessments keep meaning what they meant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.diagnostics.vocabulary import Signal

SINGLE = "single"
MULTI = "multi"

# Evidence for the level gates (DESIGN.md's meanings).
AWARE = "aware"  # knows IP matters to the business
PROTECTS = "protects"  # holds or has filed a right, or keeps trade secrets deliberately
MANAGES = "manages"  # keeps a register with deadlines, or a written IP strategy
LEVERAGES = "leverages"  # earns from IP: licensing, finance, protection abroad, enforcement
FACTS = (AWARE, PROTECTS, MANAGES, LEVERAGES)

# The areas, in the order the questionnaire's steps take them.
AREAS: dict[str, Promise] = {
    "awareness": _("Awareness"),
    "ownership": _("Knowing what you own"),
    "protection": _("Protection"),
    "management": _("Management and contracts"),
    "commercialisation": _("Commercialisation and finance"),
    "international": _("International markets"),
    "enforcement": _("Disputes and enforcement"),
}


@dataclass(frozen=True)
class Option:
    value: str
    text: Promise
    points: int | None = None
    signals: frozenset[Signal] = frozenset()
    facts: frozenset[str] = frozenset()
    exclusive: bool = False  # multi: "none of these" cannot be ticked with anything else


@dataclass(frozen=True)
class Condition:
    """Shown when the answer to `question` is (for a multi answer: includes) one of `any_of`."""

    question: str
    any_of: tuple[str, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        answer = answers.get(self.question)
        given = answer if isinstance(answer, list) else [answer]
        return any(value in self.any_of for value in given)


@dataclass(frozen=True)
class Question:
    id: str
    area: str
    kind: str
    text: Promise
    options: tuple[Option, ...]
    help: Promise | str = ""
    show_if: tuple[Condition, ...] = ()
    # Multi questions: the sum of the ticked options' points, capped here (None: the sum of all).
    max_points: int | None = None

    @property
    def scored(self) -> bool:
        return any(option.points is not None for option in self.options)

    @property
    def maximum(self) -> int:
        if not self.scored:
            return 0
        if self.kind == SINGLE:
            return max(option.points or 0 for option in self.options)
        total = sum(option.points or 0 for option in self.options)
        return min(total, self.max_points) if self.max_points is not None else total

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)

    def is_shown(self, answers: Mapping[str, Any]) -> bool:
        return all(condition.holds(answers) for condition in self.show_if)


@dataclass(frozen=True)
class Questionnaire:
    version: str
    questions: tuple[Question, ...]
    areas: tuple[str, ...] = field(default=tuple(AREAS))

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    @cached_property  # built once: question() is called for every answer of every request
    def _by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    def in_area(self, area: str) -> list[Question]:
        return [question for question in self.questions if question.area == area]

    def visible(self, answers: Mapping[str, Any]) -> list[Question]:
        """The questions these answers show, in order (a condition reads only the answers of shown questions)."""
        shown: dict[str, Any] = {}
        result = []
        for question in self.questions:
            if question.is_shown(shown):
                result.append(question)
                if question.id in answers:
                    shown[question.id] = answers[question.id]
        return result


def _o(value: str, text: Promise, points: int | None = None, *, signals=(), facts=(), exclusive=False) -> Option:
    return Option(value, text, points, frozenset(Signal(s) for s in signals), frozenset(facts), exclusive)


NO_YES = "no", "yes"
HAS_INVENTIONS = Condition("has_inventions", ("yes",))
SELLS_ABROAD = Condition("exports", ("planning", "yes"))

QUESTIONS_2026_1 = (
    # --- Awareness -------------------------------------------------------------------------
    Question(
        "ip_matters",
        "awareness",
        SINGLE,
        _("How much does intellectual property (IP) matter to your business?"),
        (
            _o("unknown", _("I do not know what intellectual property is"), 0),
            _o("not_for_us", _("I have heard of it, but I do not think it concerns us"), 1),
            _o("matters", _("It matters to us, but we have not acted on it yet"), 2, facts=[AWARE]),
            _o("planned", _("It is part of how we plan the business"), 3, facts=[AWARE]),
        ),
    ),
    Question(
        "ip_kinds",
        "awareness",
        SINGLE,
        _("Do you know the difference between a trademark, a patent, an industrial design and copyright?"),
        (
            _o("no", _("No"), 0),
            _o("roughly", _("Roughly"), 1),
            _o("yes", _("Yes, and I know which of them apply to us"), 2, facts=[AWARE]),
        ),
    ),
    Question(
        "ip_learning",
        "awareness",
        SINGLE,
        _("Has anyone in the business learned about IP (a course, a webinar, advice from the IP office)?"),
        (
            _o("no", _("No"), 0),
            _o("read", _("Someone has read about it"), 1),
            _o("trained", _("Someone has been trained or advised"), 2, facts=[AWARE]),
            _o("regularly", _("Regularly: someone keeps up to date"), 3, facts=[AWARE]),
        ),
    ),
    # --- Knowing what you own -----------------------------------------------------------
    Question(
        "assets_held",
        "ownership",
        MULTI,
        _("Which of these does your business have?"),
        (
            _o("none", _("None of these"), exclusive=True),
            _o("brand", _("A name or logo we sell under"), signals=["has_brand"]),
            _o("designs", _("Products whose look matters to buyers"), signals=["has_designs"]),
            _o("know_how", _("Recipes, methods or customer lists worth keeping secret"), signals=["valuable_know_how"]),
            _o("works", _("Creative works or software we made (texts, images, music, films, code)")),
        ),
        help=_("Tick all that apply."),
    ),
    Question(
        "has_inventions",
        "ownership",
        SINGLE,
        _("Has your business developed new technical products or processes (inventions)?"),
        (
            _o("no", _("No")),
            _o("yes", _("Yes"), signals=["has_inventions"]),
        ),
    ),
    Question(
        "creative_sector",
        "ownership",
        SINGLE,
        _("Is your business in music, publishing, film, games or software?"),
        (
            _o("no", _("No")),
            _o("yes", _("Yes"), signals=["creative_sector"]),
        ),
    ),
    Question(
        "inventory",
        "ownership",
        SINGLE,
        _("Do you know which IP your business owns?"),
        (
            _o("never", _("We have never thought about it"), 0),
            _o("rough", _("We have a rough idea"), 1),
            _o("main", _("We know our main IP assets and who owns them"), 2, facts=[AWARE]),
            _o("audited", _("We have reviewed it with an adviser (an IP audit)"), 3, facts=[AWARE]),
        ),
    ),
    Question(
        "creations_owner",
        "ownership",
        SINGLE,
        _("When employees, freelancers or partners create something for you, who owns it?"),
        (
            _o("unknown", _("I do not know"), 0),
            _o("assume", _("We assume we do"), 1),
            _o("most", _("Most of our contracts say that we do"), 2),
            _o("all", _("Every contract says so in writing"), 3),
        ),
    ),
    Question(
        "prior_search",
        "ownership",
        SINGLE,
        _("Before launching a product or a name, do you check whether others already have rights in it?"),
        (
            _o("never", _("Never"), 0, signals=["needs_search"]),
            _o("online", _("Sometimes, with an online search"), 1, signals=["needs_search"]),
            _o("databases", _("Always, in the official IP databases"), 2),
            _o("professional", _("Always, with a professional search (e.g. a TISC or an IP attorney)"), 3),
        ),
    ),
    # --- Protection -------------------------------------------------------------------------
    Question(
        "trademark",
        "protection",
        SINGLE,
        _("Is your business or product name registered as a trademark?"),
        (
            _o("no", _("No, and we have not checked whether it is free"), 0),
            _o("checked", _("No, but we checked that it is free"), 1),
            _o("applied", _("We have applied"), 2, facts=[PROTECTS]),
            _o("registered", _("Yes, it is registered"), 3, facts=[PROTECTS]),
        ),
    ),
    Question(
        "design",
        "protection",
        SINGLE,
        _("Is the look of your products protected as a registered industrial design?"),
        (
            _o("no", _("No"), 0),
            _o("considered", _("We have considered it"), 1),
            _o("applied", _("We have applied"), 2, facts=[PROTECTS]),
            _o("registered", _("Yes, our main designs are registered"), 3, facts=[PROTECTS]),
        ),
        show_if=(Condition("assets_held", ("designs",)),),
    ),
    Question(
        "patent",
        "protection",
        SINGLE,
        _("Have you protected your inventions with a patent or a utility model?"),
        (
            _o("disclosed", _("No, and we have already shown or sold them in public"), 0),
            _o("not_yet", _("Not yet"), 1),
            _o("filed", _("We have filed an application"), 2, facts=[PROTECTS]),
            _o("granted", _("We hold granted patents or utility models"), 3, facts=[PROTECTS]),
        ),
        show_if=(HAS_INVENTIONS,),
    ),
    Question(
        "patent_attorney",
        "protection",
        SINGLE,
        _("Could your business pay a patent attorney to draft and file an application?"),
        (
            _o("no", _("No"), signals=["under_resourced_inventor"]),
            _o("hardly", _("Only with difficulty"), signals=["under_resourced_inventor"]),
            _o("yes", _("Yes")),
        ),
        show_if=(HAS_INVENTIONS,),
    ),
    Question(
        "life_cycle",
        "protection",
        SINGLE,
        _("How long do your products usually stay on the market before they are replaced?"),
        (
            _o("short", _("Less than three years"), signals=["short_life_cycle"]),
            _o("long", _("Three years or more")),
        ),
        show_if=(HAS_INVENTIONS,),
    ),
    Question(
        "secrets",
        "protection",
        SINGLE,
        _("How do you protect confidential know-how (recipes, processes, customer lists)?"),
        (
            _o("nothing", _("We do nothing in particular"), 0),
            _o("trust", _("Only trusted people know it"), 1),
            _o("ndas", _("Confidentiality agreements and limited access"), 2, facts=[PROTECTS]),
            _o(
                "policy",
                _("A written policy: marked, locked away, agreements signed, staff trained"),
                3,
                facts=[PROTECTS],
            ),
        ),
    ),
    Question(
        "authorship",
        "protection",
        SINGLE,
        _("Do you keep evidence that you created your works and software (dated drafts, notices, deposits)?"),
        (
            _o("no", _("No"), 0),
            _o("sometimes", _("Sometimes"), 1),
            _o("always", _("Yes, systematically"), 2),
        ),
        show_if=(Condition("assets_held", ("works",)),),
    ),
    # --- Management and contracts -----------------------------------------------------------
    Question(
        "register",
        "management",
        SINGLE,
        _("Do you keep a register of your IP assets with their renewal and payment deadlines?"),
        (
            _o("no", _("No"), 0),
            _o("memory", _("We keep it in our heads"), 1),
            _o("list", _("We keep a list"), 2, facts=[MANAGES]),
            _o("reminders", _("A register with deadline reminders"), 3, facts=[MANAGES]),
        ),
    ),
    Question(
        "strategy",
        "management",
        SINGLE,
        _("Does your business have an IP strategy?"),
        (
            _o("no", _("No"), 0),
            _o("informal", _("An informal one"), 1),
            _o("written", _("A written one, part of the business plan"), 2, facts=[MANAGES]),
            _o("reviewed", _("A written one, reviewed every year"), 3, facts=[MANAGES]),
        ),
    ),
    Question(
        "contracts",
        "management",
        MULTI,
        _("Which of these do your contracts include?"),
        (
            _o("none", _("None of these"), 0, exclusive=True),
            _o("ndas", _("Confidentiality agreements with staff and partners"), 1),
            _o("employment", _("IP clauses in employment contracts"), 1),
            _o("assignment", _("Transfer of rights from freelancers and contractors"), 1),
            _o("licences", _("Licence, franchise or collaboration agreements"), 1, signals=["licences_contracts"]),
        ),
        help=_("Tick all that apply. Any three of them give the full score."),
        max_points=3,
    ),
    Question(
        "responsible",
        "management",
        SINGLE,
        _("Who looks after IP in the business?"),
        (
            _o("nobody", _("Nobody"), 0),
            _o("owner", _("The owner, when it comes up"), 1),
            _o("named", _("A named person"), 2),
            _o("advised", _("A named person, with an IP attorney or adviser"), 3),
        ),
    ),
    # --- Commercialisation and finance ----------------------------------------------------------
    Question(
        "licensing",
        "commercialisation",
        SINGLE,
        _("Do you earn money from your IP (licensing, franchising, selling rights)?"),
        (
            _o("never", _("No, we have never considered it"), 0),
            _o("considered", _("We have considered it"), 1),
            _o("negotiating", _("We are negotiating an agreement"), 2, signals=["licences_contracts"]),
            _o("earning", _("Yes, we earn income from it"), 3, signals=["licences_contracts"], facts=[LEVERAGES]),
        ),
    ),
    Question(
        "finance",
        "commercialisation",
        SINGLE,
        _("Have you used your IP to raise finance (loans, investors, grants)?"),
        (
            _o("unaware", _("No, I did not know it was possible"), 0),
            _o("no", _("No"), 1),
            _o("presented", _("We have presented it to investors or lenders"), 2),
            _o("raised", _("Yes, our IP helped us obtain finance"), 3, facts=[LEVERAGES]),
        ),
    ),
    Question(
        "valuation",
        "commercialisation",
        SINGLE,
        _("Do you know what your IP is worth?"),
        (
            _o("no", _("No"), 0),
            _o("rough", _("Roughly"), 1),
            _o("valued", _("We have had it valued"), 2),
        ),
    ),
    Question(
        "green",
        "commercialisation",
        SINGLE,
        _("Is your technology environmentally sound (clean energy, water, waste, farming, transport)?"),
        (
            _o("no", _("No")),
            _o("yes", _("Yes"), signals=["green_technology"]),
        ),
        show_if=(HAS_INVENTIONS,),
    ),
    Question(
        "ntd",
        "commercialisation",
        SINGLE,
        _("Does your research concern neglected tropical diseases, malaria or tuberculosis?"),
        (
            _o("no", _("No")),
            _o("yes", _("Yes"), signals=["ntd_research"]),
        ),
        show_if=(HAS_INVENTIONS,),
    ),
    # --- International markets --------------------------------------------------------------
    Question(
        "exports",
        "international",
        SINGLE,
        _("Do you sell abroad, or plan to?"),
        (
            _o("no", _("No")),
            _o("planning", _("We plan to"), signals=["exports"]),
            _o("yes", _("Yes"), signals=["exports"]),
        ),
    ),
    Question(
        "international_systems",
        "international",
        SINGLE,
        _("Do you know the international filing systems (PCT for patents, Madrid for marks, Hague for designs)?"),
        (
            _o("no", _("No"), 0),
            _o("heard", _("I have heard of them"), 1),
            _o("know", _("I know which of them could help us"), 2),
            _o("used", _("We have used one of them"), 3),
        ),
    ),
    Question(
        "protected_abroad",
        "international",
        SINGLE,
        _("Is your IP protected in the countries where you sell or plan to sell?"),
        (
            _o("unaware", _("I did not know that rights stop at the border"), 0),
            _o("not_yet", _("Not yet"), 1),
            _o("some", _("In some of them"), 2),
            _o("all", _("In all our key markets"), 3, facts=[LEVERAGES]),
        ),
        show_if=(SELLS_ABROAD,),
    ),
    Question(
        "pct",
        "international",
        SINGLE,
        _("For inventions you want to protect abroad, have you used the PCT (an international patent application)?"),
        (
            _o("no", _("No"), 0),
            _o("considered", _("We have considered it"), 1),
            _o("filed", _("We have filed a PCT application"), 2),
        ),
        show_if=(HAS_INVENTIONS, SELLS_ABROAD),
    ),
    # --- Disputes and enforcement -------------------------------------------------------------
    Question(
        "monitoring",
        "enforcement",
        SINGLE,
        _("Do you watch the market for copies of your products or your brand?"),
        (
            _o("never", _("Never"), 0),
            _o("chance", _("We find out by chance"), 1),
            _o("regularly", _("Regularly"), 2),
            _o("service", _("Regularly, with a watch service"), 3),
        ),
    ),
    Question(
        "infringement_response",
        "enforcement",
        SINGLE,
        _("If someone copied your product or brand, what would you do?"),
        (
            _o("unknown", _("I do not know"), 0),
            _o("nothing", _("Nothing: it would cost too much"), 1),
            _o("options", _("We know our options: a warning letter, mediation, customs, the courts"), 2),
            _o("enforced", _("We have already enforced our rights"), 3, facts=[LEVERAGES]),
        ),
    ),
    Question(
        "dispute",
        "enforcement",
        SINGLE,
        _("Are you in, or do you fear, a dispute about IP or a licence?"),
        (
            _o("in_dispute", _("Yes, we are in a dispute"), signals=["dispute"]),
            _o("fear", _("We fear one"), signals=["dispute"]),
            _o("no", _("No")),
        ),
    ),
    Question(
        "freedom_to_operate",
        "enforcement",
        SINGLE,
        _("Do you need to know whether your product could infringe others' patents?"),
        (
            _o("yes", _("Yes, and we do not know how to find out"), signals=["needs_search"]),
            _o("searched", _("We have had a search done")),
            _o("no", _("No")),
        ),
        show_if=(HAS_INVENTIONS,),
    ),
)

VERSIONS: dict[str, Questionnaire] = {"2026.1": Questionnaire("2026.1", QUESTIONS_2026_1)}
CURRENT_VERSION = "2026.1"


class UnknownVersion(LookupError):
    pass


def get_questionnaire(version: str | None = None) -> Questionnaire:
    """The questionnaire of `version` (the current one when None); UnknownVersion otherwise."""
    try:
        return VERSIONS[version or CURRENT_VERSION]
    except KeyError:
        raise UnknownVersion(version) from None


def questionnaire_as_dict(questionnaire: Questionnaire) -> dict[str, Any]:
    """The questionnaire as the API gives it, in the active language."""
    return {
        "version": questionnaire.version,
        "areas": [{"id": area, "name": str(AREAS[area])} for area in questionnaire.areas],
        "questions": [
            {
                "id": question.id,
                "text": str(question.text),
                "help": str(question.help),
                "area": question.area,
                "kind": question.kind,
                "scored": question.scored,
                "show_if": [{"question": c.question, "any_of": list(c.any_of)} for c in question.show_if],
                "options": [
                    {
                        "value": option.value,
                        "text": str(option.text),
                        **({"exclusive": True} if option.exclusive else {}),
                    }
                    for option in question.options
                ],
            }
            for question in questionnaire.questions
        ],
    }
