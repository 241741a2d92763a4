"""A proposer files a dossier through the pages alone: create, nominees, upload, submit."""

from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Dossier
from tests import factories as f


def formset_data(nominees: list[dict], existing: int = 0) -> dict:
    data = {
        "n-TOTAL_FORMS": str(len(nominees)),
        "n-INITIAL_FORMS": str(existing),
        "n-MIN_NUM_FORMS": "0",
        "n-MAX_NUM_FORMS": "1000",
    }
    for i, nominee in enumerate(nominees):
        data.update({f"n-{i}-{k}": v for k, v in nominee.items()})
    return data


def test_proposer_files_and_submits_a_dossier_through_the_pages(client, demo):
    client.force_login(f.user("th-hop-thanh.thiduakhenthuong"))
    award = f.award("bang-khen-tinh")
    # The form carries a one-time token (a repeated POST makes no second dossier).
    token = client.get("/ho-so/tao-moi/").context["form"]["form_token"].value()
    response = client.post(
        "/ho-so/tao-moi/",
        {
            "form_token": token,
            "proposer": demo["th-hop-thanh"].pk,
            "award_type": award.pk,
            "year": 2026,
            "kind": "annual",
            "title": "Đề nghị tặng Bằng khen năm học 2025–2026",
        },
    )
    dossier = Dossier.objects.get(title__startswith="Đề nghị tặng Bằng khen năm học")
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/{dossier.pk}/sua/"

    data = {"d-year": 2026, "d-kind": "annual", "d-title": dossier.title, "d-letter_text": ""}
    data |= formset_data(
        [
            {
                "kind": "individual",
                "full_name": "Hoàng Thị Thu Trang",
                "birth_year": "1984",
                "gender": "female",
                "position": "Giáo viên",
                "organisation_name": "Trường TH Hợp Thành",
                "achievement_summary": "Giáo viên dạy giỏi cấp tỉnh.",
            }
        ]
    )
    response = client.post(f"/ho-so/{dossier.pk}/sua/", data)
    assert response.status_code == 302
    assert list(dossier.nominees.values_list("full_name", flat=True)) == ["Hoàng Thị Thu Trang"]

    for category in ("submission_letter", "achievement_report", "minutes"):
        client.post(
            f"/ho-so/{dossier.pk}/tai-lieu/",
            {"category": category, "file": SimpleUploadedFile(f"{category}.pdf", f.PDF)},
        )
    assert dossier.documents.count() == 3

    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Gửi hồ sơ" in page
    response = client.post(f"/ho-so/{dossier.pk}/thao-tac/submit/", follow=True)
    assert Dossier.objects.get(pk=dossier.pk).status == "unit_review"
    assert "Đơn vị xét duyệt" in response.content.decode()


def test_bad_nominee_input_names_the_field_and_keeps_the_dossier(client, demo):
    dossier = f.make_draft(demo["th-hop-thanh"], "ttldxs", nominees=1)  # collectives only
    client.force_login(f.user("th-hop-thanh.thiduakhenthuong"))
    data = {"d-year": 2025, "d-kind": "annual", "d-title": dossier.title, "d-letter_text": ""}
    existing = dossier.nominees.get()
    data |= formset_data(
        [
            {
                "id": existing.pk,
                "kind": "collective",
                "full_name": existing.full_name,
                "achievement_summary": existing.achievement_summary,
            },
            {"kind": "individual", "full_name": "Nguyễn Văn Bình", "achievement_summary": "Tốt"},
        ],
        existing=1,
    )
    response = client.post(f"/ho-so/{dossier.pk}/sua/", data)
    assert response.status_code == 200
    assert "Đối tượng" in response.content.decode()
    assert dossier.nominees.count() == 1  # nothing half-saved


def test_irreversible_withdrawal_needs_confirmation(client, demo):
    dossier = f.make_draft(demo["th-hop-thanh"])
    client.force_login(f.user("th-hop-thanh.thiduakhenthuong"))
    client.post(f"/ho-so/{dossier.pk}/thao-tac/withdraw/", {"reason": "Rút để bổ sung"})
    assert Dossier.objects.get(pk=dossier.pk).status == "draft"
    client.post(
        f"/ho-so/{dossier.pk}/thao-tac/withdraw/", {"reason": "Rút để bổ sung", "confirm": "on"}
    )
    assert Dossier.objects.get(pk=dossier.pk).status == "withdrawn"


def test_search_and_status_filter(client, demo):
    f.make_draft(
        demo["th-hop-thanh"],
        nominee_fields=[
            {"kind": "individual", "full_name": "Lăng Văn Đạt", "achievement_summary": "x"}
        ],
    )
    f.make_draft(demo["th-hop-thanh"])
    client.force_login(f.user("th-hop-thanh.thiduakhenthuong"))
    page = client.get("/ho-so/", {"q": "Lăng Văn Đạt"}).content.decode()
    assert page.count("/ho-so/") >= 1
    assert page.count('<td><a href="/ho-so/') == 1
    page = client.get("/ho-so/", {"status": "withdrawn"}).content.decode()
    assert '<td><a href="/ho-so/' not in page


def test_adding_a_nominee_shows_the_unmet_eligibility_rule_at_once(client, demo):
    """CSTĐ cấp tỉnh needs Chiến sĩ thi đua cơ sở in three consecutive years; with none on
    record the proposer learns it when saving the nominee, not only at submission."""
    dossier = f.make_draft(demo["th-hop-thanh"], "cstd-tinh", nominees=0, documents=False)
    client.force_login(f.user("th-hop-thanh.thiduakhenthuong"))
    data = {"d-year": dossier.year, "d-kind": "annual", "d-title": dossier.title}
    data |= {"d-letter_text": ""}
    data |= formset_data(
        [
            {
                "kind": "individual",
                "full_name": "Lương Văn Khánh",
                "identity_code": "020085000123",
                "achievement_summary": "Sáng kiến cấp tỉnh.",
            }
        ]
    )
    page = client.post(f"/ho-so/{dossier.pk}/sua/", data, follow=True).content.decode()
    assert dossier.nominees.count() == 1  # saved: a draft may be incomplete
    assert "Điều kiện:" in page
    assert "liên tục" in page  # the rule that fails, with its figures
