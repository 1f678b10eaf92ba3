# "4 ديسمبر 2026": Arabic has no short month names; the full name, and the Arabic comma before the time.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
