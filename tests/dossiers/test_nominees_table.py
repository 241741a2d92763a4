"""The nominees table of the edit page: rows added and removed in place (htmx partials),
every row checked on save with its errors next to the field and in the summary, the
plausibility rules, and the project's form rendering ("— Chọn —", named errors)."""

from datetime import date

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import DomainError
from dossiers import services
from dossiers.forms import ActionForm, DossierForm
from dossiers.models import Dossier, Nominee
from dossiers.nominee_rules import check_nominee
from tests import factories as f

pytestmark = pytest.mark.django_db

UNIT = "th-hop-thanh"
PROPOSER = f"{UNIT}.thiduakhenthuong"
HX = {"HTTP_HX_REQUEST": "true"}
YEAR = timezone.localdate().year


def letter(dossier, **extra) -> dict:
    return {
        "d-year": dossier.year,
        "d-kind": "annual",
        "d-title": dossier.title,
        "d-letter_text": "",
        **extra,
    }


def rows(nominees: list[dict], *, existing: int = 0) -> dict:
    data = {
        "n-TOTAL_FORMS": str(len(nominees)),
        "n-INITIAL_FORMS": str(existing),
        "n-MIN_NUM_FORMS": "0",
        "n-MAX_NUM_FORMS": "1000",
    }
    for i, nominee in enumerate(nominees):
        data.update({f"n-{i}-{k}": v for k, v in nominee.items()})
    return data


def person(name="Hoàng Thị Thu Trang", **extra) -> dict:
    return {
        "kind": "individual",
        "full_name": name,
        "birth_year": "1984",
        "gender": "female",
        "identity_code": "020184000123",
        "achievement_summary": "Giáo viên dạy giỏi cấp tỉnh.",
        **extra,
    }


def group(name="Tổ chuyên môn Khối 5", **extra) -> dict:
    return {"kind": "collective", "full_name": name, "achievement_summary": "Tổ xuất sắc.", **extra}


@pytest.fixture
def draft(demo):
    return f.make_draft(demo[UNIT], "bang-khen-tinh", nominees=0, documents=False)


@pytest.fixture
def proposer_client(client, demo):
    client.force_login(f.user(PROPOSER))
    return client


# --- the pure rules -------------------------------------------------------------------


def texts(values: dict) -> list[str]:
    return [p.text() for p in check_nominee(values, current_year=2026)]


def test_birth_year_is_plausible_from_1940_to_sixteen_years_ago():
    base = {"kind": "individual", "full_name": "A", "achievement_summary": "x"}
    assert texts({**base, "birth_year": 1940}) == []
    assert texts({**base, "birth_year": 2010}) == []
    assert texts({**base, "birth_year": 1939}) == [
        "Năm sinh: 1939 không hợp lý: phải từ 1940 đến 2010."
    ]
    assert texts({**base, "birth_year": 2011}) == [
        "Năm sinh: 2011 không hợp lý: phải từ 1940 đến 2010."
    ]


def test_a_collective_or_household_has_no_birth_year_gender_and_only_a_collective_a_share():
    assert texts(
        {
            "kind": "household",
            "full_name": "Hộ ông A",
            "achievement_summary": "x",
            "birth_year": 1970,
            "gender": "male",
            "women_share": 50,
        }
    ) == [
        "Năm sinh: để trống với tập thể, hộ gia đình.",
        "Giới tính: để trống với tập thể, hộ gia đình.",
        "Tỷ lệ nữ (%): chỉ ghi với tập thể.",
    ]
    assert texts({**group(), "women_share": 100}) == []
    assert texts({**group(), "women_share": "100.01"}) == ["Tỷ lệ nữ (%): phải là số từ 0 đến 100."]


def test_an_individuals_identity_number_is_twelve_digits_and_required_fields_are_named():
    assert texts({**person(), "birth_year": 1984, "identity_code": "02018400012"}) == [
        "Số định danh: số căn cước công dân phải gồm đúng 12 chữ số (đang có “02018400012”)."
    ]
    assert texts({"kind": ""}) == [
        "Đối tượng: bắt buộc chọn (cá nhân, tập thể hoặc hộ gia đình).",
        "Họ và tên / tên tập thể: bắt buộc nhập.",
        "Tóm tắt thành tích: bắt buộc nhập.",
    ]


# --- the page -------------------------------------------------------------------------


def test_the_edit_page_offers_choose_labels_never_dashes_and_loads_htmx(proposer_client, draft):
    page = proposer_client.get(f"/ho-so/{draft.pk}/sua/").content.decode()
    assert "— Chọn —" in page
    assert "---------" not in page
    assert "js/htmx.min.js" in page
    assert "js/once.js" in page
    assert 'name="n-0-kind"' in page  # an empty dossier opens with one blank row
    assert "Thêm một dòng" in page
    assert "Thêm 5 dòng" in page
    assert "style=" not in page
    assert "<script>" not in page  # the CSP allows neither


def test_add_rows_returns_blank_rows_and_the_new_total_out_of_band(proposer_client, draft):
    url = f"/ho-so/{draft.pk}/nguoi-duoc-de-nghi/dong-moi/"
    one = proposer_client.get(url, {"n-TOTAL_FORMS": "2"}, **HX).content.decode()
    assert 'name="n-2-full_name"' in one
    assert 'name="n-3-full_name"' not in one
    assert 'id="id_n-TOTAL_FORMS"' in one
    assert 'value="3"' in one
    assert "hx-swap-oob" in one
    five = proposer_client.get(url, {"n-TOTAL_FORMS": "2", "count": "5"}, **HX).content.decode()
    assert 'name="n-6-full_name"' in five
    assert 'name="n-7-full_name"' not in five
    assert 'value="7"' in five
    bad = proposer_client.get(url, {"n-TOTAL_FORMS": "abc"}, **HX)
    assert bad.status_code == 400  # a tampered count is refused plainly, never a 500


def test_thirty_nominees_are_saved_in_one_post(proposer_client, draft):
    thirty = [person(f"Nguyễn Văn {i:02d}", identity_code=f"0201840{i:05d}") for i in range(30)]
    response = proposer_client.post(f"/ho-so/{draft.pk}/sua/", letter(draft) | rows(thirty))
    assert response.status_code == 302
    assert draft.nominees.count() == 30


def test_every_row_is_checked_on_save_and_nothing_is_saved_while_one_fails(proposer_client, draft):
    data = letter(draft) | rows(
        [
            person(),
            person("Lăng Văn Bình", birth_year="1930", identity_code="020130000123"),
            group(gender="male"),
            person("Triệu Thị Cúc", identity_code="12345"),
            {"kind": "individual", "full_name": "", "achievement_summary": "Tốt"},
        ]
    )
    response = proposer_client.post(f"/ho-so/{draft.pk}/sua/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert draft.nominees.count() == 0  # nothing half-saved
    latest = YEAR - 16
    # The summary names the row, the field and the reason, and links to the field.
    assert (
        f'<a href="#id_n-1-birth_year">Dòng 2 – Năm sinh: 1930 không hợp lý: phải từ 1940 '
        f"đến {latest}.</a>" in page
    )
    assert '<a href="#id_n-2-gender">Dòng 3 – Giới tính: để trống với tập thể' in page
    assert '<a href="#id_n-3-identity_code">Dòng 4 – Số định danh: số căn cước công dân' in page
    assert '<a href="#id_n-4-full_name">Dòng 5 – Họ và tên / tên tập thể: bắt buộc nhập.' in page
    # … and the error sits next to its field, which says it is invalid.
    assert 'id="id_n-1-birth_year-error"' in page
    assert 'aria-invalid="true"' in page
    assert "Hoàng Thị Thu Trang" in page  # what was typed is kept


def test_removing_a_saved_row_is_immediate_audited_and_the_save_still_adds_up(
    proposer_client, demo
):
    dossier = f.make_draft(demo[UNIT], "bang-khen-tinh", nominees=2, documents=False)
    first, second = dossier.nominees.order_by("pk")
    response = proposer_client.post(
        f"/ho-so/{dossier.pk}/nguoi-duoc-de-nghi/bo-dong/",
        {"index": "0", "n-0-id": str(first.pk)},
        **HX,
    )
    removed = response.content.decode()
    assert response.status_code == 200
    assert f"đã bỏ “{first.full_name}” khỏi danh sách" in removed
    assert f'name="n-0-id" value="{first.pk}"' in removed
    assert 'name="n-0-DELETE"' in removed
    assert not Nominee.objects.filter(pk=first.pk).exists()
    assert AuditEvent.objects.filter(action="remove_nominee").count() == 1

    # The page then saves with the removed row as id + DELETE and the other row edited.
    kept = {
        "id": second.pk,
        "kind": "individual",
        "full_name": "Tên đã sửa",
        "birth_year": "1986",
        "gender": "female",
        "achievement_summary": second.achievement_summary,
    }
    data = letter(dossier) | rows([{"id": first.pk, "DELETE": "on"}, kept], existing=2)
    response = proposer_client.post(f"/ho-so/{dossier.pk}/sua/", data)
    assert response.status_code == 302
    assert list(dossier.nominees.values_list("full_name", flat=True)) == ["Tên đã sửa"]


def test_removing_an_unsaved_row_touches_nothing(proposer_client, draft):
    response = proposer_client.post(
        f"/ho-so/{draft.pk}/nguoi-duoc-de-nghi/bo-dong/", {"index": "4"}, **HX
    )
    assert response.status_code == 200
    assert "Đã bỏ dòng 5." in response.content.decode()
    assert not AuditEvent.objects.filter(action="remove_nominee").exists()
    bad = proposer_client.post(f"/ho-so/{draft.pk}/nguoi-duoc-de-nghi/bo-dong/", {"index": "-1"})
    assert bad.status_code == 400


def test_another_units_proposer_cannot_add_or_remove_rows(client, demo):
    dossier = f.make_draft(demo[UNIT], "bang-khen-tinh", nominees=1, documents=False)
    nominee = dossier.nominees.get()
    client.force_login(f.user("thcs-tan-doan.thiduakhenthuong"))
    url = f"/ho-so/{dossier.pk}/nguoi-duoc-de-nghi/bo-dong/"
    response = client.post(url, {"index": "0", "n-0-id": str(nominee.pk)}, **HX)
    assert response.status_code == 404
    assert Nominee.objects.filter(pk=nominee.pk).exists()


def test_women_share_is_for_collectives_only_and_from_0_to_100(proposer_client, draft):
    data = letter(draft) | rows([group(women_share="120"), person(women_share="50")])
    page = proposer_client.post(f"/ho-so/{draft.pk}/sua/", data).content.decode()
    assert "Dòng 1 – Tỷ lệ nữ (%): phải là số từ 0 đến 100." in page
    assert "Dòng 2 – Tỷ lệ nữ (%): chỉ ghi với tập thể." in page
    assert draft.nominees.count() == 0
    data = letter(draft) | rows([group(women_share="75")])
    assert proposer_client.post(f"/ho-so/{draft.pk}/sua/", data).status_code == 302
    assert str(draft.nominees.get().women_share) == "75.00"


def test_the_nominees_account_is_chosen_among_the_proposing_units_users(
    proposer_client, draft, demo
):
    own = f.user(f"{UNIT}.thutruong")
    stranger = f.user("lang-son.vanphong")
    page = proposer_client.get(f"/ho-so/{draft.pk}/sua/").content.decode()
    assert f'value="{own.pk}"' in page
    assert f'<option value="{stranger.pk}"' not in page
    data = letter(draft) | rows([person(user=str(stranger.pk))])
    page = proposer_client.post(f"/ho-so/{draft.pk}/sua/", data).content.decode()
    assert "Dòng 1 – Tài khoản người dùng:" in page
    assert draft.nominees.count() == 0
    data = letter(draft) | rows([person(user=str(own.pk))])
    assert proposer_client.post(f"/ho-so/{draft.pk}/sua/", data).status_code == 302
    assert draft.nominees.get().user == own
    # The service refuses a stranger too, whoever calls it.
    with pytest.raises(DomainError) as refused:
        services.add_nominee(draft.pk, by=f.user(PROPOSER), user=stranger, **group())
    assert refused.value.field == "user"


def test_an_ad_hoc_dossier_needs_its_act_typed_day_first(proposer_client, draft):
    data = letter(draft, **{"d-kind": "ad_hoc"}) | rows([])
    page = proposer_client.post(f"/ho-so/{draft.pk}/sua/", data).content.decode()
    assert "Ngày của hành động, thành tích đột xuất: bắt buộc với khen thưởng đột xuất." in page
    assert Dossier.objects.get(pk=draft.pk).kind == "annual"
    act = "Dũng cảm cứu 2 em học sinh bị đuối nước."
    data = letter(draft, **{"d-kind": "ad_hoc", "d-act_date": "05/02/2026"})
    data |= {"d-act_description": act} | rows([])
    assert proposer_client.post(f"/ho-so/{draft.pk}/sua/", data).status_code == 302
    saved = Dossier.objects.get(pk=draft.pk)
    assert (saved.kind, saved.act_date, saved.act_description) == ("ad_hoc", date(2026, 2, 5), act)
    # An annual dossier carries no act.
    data = letter(draft, **{"d-act_date": "05/02/2026"}) | rows([])
    page = proposer_client.post(f"/ho-so/{draft.pk}/sua/", data).content.decode()
    assert "chỉ ghi với khen thưởng đột xuất" in page


def test_every_form_renders_through_the_projects_templates(draft):
    form = DossierForm(instance=draft, prefix="d")
    html = str(form)
    assert 'class="field' in html
    assert "field__label" in html
    assert "— Chọn —" in html
    assert "---------" not in html  # campaign: an empty choice
    assert "(bắt buộc)" in html  # year and title are required
    bound = ActionForm({"received_on": "31/02/2026"})
    assert not bound.is_valid()
    assert bound.errors["received_on"]  # a Vietnamese date that does not exist: refused
    assert ActionForm({"received_on": "05/02/2026"}).is_valid()
