"""The bell, the list, marking read and preferences, as a signed-in user sees them."""

import pytest
from django.urls import reverse

from notifications.models import Delivery, OutboxMessage, Preference

CONTEXT = {"reference": "HS-2027-000042", "title": "Đề nghị", "status": "Đã tiếp nhận", "url": "/"}


@pytest.fixture
def an(django_user_model, client):
    user = django_user_model.objects.create_user("an", email="an@example.vn", password="x")
    client.force_login(user)
    return user


def make(user, n: int) -> list[OutboxMessage]:
    return [
        OutboxMessage.objects.create(
            recipient=user,
            template="default",
            context={**CONTEXT, "reference": f"HS-{i}"},
            dedupe_key=f"k{i}",
        )
        for i in range(n)
    ]


def test_bell_shows_the_unread_count_and_leads_to_the_list(client, an):
    make(an, 3)
    page = client.get(reverse("home")).content.decode()
    assert reverse("notifications:list") in page
    assert '<span class="badge"' in page
    # The count, and its words for screen readers ("3 chưa đọc").
    assert '<span class="badge">3<span class="visually-hidden"> chưa đọc</span></span>' in page


def test_list_is_paginated_newest_first_and_only_mine(client, an, django_user_model):
    other = django_user_model.objects.create_user("binh")
    make(an, 25)
    OutboxMessage.objects.create(
        recipient=other, template="default", context=CONTEXT, dedupe_key="x"
    )
    first = client.get(reverse("notifications:list"))
    assert first.status_code == 200
    assert len(first.context["items"]) == 20
    assert first.context["items"][0]["row"].context["reference"] == "HS-24"
    second = client.get(reverse("notifications:list"), {"page": 2})
    assert len(second.context["items"]) == 5
    assert all(item["row"].recipient_id == an.pk for item in second.context["items"])


def test_mark_one_then_all_read(client, an):
    rows = make(an, 3)
    client.post(reverse("notifications:mark_read"), {"ids": [rows[0].pk]})
    assert OutboxMessage.objects.filter(read_at__isnull=True).count() == 2
    unread = client.get(reverse("notifications:list"), {"chua-doc": 1})
    assert len(unread.context["items"]) == 2
    client.post(reverse("notifications:mark_read"))
    assert not OutboxMessage.objects.filter(read_at__isnull=True).exists()
    assert '<span class="badge"' not in client.get(reverse("home")).content.decode()


def test_nobody_marks_another_users_notices(client, an, django_user_model):
    other = django_user_model.objects.create_user("binh")
    theirs = make(other, 1)[0]
    client.post(reverse("notifications:mark_read"), {"ids": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_are_saved_per_channel(client, an):
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    client.post(
        reverse("notifications:preferences"),
        {"email": Delivery.DIGEST, "in_app": Delivery.IMMEDIATE, "language": "en"},
    )
    pref = Preference.objects.get(user=an)
    assert (pref.email, pref.in_app, pref.language) == (Delivery.DIGEST, Delivery.IMMEDIATE, "en")


def test_pages_need_a_login(client):
    assert client.get(reverse("notifications:list")).status_code == 302
