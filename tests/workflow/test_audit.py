import pytest

from audit.models import AuditEvent
from organisations.demo import DEMO_PASSWORD
from organisations.roles import Role
from organisations.services import assign_role
from tests import factories as f


def test_page_actions_record_who_what_from_to_and_ip(client, demo):
    dossier = f.make_draft(demo["th-hop-thanh"])
    client.post(
        "/dang-nhap/", {"username": "th-hop-thanh.thiduakhenthuong", "password": DEMO_PASSWORD}
    )
    response = client.post(f"/ho-so/{dossier.pk}/thao-tac/submit/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    event = AuditEvent.objects.for_object(dossier).get(action="submit")
    assert event.actor.username == "th-hop-thanh.thiduakhenthuong"
    assert (event.from_state, event.to_state) == ("draft", "unit_review")
    assert event.ip == "10.1.2.3"
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Dự thảo → Đơn vị xét duyệt" in page  # the timeline on the dossier page


def test_audit_rows_cannot_be_changed_or_deleted(demo):
    dossier = f.make_draft(demo["th-hop-thanh"])
    event = AuditEvent.objects.for_object(dossier).first()
    event.reason = "sửa lịch sử"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_permission_changes_are_audited(demo, django_user_model):
    clerk = django_user_model.objects.create_user("moi")
    admin = f.user("lang-son.quantri")
    assign_role(clerk, organisation=demo["hop-thanh"], role=Role.SECRETARIAT, by=admin)
    event = AuditEvent.objects.for_object(demo["hop-thanh"]).get(
        action="role_granted", data__user="moi"
    )
    assert event.actor == admin
