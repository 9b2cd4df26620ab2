THOUSAND_SEPARATOR = "\u202f"  # narrow no-break space, as agora.core.formats and browsers' Intl write it
DATETIME_FORMAT = "j F Y à H:i"
SHORT_DATE_FORMAT = "j\u00a0N Y"
SHORT_DATETIME_FORMAT = "j\u00a0N Y, H:i"
