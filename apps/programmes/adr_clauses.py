"""WIPO's recommended contract clauses, filled in: the procedure, the place, the language, the number of
arbitrators, the law that applies.

The clauses are legal text in English, as WIPO recommends them for future disputes under a contract; WIPO
also publishes them in Arabic, French, Spanish and other languages, and a contract in one of those should
use WIPO's own translation. Where the MSME leaves a choice open, the clause keeps WIPO's bracket for it, so
that nothing is made up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PROCEDURES = {
    "mediation": _("Mediation"),
    "mediation_arbitration": _("Mediation, then arbitration if it does not settle"),
    "arbitration": _("Arbitration"),
    "expedited_arbitration": _("Expedited arbitration"),
    "expert_determination": _("Expert determination"),
}
WITH_TRIBUNAL = ("arbitration", "mediation_arbitration")  # the clause says how many arbitrators
WITH_LAW = ("arbitration", "expedited_arbitration", "mediation_arbitration")
WITH_PLACE = ("mediation", "mediation_arbitration", "arbitration", "expedited_arbitration")
SETTLEMENT_DAYS = (60, 90)
SOURCE = "WIPO recommended contract clauses (wipo.int/amc/en/clauses/)"

SCOPE = (
    "Any dispute, controversy or claim arising under, out of or relating to this contract and any subsequent "
    "amendments of this contract, including, without limitation, its formation, validity, binding effect, "
    "interpretation, performance, breach or termination, as well as non-contractual claims,"
)


@dataclass(frozen=True)
class ClauseChoices:
    procedure: str
    place: str = ""  # "Nairobi, Kenya"
    language: str = ""  # "English"
    arbitrators: int | None = None  # 1 or 3; None keeps WIPO's bracket
    law: str = ""  # "Kenya"
    days: int | None = None  # before mediation gives way to arbitration
    subject: str = ""  # expert determination: what the expert decides
    binding: bool = True  # expert determination


def _or_bracket(value: str, bracket: str) -> str:
    return value.strip() or f"[{bracket}]"


def _tribunal(arbitrators: int | None) -> str:
    if arbitrators == 1:
        return "The arbitral tribunal shall consist of a sole arbitrator."
    if arbitrators == 3:
        return "The arbitral tribunal shall consist of three arbitrators."
    return "The arbitral tribunal shall consist of [a sole arbitrator][three arbitrators]."


def _arbitration_tail(choices: ClauseChoices, *, tribunal: bool) -> list[str]:
    sentences = [_tribunal(choices.arbitrators)] if tribunal else []
    sentences += [
        f"The place of arbitration shall be {_or_bracket(choices.place, 'specify place')}.",
        "The language to be used in the arbitral proceedings shall be "
        f"{_or_bracket(choices.language, 'specify language')}.",
        "The dispute, controversy or claim shall be decided in accordance with the law of "
        f"{_or_bracket(choices.law, 'specify jurisdiction')}.",
    ]
    return sentences


def clause(choices: ClauseChoices) -> str:
    """The clause to paste into a contract. Raises ValueError for a procedure it does not know."""
    place = _or_bracket(choices.place, "specify place")
    language = _or_bracket(choices.language, "specify language")
    procedure = choices.procedure
    if procedure == "mediation":
        return " ".join(
            [
                f"{SCOPE} shall be submitted to mediation in accordance with the WIPO Mediation Rules.",
                f"The place of mediation shall be {place}.",
                f"The language to be used in the mediation shall be {language}.",
            ]
        )
    if procedure in ("arbitration", "expedited_arbitration"):
        rules = "WIPO Arbitration Rules" if procedure == "arbitration" else "WIPO Expedited Arbitration Rules"
        opening = f"{SCOPE} shall be referred to and finally determined by arbitration in accordance with the {rules}."
        return " ".join([opening, *_arbitration_tail(choices, tribunal=procedure == "arbitration")])
    if procedure == "mediation_arbitration":
        days = str(choices.days) if choices.days in SETTLEMENT_DAYS else "[60][90]"
        mediation = [
            f"{SCOPE} shall be submitted to mediation in accordance with the WIPO Mediation Rules.",
            f"The place of mediation shall be {place}.",
            f"The language to be used in the mediation shall be {language}.",
        ]
        escalation = [
            "If, and to the extent that, any such dispute, controversy or claim has not been settled pursuant to "
            f"the mediation within {days} days of the commencement of the mediation, it shall, upon the filing of "
            "a Request for Arbitration by either party, be referred to and finally determined by arbitration in "
            "accordance with the WIPO Arbitration Rules.",
            f"Alternatively, if, before the expiration of the said period of {days} days, either party fails to "
            "participate or to continue to participate in the mediation, the dispute, controversy or claim shall, "
            "upon the filing of a Request for Arbitration by the other party, be referred to and finally determined "
            "by arbitration in accordance with the WIPO Arbitration Rules.",
        ]
        return " ".join(mediation) + "\n\n" + " ".join([*escalation, *_arbitration_tail(choices, tribunal=True)])
    if procedure == "expert_determination":
        subject = _or_bracket(choices.subject, "describe scope of the matter referred to expert determination")
        binding = "shall be binding" if choices.binding else "shall not be binding"
        return " ".join(
            [
                f"Any dispute or difference between the parties arising under, out of or relating to {subject} "
                "under this contract and any subsequent amendments of this contract shall be referred to expert "
                "determination in accordance with the WIPO Expert Determination Rules.",
                f"The determination made by the expert {binding} upon the parties.",
                f"The language to be used in the expert determination shall be {language}.",
            ]
        )
    raise ValueError(f"unknown procedure: {procedure}")
