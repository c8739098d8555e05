# Dates as Estonian officials write them: 10. mai 2023, 10:00 (24-hour clock).
DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
# Typed as written above (01.06.2025, 01.06.2025 10:00); the first one is how a form shows a
# date. ISO (2025-06-01) is taken too, as browsers' own date pickers send it; month-first dates
# (06/01/2025) are not.
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M"]
