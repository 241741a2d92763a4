"""The link in every notice opens the page the recipient must act on."""

from django.core import mail

from notifications.models import OutboxMessage
from notifications.rendering import render_parts
from tests import factories as f
from workflow import services as transitions


def test_a_submitted_dossier_notifies_the_head_with_a_link_that_opens_it(
    demo, client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://khenthuong.langson.gov.vn"
    head = f.user("th-hop-thanh.thutruong")
    head.email = "thutruong@hopthanh.edu.vn"
    head.save()
    dossier = f.make_draft(demo["th-hop-thanh"])
    with django_capture_on_commit_callbacks(execute=True):
        transitions.submit_dossier(dossier.pk, by=f.user("th-hop-thanh.thiduakhenthuong"))
    notice = OutboxMessage.objects.get(recipient=head, template="dossier_action_needed")

    client.force_login(head)
    listing = client.get("/thong-bao/").content.decode()
    link = notice.context["url"]
    assert f'href="{link}"' in listing
    assert client.get(link).status_code == 200

    sent = [m for m in mail.outbox if m.to == ["thutruong@hopthanh.edu.vn"]]
    assert len(sent) == 1
    assert f"https://khenthuong.langson.gov.vn{link}" in sent[0].body


def test_every_notice_kind_has_its_own_wording_in_both_languages(db):
    """No notice falls back to the generic text (which would print empty fields)."""
    contexts = {
        "council_ballot_open": {"title": "Xét khen thưởng quý IV", "council": "Hội đồng TĐKT"},
        "dossier_action_needed": {"reference": "HS-1", "title": "T", "status": "S", "stage": "X"},
        "deadline_reminder": {"reference": "HS-1", "title": "T", "stage": "X", "due_on": "D"},
        "deadline_overdue": {"reference": "HS-1", "title": "T", "stage": "X", "due_on": "D"},
    }
    for slug, context in contexts.items():
        for language in ("vi", "en"):
            parts = render_parts(slug, {**context, "url": "/x/"}, language=language)
            for value in context.values():
                assert value in parts.text, (slug, language)
            assert f'lang="{language}"' in parts.html, (slug, language)
