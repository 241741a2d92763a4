from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.models import Level, Organisation


def test_levels_of_the_demo_province(demo):
    assert demo["lang-son"].level == Level.PROVINCE
    assert demo["cao-loc"].level == Level.DISTRICT
    assert demo["hop-thanh"].level == Level.COMMUNE
    assert demo["so-y-te"].level == Level.DEPARTMENT
    assert demo["bvdk-tinh"].level == Level.UNIT
    assert Organisation.objects.get_parent(demo["bvdk-tinh"]) == demo["so-y-te"]


def test_units_under_a_district_is_one_query_and_stays_inside_it(demo):
    district = demo["cao-loc"]
    with CaptureQueriesContext(connection) as queries:
        names = set(district.units_under().values_list("name", flat=True))
    assert len(queries) == 1
    assert names == {
        "Xã Hợp Thành",
        "Xã Xuất Lễ",
        "Trường Tiểu học Hợp Thành",
        "Trường Mầm non Xuất Lễ",
        "Trạm Y tế xã Xuất Lễ",
    }
    assert "Trường Trung học cơ sở Tân Đoàn" not in names  # under the other district


def test_dissolved_district_is_kept_in_history_but_not_in_force(demo):
    district = Organisation.objects.get(code="cao-loc")
    assert district.valid_to == date(2025, 6, 30)
    assert district.is_active_on(date(2025, 6, 30))
    assert not district.is_active_on(date(2025, 7, 1))
    in_force = Organisation.objects.active_on(date(2025, 7, 15))
    assert not in_force.filter(code="cao-loc").exists()
    assert Organisation.objects.active_on(date(2025, 6, 20)).filter(code="cao-loc").exists()
    # Its communes still sit below it (lineage), but answer to the province after 01/07/2025.
    commune = demo["hop-thanh"]
    assert Organisation.objects.get_parent(commune).code == "cao-loc"
    assert commune.effective_parent(on=date(2025, 6, 20)).code == "cao-loc"
    assert commune.effective_parent(on=date(2025, 7, 15)).code == "lang-son"
    school = demo["th-hop-thanh"]
    assert school.ancestor_at_level(Level.DISTRICT, on=date(2025, 6, 20)).code == "cao-loc"
    assert school.ancestor_at_level(Level.DISTRICT, on=date(2025, 7, 15)) is None
