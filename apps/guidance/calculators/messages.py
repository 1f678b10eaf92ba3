"""The English texts of the data files, marked here so that makemessages finds them.

The data files (apps/guidance/data/) keep each text in English; the calculators translate it with
gettext when they answer. A test checks that every text of the data files is listed here.
"""

from django.utils.translation import gettext_noop

DATA_FILE_TEXTS = (
    gettext_noop("Priority period ends: last day to file abroad or file a PCT application claiming priority"),
    gettext_noop("International publication (by the International Bureau, promptly after this date)"),
    gettext_noop("Demand for international preliminary examination (Chapter II)"),
    gettext_noop("Entry into the national or regional phase"),
    gettext_noop("European Patent Office (Euro-PCT)"),
    gettext_noop(
        "A period expressed in months ends in the relevant subsequent month on the day with the same number as "
        "the day of the event, or on the last day of that month if it has no such day."
    ),
    gettext_noop(
        "If a period ends on a day on which the Office or organisation concerned is not open for business, it "
        "ends on the next day on which it is open."
    ),
    gettext_noop(
        "Examples, not a complete list: check the office's own table (WIPO PCT Applicant's Guide, national "
        "chapters) before relying on it."
    ),
    # apps/guidance/data/fees.json
    gettext_noop("PCT Schedule of Fees (annexed to the PCT Regulations)"),
    gettext_noop("International filing fee (first 30 sheets)"),
    gettext_noop("Fee for each sheet over 30"),
    gettext_noop("Reduction for electronic filing (request not in character-coded format, e.g. PDF)"),
    gettext_noop("Reduction for electronic filing (request in character-coded format, e.g. XML)"),
    gettext_noop(
        "Reduction for electronic filing (request, description, claims and abstract in character-coded format)"
    ),
    gettext_noop("Reduction of 90 per cent: applicant who is a natural person from an eligible State"),
    gettext_noop("Reduction of 90 per cent: applicant from a least developed country"),
    gettext_noop("Madrid Schedule of Fees (Common Regulations under the Madrid Agreement and Protocol)"),
    gettext_noop("Basic fee (mark in black and white)"),
    gettext_noop("Basic fee (mark in colour)"),
    gettext_noop(
        "Reduction: basic fee at 10 per cent where the country of origin is a least developed country (UN list)"
    ),
    gettext_noop("Supplementary fee (each class beyond three)"),
    gettext_noop("Complementary fee (each designated party without an individual fee)"),
    gettext_noop("Australia"),
    gettext_noop("Brazil"),
    gettext_noop("Canada"),
    gettext_noop("China"),
    gettext_noop("Hague Schedule of Fees (Common Regulations under the 1999 and 1960 Acts)"),
    gettext_noop("Basic fee (first design)"),
    gettext_noop("Basic fee (each further design)"),
    gettext_noop("Publication fee (each reproduction)"),
    gettext_noop("Publication fee (each page of reproductions beyond the first, paper filing)"),
    gettext_noop("Standard designation fee, level one"),
    gettext_noop("Standard designation fee, level two"),
    gettext_noop("Standard designation fee, level three"),
    # apps/guidance/data/fees.json (individual fees) and apps/guidance/data/national_fees.json
    gettext_noop(
        "Only the offices listed here: each figure is checked against WIPO's list of individual fees (stored "
        "copy of 23 November 2025, which reached only the offices from A to China), and any other office code"
        " is refused rather than counted as zero. Count a designated party that takes no individual fee under"
        " the other designated parties. Fees for collective or certification marks are not covered."
    ),
    gettext_noop("Antigua and Barbuda"),
    gettext_noop("Armenia"),
    gettext_noop("Bulgaria"),
    gettext_noop("Brunei Darussalam"),
    gettext_noop("Bonaire, Saint Eustatius and Saba"),
    gettext_noop("Belarus"),
    gettext_noop("Belize"),
    gettext_noop("Chile"),
    gettext_noop("Cabo Verde"),
    gettext_noop("Bailiwick of Guernsey"),
    gettext_noop("Cambodia"),
    gettext_noop(
        "Individual designation fees at the international application stage, only for the parties listed here"
        " (WIPO list of January 2025; the United States of America, Mexico and OAPI are left out because "
        "their fees have several parts or depend on the applicant). Other parties take the standard "
        "designation fee at a level this portal has not documented."
    ),
    gettext_noop("European Union"),
    gettext_noop("Israel"),
    gettext_noop("Japan"),
    gettext_noop("Kyrgyzstan"),
    gettext_noop("Republic of Korea"),
    gettext_noop("Republic of Moldova"),
    gettext_noop("Russian Federation"),
    gettext_noop("Turkmenistan"),
    gettext_noop(
        "National (or regional) filing fees, only for the offices and rights listed here, each with its "
        "source, the date it applies from where a dated source was found, and what was found when it was "
        "checked. Amounts stay in each office's own currency: they are not converted to Swiss francs, so "
        "amounts in different currencies are not added up. Agents' fees, translations, fees charged later "
        "(examination, registration) and fees for extra claims or pages are not included unless the label "
        "says so."
    ),
    gettext_noop("IP Australia"),
    gettext_noop("Trade mark application, online, goods and services chosen from the pick list (per class)"),
    gettext_noop("Switzerland"),
    gettext_noop("Swiss Federal Institute of Intellectual Property (IPI)"),
    gettext_noop("Trade mark application, up to three classes (paper amount; CHF 100 less when filed electronically)"),
    gettext_noop("Germany"),
    gettext_noop("German Patent and Trade Mark Office (DPMA)"),
    gettext_noop("Trade mark application filed electronically, up to three classes"),
    gettext_noop("European Union Intellectual Property Office (EUIPO)"),
    gettext_noop(
        "EU trade mark application filed electronically (first class; second class 50, each further class 150)"
    ),
    gettext_noop("United Kingdom"),
    gettext_noop("UK Intellectual Property Office (UKIPO)"),
    gettext_noop("Trade mark application, standard, online (one class; each further class 60)"),
    gettext_noop(
        "Patent application fee, online, paid when filing (search, examination, claims over 25 and pages over 35 "
        "are extra)"
    ),
    gettext_noop("Israel Patent Office (ILPO)"),
    gettext_noop("Patent application filing fee (covers the first 50 claims and examination)"),
)
