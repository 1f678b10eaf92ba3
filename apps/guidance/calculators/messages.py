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
)
