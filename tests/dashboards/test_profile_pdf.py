"""The country profile's PDF (apps.dashboards.pdf): its figures as given, a long table across pages under its
heading row again, Arabic shaped and extractable, a profile never counted."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import UTC, datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from pypdf import PdfReader

from apps.dashboards.pdf import render_profile_pdf
from apps.dashboards.profile import CountryProfile, ProfileSection
from apps.dashboards.suppression import WITHHELD

COUNTED_AT = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
SECTORS = ["Agriculture", "Manufacturing", "Tourism", "Software", "Crafts"]


def pages_text(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    # A heading wrapped in its cell is one phrase again once the line breaks are spaces.
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split()) for page in reader.pages]


def profile(*, counted_at: datetime | None = COUNTED_AT) -> CountryProfile:
    counties = ProfileSection(
        slug="counties",
        title="MSMEs by county",
        columns=["County", "MSMEs", "With a trademark", "With a patent"],
        rows=[
            [f"County number {number:02d}", str(100 + number), str(40 + number), "<5" if number % 2 else WITHHELD]
            for number in range(1, 61)
        ],
        note=f"<5: fewer than five. {WITHHELD}: withheld.",
    )
    sectors = ProfileSection(
        slug="sectors",
        title="IP assets by sector",
        columns=["Sector", "Trademarks", "Patents", "Designs"],
        rows=[[sector, "1,234", "<5", WITHHELD] for sector in SECTORS],
    )
    return CountryProfile(
        country="KE",
        title="Kenya: MSMEs and their IP",
        agency="Kenya Industrial Property Institute",
        counted_at=counted_at,
        sections=[counties, sectors],
        notes=["Figures from the national registry of MSMEs."],
    )


def test_the_profile_renders_its_figures_on_several_pages():
    counted_on = date_format(timezone.localtime(COUNTED_AT), "DATE_FORMAT")
    content = render_profile_pdf(profile())
    assert content.startswith(b"%PDF")
    pages = pages_text(content)
    assert len(pages) > 1
    text = "\n".join(pages)
    assert "Country profile" in text and "Kenya: MSMEs and their IP" in text
    assert "Kenya Industrial Property Institute" in text and f"figures counted on {counted_on}" in text
    assert "MSMEs by county" in text and "IP assets by sector" in text
    for label in ["County number 01", "County number 60", *SECTORS]:
        assert label in text
    assert "160" in text and "1,234" in text and "<5" in text and WITHHELD in text
    assert (
        f"<5: fewer than five. {WITHHELD}: withheld." in text and "Figures from the national registry of MSMEs." in text
    )


def test_a_table_split_across_pages_repeats_its_heading_row():
    pages = pages_text(render_profile_pdf(profile()))
    second = pages[1]
    assert "County number 60" in second and "County number 01" not in second  # the table goes on there
    assert "With a trademark" in second and "With a patent" in second  # under its heading row again
    assert "MSMEs by county" not in second  # the section's title is not repeated


def test_every_row_of_a_long_table_is_drawn_once():
    text = "\n".join(pages_text(render_profile_pdf(profile())))
    assert [int(number) for number in re.findall(r"County number (\d\d)", text)] == list(range(1, 61))


def test_a_long_label_is_cut_and_many_columns_fit_the_page():
    wide = ProfileSection(
        slug="wide",
        title="By year",
        columns=["Kind", *[str(year) for year in range(2010, 2026)]],
        rows=[["Trademarks registered by MSMEs " * 8, *["12,345"] * 16]],
    )
    content = render_profile_pdf(CountryProfile("KE", "Wide", "Agency", COUNTED_AT, sections=[wide]))
    text = " ".join(pages_text(content))
    assert "Trademarks registered by MSMEs" in text and "..." in text  # cut, with an ellipsis ("…" once NFKC)
    assert text.count("12,345") == 16 and "2025" in text  # every figure column drawn
    assert text.count("Trademarks registered by MSMEs") < 8


def test_a_profile_never_counted_says_so():
    text = "\n".join(pages_text(render_profile_pdf(profile(counted_at=None))))
    assert "not counted yet" in text and "counted on" not in text


@pytest.fixture
def arabic_profile() -> CountryProfile:
    section = ProfileSection(
        slug="counties",
        title="المنشآت حسب المقاطعة",
        columns=["المقاطعة", "المنشآت", "العلامات التجارية"],
        rows=[[f"مقاطعة نيروبي {number}", str(200 + number), "<5"] for number in range(1, 41)],
        note="<5: أقل من خمسة",
    )
    return CountryProfile("KE", "كينيا: المنشآت والملكية الفكرية", "معهد كينيا", COUNTED_AT, sections=[section])


def test_the_profile_renders_in_arabic(arabic_profile):
    with translation.override("ar"):
        content = render_profile_pdf(arabic_profile)
    assert content.startswith(b"%PDF")
    text = "\n".join(pages_text(content))
    assert "كينيا: المنشآت والملكية الفكرية" in text  # shaped for display, extracted back in reading order
    assert "المنشآت حسب المقاطعة" in text and "مقاطعة نيروبي" in text
    assert "240" in text and "<5" in text  # the figures as given: "<" not mirrored


def x_positions(content: bytes, page: int = 0) -> dict[str, float]:
    """Where (x, in points) each piece of text of the page starts."""
    positions: dict[str, float] = {}

    def visit(text, cm, tm, font_dict, font_size):
        text = unicodedata.normalize("NFKC", text).strip()
        if text:
            positions.setdefault(text, tm[4] * cm[0] + cm[4])

    PdfReader(io.BytesIO(content)).pages[page].extract_text(visitor_text=visit)
    return positions


def test_the_columns_are_mirrored_in_arabic(arabic_profile):
    english = x_positions(render_profile_pdf(profile()))
    assert english["County number 01"] < english["101"]  # labels on the left
    with translation.override("ar"):
        arabic = x_positions(render_profile_pdf(arabic_profile))
    label = next(x for text, x in arabic.items() if "نيروبي" in text)
    assert label > arabic["201"]  # labels on the right, the figures to their left


@pytest.mark.parametrize("rows_before", range(26, 40))
def test_a_section_starts_with_its_first_rows_under_its_title(rows_before):
    """Whatever room the section above leaves on its page, the title stands above at least three of its rows."""
    above = ProfileSection("above", "Above", ["County", "MSMEs"], [[f"County {n}", str(n)] for n in range(rows_before)])
    below = ProfileSection("below", "Below the other", ["Sector", "MSMEs"], [[f"Sector {n}", "7"] for n in range(5)])
    pages = pages_text(render_profile_pdf(CountryProfile("KE", "Kenya", "Agency", COUNTED_AT, sections=[above, below])))
    [page] = [page for page in pages if "Below the other" in page]
    assert "Sector 0" in page and "Sector 1" in page and "Sector 2" in page
