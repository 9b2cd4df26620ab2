# One English way of writing dates (day month year, 24-hour time), as agora.core.formats.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y \\a\\t H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j\u00a0M Y"
SHORT_DATETIME_FORMAT = "j\u00a0M Y, H:i"
