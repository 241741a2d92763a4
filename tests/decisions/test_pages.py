"""Decision pages: who gets 200 and who 404, drafting and issuing through the forms."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from decisions.models import Decision, DecisionStatus, RegisteredNumber
from decisions.profiles import person_name
from dossiers.models import Dossier
from tests.factories import make_dossier_awaiting_decision, make_draft, user
from workflow.states import DossierStatus

from .helpers import body_texts, decision_for, issue, signing_day

pytestmark = pytest.mark.django_db

SECRETARIAT, SIGNER = "lang-son.vanphong", "lang-son.lanhdao"
OUTSIDERS = ("hop-thanh.vanphong", "th-hop-thanh.thiduakhenthuong", "lang-son.uyvien")


def as_user(client, username):
    client.force_login(user(username))
    return client


def test_secretariat_drafts_and_submits_the_signer_confirms_on_the_pages(client, demo):
    dossier = make_dossier_awaiting_decision(demo["th-hop-thanh"], nominees=2)
    ids = [str(pk) for pk in dossier.active_nominees().values_list("pk", flat=True)]
    page = as_user(client, SECRETARIAT).get("/quyet-dinh/moi/")
    assert page.status_code == 200
    for name in dossier.active_nominees().values_list("full_name", flat=True):
        assert name in page.content.decode()

    # a typed signer is not a field any more: the signer's own record is printed
    response = client.post(
        "/quyet-dinh/moi/", {"nominees": ids, "capacity": "chair", "signer_name": "Đoàn Thu Hà"}
    )
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/quyet-dinh/{decision.pk}/"
    preview = client.get(f"/quyet-dinh/{decision.pk}/quyet-dinh.docx")
    assert preview.status_code == 200
    assert "Số:      /QĐ-UBND" in body_texts(preview.content)  # a draft has no number yet

    issue_url = f"/quyet-dinh/{decision.pk}/ban-hanh/"
    assert client.get(issue_url).status_code == 302  # not the secretariat's page
    client.post(f"/quyet-dinh/{decision.pk}/trinh-ky/", {"note": ""})
    assert Decision.objects.get().status == DecisionStatus.SUBMITTED

    with signing_day(date(2027, 1, 4)):  # logged in that day (sessions expire)
        client = as_user(client, SIGNER)
        assert client.get(issue_url).status_code == 200
        unconfirmed = client.post(issue_url, {"issued_on": "2027-01-04"})
        assert unconfirmed.status_code == 200  # the confirmation box is required
        assert not RegisteredNumber.objects.exists()
        confirmed = client.post(issue_url, {"issued_on": "2027-01-04", "confirm": "on"})
    assert confirmed.status_code == 302
    decision = Decision.objects.get()
    assert decision.status == DecisionStatus.ISSUED
    assert decision.label == "Số: 01/QĐ-UBND"
    assert decision.signer_name == person_name(user(SIGNER))
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DECIDED
    texts = body_texts(client.get(f"/quyet-dinh/{decision.pk}/quyet-dinh.docx").content)
    assert "Lạng Sơn, ngày 04 tháng 01 năm 2027" in texts
    assert "Đoàn Thu Hà" not in texts


def test_decision_pages_answer_404_to_outsiders(client, demo):
    _, draft, _ = decision_for(demo["th-hop-thanh"], nominees=1)
    urls = [
        f"/quyet-dinh/{draft.pk}/",
        f"/quyet-dinh/{draft.pk}/quyet-dinh.docx",
        f"/quyet-dinh/{draft.pk}/danh-sach.xlsx",
    ]
    for url in [*urls, f"/quyet-dinh/{draft.pk}/ban-hanh/"]:
        for outsider in OUTSIDERS:
            assert as_user(client, outsider).get(url).status_code == 404, (url, outsider)
    for url in urls:
        assert as_user(client, SECRETARIAT).get(url).status_code == 200
        assert as_user(client, SIGNER).get(url).status_code == 200
        for outsider in OUTSIDERS:
            assert as_user(client, outsider).get(url).status_code == 404, (url, outsider)
    province = demo["lang-son"].pk
    for outsider in OUTSIDERS:
        client = as_user(client, outsider)
        assert client.get(f"/quyet-dinh/moi/?issuer={province}").status_code == 404
        post = client.post(f"/quyet-dinh/{draft.pk}/ban-hanh/", {"confirm": "on"})
        assert post.status_code == 404
    assert Decision.objects.get(pk=draft.pk).status == DecisionStatus.DRAFT


def test_a_commune_secretariat_drafts_only_for_its_commune(client, demo):
    make_dossier_awaiting_decision(demo["th-hop-thanh"], nominees=1)
    client = as_user(client, "hop-thanh.vanphong")
    page = client.get("/quyet-dinh/moi/")
    assert page.status_code == 200
    assert "Nguyễn Thị Hồng Nhung" not in page.content.decode()  # the province's, not its own
    assert (
        as_user(client, "th-hop-thanh.thiduakhenthuong").get("/quyet-dinh/moi/").status_code == 404
    )


def test_anonymous_is_sent_to_login(client, demo):
    for url in ("/quyet-dinh/", "/quyet-dinh/khen-thuong/", "/quyet-dinh/so-quyet-dinh/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/dang-nhap/" in response["Location"]


def test_xlsx_list_rows_are_the_decision_lines(client, demo):
    dossier, draft, _ = decision_for(demo["th-hop-thanh"], nominees=3)
    data = as_user(client, SECRETARIAT).get(f"/quyet-dinh/{draft.pk}/danh-sach.xlsx").content
    sheet = load_workbook(BytesIO(data)).active
    names = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == sorted(dossier.active_nominees().values_list("full_name", flat=True))


def test_registry_search_history_and_export(client, demo):
    dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=2)
    issue(draft, by=user(SIGNER), on=date(2027, 1, 4))
    name = dossier.active_nominees().first().full_name
    client = as_user(client, "th-hop-thanh.thiduakhenthuong")  # staff of the same province
    found = client.get("/quyet-dinh/khen-thuong/", {"name": name, "year": dossier.year})
    assert found.status_code == 200
    page = found.content.decode()
    assert name in page
    assert "01/QĐ-UBND" in page
    assert (
        client.get("/quyet-dinh/khen-thuong/", {"year": 1999}).content.decode().count("/lich-su/")
        == 0
    )
    entry = draft.registry.get(full_name=name)
    history = client.get(f"/quyet-dinh/khen-thuong/{entry.pk}/lich-su/")
    assert history.status_code == 200
    assert "Bằng khen" in history.content.decode()
    export = client.get("/quyet-dinh/khen-thuong/xuat.xlsx", {"name": name})
    rows = list(
        load_workbook(BytesIO(export.content)).active.iter_rows(min_row=3, values_only=True)
    )
    assert [r[1] for r in rows] == [name]


def test_register_page_records_an_external_number(client, demo):
    client = as_user(client, SECRETARIAT)
    assert client.get("/quyet-dinh/so-quyet-dinh/").status_code == 200
    response = client.post(
        "/quyet-dinh/so-quyet-dinh/",
        {
            "action": "external",
            "ext-issuer": demo["lang-son"].pk,
            "ext-number": 4187,
            "ext-issued_on": "2026-12-31",
            "ext-note": "Quyết định giấy",
        },
    )
    assert response.status_code == 302
    assert RegisteredNumber.objects.get().number == 4187
    assert (
        as_user(client, "th-hop-thanh.thiduakhenthuong")
        .get("/quyet-dinh/so-quyet-dinh/")
        .status_code
        == 404
    )


def test_submission_letter_and_eligibility_pages_follow_dossier_visibility(client, demo):
    dossier = make_draft(demo["th-hop-thanh"], "bang-khen-tinh", nominees=1)
    letter = f"/quyet-dinh/to-trinh/{dossier.pk}.docx"
    checks = f"/ho-so/{dossier.pk}/dieu-kien/"
    client = as_user(client, "th-hop-thanh.thiduakhenthuong")
    assert client.get(letter).status_code == 200
    assert "TỜ TRÌNH" in body_texts(client.get(letter).content)
    assert client.get(checks).status_code == 200
    for outsider in ("lang-son.vanphong", "mn-xuat-le.thiduakhenthuong"):  # a draft is private
        client = as_user(client, outsider)
        assert client.get(letter).status_code == 404
        assert client.get(checks).status_code == 404


def test_the_menu_offers_decisions_to_secretariats_and_signers_only(client, demo):
    for username, shown in (
        ("lang-son.vanphong", True),
        ("lang-son.lanhdao", True),
        ("th-hop-thanh.thiduakhenthuong", False),
        ("lang-son.uyvien", False),
    ):
        client.force_login(user(username))
        text = client.get("/").content.decode()
        assert ('href="/quyet-dinh/"' in text) is shown, username
        assert 'href="/quyet-dinh/khen-thuong/"' in text  # the registry is open to all staff
