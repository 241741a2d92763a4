"""Issue 12: the admin speaks Vietnamese, its error note included."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_LEFTOVERS = (
    "Please correct",
    "Skip to main content",
    "Breadcrumbs",
    "Toggle theme",
    "Error:",
    "This field is required",
)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_admin_error_page_is_vietnamese(as_operator):
    response = as_operator.post(reverse("admin:workflow_calendarentry_add"), {"day": "31/02/2026"})

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "hãy sửa các lỗi được nêu dưới đây" in text
    assert "Trường này là bắt buộc" in text
    for english in ENGLISH_LEFTOVERS:
        assert english not in text, english


def test_english_stays_available_on_request(as_operator):
    as_operator.cookies["django_language"] = "en"
    response = as_operator.post(reverse("admin:workflow_calendarentry_add"), {"day": "x"})
    assert "Please correct the errors below." in response.content.decode()
