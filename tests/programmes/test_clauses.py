"""The model-clause generator: each procedure's clause, with the choices filled in or WIPO's brackets kept."""

from __future__ import annotations

import pytest

from apps.programmes.adr_clauses import ClauseChoices, clause


def test_a_mediation_clause_names_the_rules_the_place_and_the_language():
    text = clause(ClauseChoices(procedure="mediation", place="Nairobi, Kenya", language="English"))
    assert text.startswith("Any dispute, controversy or claim arising under, out of or relating to this contract")
    assert "shall be submitted to mediation in accordance with the WIPO Mediation Rules." in text
    assert "The place of mediation shall be Nairobi, Kenya." in text
    assert "The language to be used in the mediation shall be English." in text
    assert "arbitra" not in text


@pytest.mark.parametrize(
    ("arbitrators", "sentence"),
    [
        (1, "The arbitral tribunal shall consist of a sole arbitrator."),
        (3, "The arbitral tribunal shall consist of three arbitrators."),
        (None, "The arbitral tribunal shall consist of [a sole arbitrator][three arbitrators]."),
    ],
)
def test_an_arbitration_clause_says_how_many_arbitrators(arbitrators, sentence):
    text = clause(
        ClauseChoices(
            procedure="arbitration", place="Cairo, Egypt", language="Arabic", arbitrators=arbitrators, law="Egypt"
        )
    )
    assert "finally determined by arbitration in accordance with the WIPO Arbitration Rules." in text
    assert sentence in text
    assert "The place of arbitration shall be Cairo, Egypt." in text
    assert "The language to be used in the arbitral proceedings shall be Arabic." in text
    assert "decided in accordance with the law of Egypt." in text


def test_an_expedited_arbitration_clause_has_no_tribunal_sentence_even_when_asked():
    text = clause(ClauseChoices(procedure="expedited_arbitration", arbitrators=3))
    assert "WIPO Expedited Arbitration Rules" in text
    assert "arbitral tribunal shall consist" not in text
    # Left empty: WIPO's brackets, nothing made up.
    assert "[specify place]" in text and "[specify language]" in text and "[specify jurisdiction]" in text


def test_mediation_then_arbitration_gives_way_after_the_chosen_days():
    text = clause(ClauseChoices(procedure="mediation_arbitration", place="Manila, Philippines", days=90, arbitrators=1))
    mediation, arbitration = text.split("\n\n")
    assert "WIPO Mediation Rules" in mediation and "Manila, Philippines" in mediation
    assert "within 90 days of the commencement of the mediation" in arbitration
    assert "said period of 90 days" in arbitration
    assert "a sole arbitrator" in arbitration
    assert "[60][90]" in clause(ClauseChoices(procedure="mediation_arbitration"))


def test_expert_determination_names_what_the_expert_decides_and_whether_it_binds():
    binding = clause(ClauseChoices(procedure="expert_determination", subject="the royalties due", language="French"))
    assert "relating to the royalties due under this contract" in binding
    assert "WIPO Expert Determination Rules" in binding
    assert "The determination made by the expert shall be binding upon the parties." in binding
    assert "expert determination shall be French." in binding
    free = clause(ClauseChoices(procedure="expert_determination", binding=False))
    assert "shall not be binding" in free and "[describe scope of the matter" in free


def test_an_unknown_procedure_is_refused():
    with pytest.raises(ValueError):
        clause(ClauseChoices(procedure="duel"))
