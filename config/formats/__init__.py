"""Date formats of the two languages (FORMAT_MODULE_PATH): dd/mm/yyyy typed, in both.

Django's own formats read "10/12/2026" as 12 October: English lists "%m/%d/%Y", and its
Vietnamese module sets no input format at all, so the default (American) list applied, in
the admin and in every project form. Here both languages read day first; ISO (what an
<input type="date"> submits) is still accepted, month-first never.
"""

DAY_FIRST_DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '10/12/2026': the first is also how the admin's date boxes show a date
    "%d/%m/%y",  # '10/12/26'
    "%d-%m-%Y",  # '10-12-2026'
    "%d.%m.%Y",  # '10.12.2026'
    "%Y-%m-%d",  # '2026-12-10' (ISO; <input type="date">)
]
DAY_FIRST_DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
