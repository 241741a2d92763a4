"""Vietnamese: Django's module (long dates "Ngày 10 tháng 12 năm 2026", decimal comma) plus
day-first input, which Django's module leaves unset."""

from config.formats import DAY_FIRST_DATE_INPUT_FORMATS, DAY_FIRST_DATETIME_INPUT_FORMATS

DATE_INPUT_FORMATS = DAY_FIRST_DATE_INPUT_FORMATS
DATETIME_INPUT_FORMATS = DAY_FIRST_DATETIME_INPUT_FORMATS
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday (the admin's calendar)
