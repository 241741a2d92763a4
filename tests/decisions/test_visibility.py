"""Everyone named sees the decision (issue 14): the proposing unit and every organisation on
the dossier's route open and download an issued decision from the dossier's page; nobody
outside sees it, and nobody but the issuer sees a draft; the decision notice links to it."""

import pytest
from django.urls import reverse

from notifications.models import OutboxMessage
from notifications.rendering import render_parts
from tests.factories import user

from .helpers import decision_for, issue, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(demo):
    dossier, draft, _ = decision_for(demo["th-hop-thanh"], nominees=2)
    return dossier, issue(draft, by=user("lang-son.lanhdao"))


@pytest.mark.parametrize(
    "username",
    [
        "th-hop-thanh.thiduakhenthuong",  # the proposing unit's filer
        "th-hop-thanh.thutruong",  # its head
        "hop-thanh.vanphong",  # the commune on the route
    ],
)
def test_the_proposing_unit_and_the_route_open_and_download_the_decision(issued, client, username):
    dossier, decision = issued
    client.force_login(user(username))
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert reverse("decisions:detail", args=[decision.pk]) in page
    assert reverse("decisions:docx", args=[decision.pk]) in page
    assert decision.label in page
    detail = client.get(reverse("decisions:detail", args=[decision.pk]))
    assert detail.status_code == 200
    download = client.get(reverse("decisions:docx", args=[decision.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content[:2] == b"PK"  # a Word file
    assert client.get(reverse("decisions:xlsx", args=[decision.pk])).status_code == 200


def test_an_unrelated_unit_sees_no_decision(issued, client):
    _, decision = issued
    client.force_login(user("so-y-te.thiduakhenthuong"))
    assert client.get(reverse("decisions:detail", args=[decision.pk])).status_code == 404
    assert client.get(reverse("decisions:docx", args=[decision.pk])).status_code == 404


def test_the_proposing_unit_does_not_see_a_draft(demo, client):
    dossier, draft, _ = decision_for(demo["th-hop-thanh"], nominees=1)
    submit(draft)
    client.force_login(user("th-hop-thanh.thiduakhenthuong"))
    assert client.get(reverse("decisions:detail", args=[draft.pk])).status_code == 404
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert reverse("decisions:detail", args=[draft.pk]) not in page
    # the signing authority's dossier page leads to the act
    client.force_login(user("lang-son.lanhdao"))
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert reverse("decisions:detail", args=[draft.pk]) in page


def test_the_decision_notice_carries_the_decisions_link(issued, settings):
    _, decision = issued
    notice = OutboxMessage.objects.get(
        template="dossier_decided", recipient__username="th-hop-thanh.thiduakhenthuong"
    )
    link = reverse("decisions:detail", args=[decision.pk])
    assert notice.context["decision_url"] == link
    for language in ("vi", "en"):
        rendered = render_parts("dossier_decided", notice.context, language=language)
        assert settings.SITE_URL + link in rendered.text
        assert settings.SITE_URL + link in rendered.html
