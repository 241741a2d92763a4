"""Issue 12, configuration without JSON: the award catalogue is edited in typed forms."""

import copy

import pytest
from django.urls import reverse

from dossiers.models import AwardType, RouteStage, RuleSet

from .forms import form_data

pytestmark = pytest.mark.django_db


def change_url(award: AwardType) -> str:
    return reverse("admin:dossiers_awardtype_change", args=[award.pk])


def page_form(client, url: str, form_id: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id)


def test_every_seeded_award_type_saves_unchanged_through_the_admin(demo, as_operator):
    awards = list(AwardType.objects.select_related("rule_set").order_by("pk"))
    assert len(awards) >= 20
    for award in awards:
        before = copy.deepcopy(award.eligibility)
        stages = list(RouteStage.objects.filter(award_type=award).values().order_by("position"))
        data = page_form(as_operator, change_url(award), "awardtype_form")
        data["_save"] = ["Lưu"]

        response = as_operator.post(change_url(award), data)

        errors = response.context and response.context.get("errors")
        assert response.status_code == 302, (award.rule_set.code, award.code, errors)
        award.refresh_from_db()
        assert award.eligibility == before, award.code  # "bases", "provincial"… all kept
        after = list(RouteStage.objects.filter(award_type=award).values().order_by("position"))
        assert after == stages, award.code


def test_the_unit_stage_needs_no_level_and_others_need_one(demo, as_operator):
    award = AwardType.objects.get(rule_set__code="rs-2025", code="ldtt")
    data = page_form(as_operator, change_url(award), "awardtype_form")
    intermediate = next(
        key.removesuffix("-tier")
        for key, value in data.items()
        if key.startswith("stages-") and key.endswith("-tier") and value == ["intermediate"]
    )
    data[f"{intermediate}-levels"] = []

    response = as_operator.post(change_url(award), data)

    assert response.status_code == 200
    assert "Cấp thực hiện: chọn ít nhất một cấp" in response.content.decode()
    stage = RouteStage.objects.get(award_type=award, tier="intermediate")
    assert stage.levels == ["commune", "department"]  # refused: nothing changed


def test_levels_are_check_boxes_of_named_levels_not_json(demo, as_operator):
    award = AwardType.objects.get(rule_set__code="rs-2025", code="cstd-tinh")
    html = as_operator.get(change_url(award)).content.decode()
    assert 'type="checkbox" name="stages-1-levels" value="commune"' in html
    assert "Xã, phường, đặc khu" in html
    assert '["commune"' not in html  # no JSON to type


def test_turning_the_quota_on_writes_the_json_the_registry_reads(demo, as_operator):
    award = AwardType.objects.get(rule_set__code="rs-2025", code="cstdcs")
    data = page_form(as_operator, change_url(award), "awardtype_form")
    data.update(
        quota_on=["on"],
        quota_of=["ldtt"],
        quota_num=["15"],
        quota_den=["100"],
        quota_basis=["QĐ 86/2025 tỉnh Lạng Sơn"],
    )

    assert as_operator.post(change_url(award), data).status_code == 302

    award.refresh_from_db()
    assert award.eligibility["quota"] == {
        "of": "ldtt",
        "num": 15,
        "den": 100,
        "basis": "QĐ 86/2025 tỉnh Lạng Sơn",
    }
    assert award.eligibility["requires_same_year"] == ["ldtt"]
    assert "bases" in award.eligibility
    assert "initiative" in award.eligibility


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quota_num": ["120"]}, "Hạn mức: tử số (120) không được lớn hơn mẫu số (100)."),
        ({"quota_den": ["0"]}, "Hạn mức: mẫu số phải từ 1 trở lên."),
        ({"quota_of": [""]}, "Hạn mức tính trên số: chọn danh hiệu làm cơ sở"),
        ({"same_year": ["cstdcs"]}, "không chọn chính hình thức “cstdcs”"),
    ],
)
def test_a_wrong_quota_is_refused_naming_the_field(demo, as_operator, change, message):
    award = AwardType.objects.get(rule_set__code="rs-2025", code="cstdcs")
    before = copy.deepcopy(award.eligibility)
    data = page_form(as_operator, change_url(award), "awardtype_form")
    data.update(quota_on=["on"], quota_of=["ldtt"], quota_num=["15"], quota_den=["100"])
    data.update(change)

    response = as_operator.post(change_url(award), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    award.refresh_from_db()
    assert award.eligibility == before


def test_a_vote_threshold_above_one_is_refused(demo, as_operator):
    award = AwardType.objects.get(rule_set__code="rs-2025", code="cstd-tinh")
    data = page_form(as_operator, change_url(award), "awardtype_form")
    data["stages-2-threshold_num"] = ["11"]  # 11/10 of the members: nobody could pass

    response = as_operator.post(change_url(award), data)

    assert response.status_code == 200
    assert "Tỷ lệ đồng ý: tử số (11) không được lớn hơn mẫu số (10)." in response.content.decode()
    assert RouteStage.objects.get(award_type=award, position=2).threshold_num == 9


def test_the_comparison_is_named_not_a_checkbox(demo, as_operator):
    award = AwardType.objects.get(rule_set__code="rs-2025", code="cstd-tinh")
    html = as_operator.get(change_url(award)).content.decode()
    assert "Từ tỷ lệ này trở lên (≥)" in html
    assert "Trên tỷ lệ này (&gt;)" in html


def test_legal_bases_are_lines_and_saved_as_the_list(demo, as_operator):
    rule_set = RuleSet.objects.get(code="rs-2025")
    url = reverse("admin:dossiers_ruleset_change", args=[rule_set.pk])
    before = list(rule_set.legal_bases)
    data = page_form(as_operator, url, "ruleset_form")
    assert data["legal_bases"] == ["\n".join(before)]

    assert as_operator.post(url, data).status_code == 302
    rule_set.refresh_from_db()
    assert rule_set.legal_bases == before

    data["legal_bases"] = [data["legal_bases"][0] + "\nCăn cứ Quyết định số 86/2025;"]
    response = as_operator.post(url, data)
    assert response.status_code == 200
    assert "kết thúc bằng dấu “;”" in response.content.decode()


def test_an_administrator_reads_the_rules_in_words(demo, client, user_of):
    client.force_login(user_of("lang-son", "quantri"))
    award = AwardType.objects.get(rule_set__code="rs-2025", code="cstd-tinh")

    response = client.get(change_url(award))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Đạt Danh hiệu Chiến sĩ thi đua cơ sở (cstdcs) 3 năm liên tục" in html
    assert "Đơn vị đề nghị tự thực hiện" in html  # the unit stage's levels, in words
    assert 'name="quota_on"' not in html  # read-only: one catalogue for the platform
