"""Tokens, the session, the error shape, the schema, and the read-only endpoints
(reference data, registry, notifications)."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import create_token, digest_of, may_manage_tokens_of
from audit.models import AuditEvent
from decisions.demo import seed_registry
from dossiers import listing
from dossiers.queries import dossiers_visible_to
from notifications.models import OutboxMessage
from organisations.roles import Role
from organisations.services import assign_role
from tests import factories as f

from .conftest import client_for, error_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROPOSER = "th-hop-thanh.thiduakhenthuong"


def user(username):
    return get_user_model().objects.get(username=username)


# --- tokens ----------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_its_hash_shown_once_and_marks_its_last_use(api):
    client = client_for(PROPOSER)
    made = client.post("/api/v1/tokens/", {"name": "Cổng dịch vụ công"}, format="json")
    assert made.status_code == 201
    secret = made.json()["secret"]
    row = ApiToken.objects.get(pk=made.json()["id"])
    assert row.digest == digest_of(secret)
    assert secret not in {row.digest, row.prefix, row.name}
    assert not ApiToken.objects.filter(digest=secret).exists()
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert all("secret" not in t for t in listed)  # never shown again
    assert row.last_used_at is None
    system = APIClient()
    system.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert system.get("/api/v1/dossiers/").status_code == 200
    assert ApiToken.objects.get(pk=row.pk).last_used_at is not None
    assert AuditEvent.objects.filter(action="api_token_created", object_id=str(row.pk)).exists()


def test_a_revoked_token_authenticates_nothing_and_revoking_is_audited(api):
    owner = user(PROPOSER)
    made = create_token(user=owner, by=owner, name="Hệ thống văn bản")
    system = APIClient()
    system.credentials(HTTP_AUTHORIZATION=f"Token {made.secret}")
    assert system.get("/api/v1/tokens/").status_code == 200
    revoked = system.post(
        f"/api/v1/tokens/{made.token.pk}/revoke/", {"reason": "lộ"}, format="json"
    )
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"]
    response = system.get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    assert AuditEvent.objects.filter(action="api_token_revoked").count() == 1


def test_an_administrator_revokes_a_persons_token_and_a_stranger_cannot_even_see_it(api):
    owner = user(PROPOSER)
    made = create_token(user=owner, by=owner, name="Hệ thống")
    stranger = client_for("mn-xuat-le.thiduakhenthuong")
    refused = stranger.post(f"/api/v1/tokens/{made.token.pk}/revoke/")
    assert refused.status_code == 404
    assert ApiToken.objects.get(pk=made.token.pk).revoked_at is None
    admin = client_for("lang-son.quantri")
    assert admin.post(f"/api/v1/tokens/{made.token.pk}/revoke/").status_code == 200
    again = admin.post(f"/api/v1/tokens/{made.token.pk}/revoke/")
    assert again.status_code == 409
    assert error_of(again)["code"] == "already_revoked"
    for_someone = admin.post("/api/v1/tokens/", {"name": "Cổng", "user": owner.pk}, format="json")
    assert for_someone.status_code == 201
    assert for_someone.json()["user"] == PROPOSER


def test_a_token_needs_a_name(api):
    response = client_for(PROPOSER).post("/api/v1/tokens/", {"name": ""}, format="json")
    assert response.status_code == 400
    assert error_of(response)["field"] == "name"


# --- the session -----------------------------------------------------------------------------


def test_the_browser_session_works_and_a_write_without_csrf_is_refused(api, demo):
    draft = f.make_draft(demo["th-hop-thanh"], "giay-khen-xa")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user(PROPOSER))
    assert browser.get("/api/v1/dossiers/").status_code == 200
    forged = browser.post(f"/api/v1/dossiers/{draft.pk}/submit/")
    assert forged.status_code == 403
    assert "CSRF" in error_of(forged)["message"]["en"]
    assert type(draft).objects.get(pk=draft.pk).status == "draft"
    browser.get("/")  # a page of the site sets the CSRF cookie the page's scripts send back
    token = browser.cookies["csrftoken"].value
    sent = browser.post(f"/api/v1/dossiers/{draft.pk}/submit/", HTTP_X_CSRFTOKEN=token)
    assert sent.status_code == 200


# --- the error shape -------------------------------------------------------------------------


def test_an_error_reads_in_vietnamese_and_in_english(api, demo):
    draft = f.make_draft(demo["th-hop-thanh"], "giay-khen-xa")
    response = client_for("th-hop-thanh.thutruong").post(f"/api/v1/dossiers/{draft.pk}/submit/")
    body = error_of(response)
    assert response.status_code == 403
    assert body["message"]["vi"].startswith("Bạn không có quyền")
    assert body["message"]["en"] != body["message"]["vi"]
    unknown = client_for(PROPOSER).get("/api/v1/no-such-thing/")
    assert unknown.status_code == 404
    assert error_of(unknown)["code"] == "not_found"


# --- the schema ------------------------------------------------------------------------------


def test_docs_openapi_yaml_is_the_schema_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--lang", "vi", "--validate")
    checked_in = (ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8")
    assert generated.read_text(encoding="utf-8") == checked_in, (
        "docs/openapi.yaml is stale: run "
        "`.venv/bin/python manage.py spectacular --file docs/openapi.yaml --lang vi` and commit it"
    )


def test_the_schema_and_its_docs_are_served_from_this_site(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/dossiers/{id}/submit/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"<script>" not in docs.content  # no inline script: the CSP holds
    assert b"cdn" not in docs.content.lower()
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200


# --- read-only endpoints ---------------------------------------------------------------------


def test_reference_data_reads_and_an_unknown_id_is_404(api, demo):
    client = client_for(PROPOSER)
    organisations = client.get("/api/v1/organisations/", {"page_size": 100}).json()["results"]
    assert "th-hop-thanh" in {o["code"] for o in organisations}
    forms = client.get("/api/v1/award-forms/", {"page_size": 100}).json()["results"]
    assert "giay-khen-xa" in {a["code"] for a in forms}
    rule_sets = client.get("/api/v1/rule-sets/").json()["results"]
    assert {"rs-2024", "rs-2025"} <= {r["code"] for r in rule_sets}
    assert client.get("/api/v1/campaigns/").status_code == 200
    for path in ("organisations", "award-forms", "rule-sets", "campaigns"):
        assert client.get(f"/api/v1/{path}/99999999/").status_code == 404
    assert client.get("/api/v1/organisations/", {"cursor": "bogus"}).status_code == 404


def test_the_registry_search_and_a_persons_history_read_what_the_page_reads(api):
    seed_registry()
    client = client_for(PROPOSER)
    everyone = client.get("/api/v1/registry/", {"page_size": 100}).json()["results"]
    assert everyone
    someone = everyone[0]
    folded = someone["full_name"].upper()
    found = client.get("/api/v1/registry/", {"name": folded}).json()["results"]
    assert someone["id"] in [e["id"] for e in found]
    history = client.get(f"/api/v1/registry/{someone['id']}/history/").json()
    assert someone["id"] in [e["id"] for e in history]
    assert client.get("/api/v1/registry/", {"year": "mười"}).status_code == 400
    assert client.get("/api/v1/registry/99999999/history/").status_code == 404


def test_notifications_list_only_ones_own_and_mark_read(api, demo):
    f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "giay-khen-xa"))
    client = client_for(PROPOSER)
    mine = client.get("/api/v1/notifications/").json()["results"]
    owner = user(PROPOSER)
    assert {n["id"] for n in mine} == set(
        OutboxMessage.objects.filter(recipient=owner).values_list("pk", flat=True)
    )
    assert mine
    others = OutboxMessage.objects.exclude(recipient=owner).values_list("pk", flat=True)
    marked = client.post("/api/v1/notifications/read/", {"ids": list(others)}, format="json")
    assert marked.json() == {"marked": 0}  # someone else's notices are not touched
    marked = client.post("/api/v1/notifications/read/", {}, format="json")
    assert marked.json()["marked"] == len(mine)
    assert (
        client.post("/api/v1/notifications/read/", {"ids": ["x"]}, format="json").status_code == 400
    )


def test_a_token_of_a_deactivated_account_authenticates_nothing(api):
    owner = user(PROPOSER)
    made = create_token(user=owner, by=owner, name="Hệ thống")
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    system = APIClient()
    system.credentials(HTTP_AUTHORIZATION=f"Token {made.secret}")
    assert system.get("/api/v1/dossiers/").status_code == 401


def test_every_person_lists_exactly_the_dossiers_the_page_lists(api, demo):
    f.make_draft(demo["th-hop-thanh"], "giay-khen-xa")
    f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "giay-khen-xa"))
    f.submit_and_approve(f.make_draft(demo["mn-xuat-le"], "giay-khen-xa"))
    for username in (
        PROPOSER,
        "th-hop-thanh.thutruong",
        "hop-thanh.vanphong",
        "xuat-le.vanphong",
        "mn-xuat-le.thiduakhenthuong",
        "lang-son.vanphong",
    ):
        person = user(username)
        page = listing.listed_dossiers(person, dossiers_visible_to(person), {})
        api_ids = [
            d["id"]
            for d in client_for(username)
            .get("/api/v1/dossiers/", {"page_size": 100})
            .json()["results"]
        ]
        assert api_ids == list(page.values_list("pk", flat=True)), username


def test_only_who_administers_every_body_of_a_person_manages_his_tokens(demo, django_user_model):
    # A token carries all its holder's rights: the commune's administrator, who administers
    # the school, must not mint one for a teacher who also holds a role at the province; the
    # province's administrator may; a platform operator (is_superuser, no role) may not.
    teacher = f.user("th-hop-thanh.thiduakhenthuong")
    assign_role(
        teacher,
        organisation=demo["lang-son"],
        role=Role.PROPOSER,
        by=f.user("lang-son.quantri"),
        title="Cộng tác viên thi đua",
    )
    commune_admin = django_user_model.objects.create_user("hop-thanh.quantri-xa")
    assign_role(
        commune_admin,
        organisation=demo["hop-thanh"],
        role=Role.ADMINISTRATOR,
        by=f.user("lang-son.quantri"),
    )
    operator = django_user_model.objects.create_superuser("nen-tang.vanhanh", password="x" * 20)
    assert may_manage_tokens_of(teacher, teacher)
    assert may_manage_tokens_of(commune_admin, f.user("th-hop-thanh.thutruong"))
    assert not may_manage_tokens_of(commune_admin, teacher)
    assert may_manage_tokens_of(f.user("lang-son.quantri"), teacher)
    assert not may_manage_tokens_of(operator, teacher)
    assert not may_manage_tokens_of(commune_admin, operator)  # no role at all
