"""The secretariat's hold pages: list, add (with errors shown, nothing written), clear."""

import pytest

from registry.models import Hold
from tests.factories import user

pytestmark = pytest.mark.django_db

ADD = "/quyet-dinh/tam-dung-xet/them/"


def form(demo, **fields):
    return {
        "secretariat": demo["hop-thanh"].pk,
        "subject_kind": "individual",
        "full_name": "Vi Văn Thanh",
        "identity_code": "001080000123",
        "kind": "investigation",
        "body": "Cơ quan Cảnh sát điều tra Công an tỉnh Lạng Sơn",
        "document": "Công văn số 120/CSĐT",
        "started_on": "2026-05-04",
        **fields,
    }


def test_a_secretariat_records_lists_and_clears_a_hold(client, demo):
    client.force_login(user("hop-thanh.vanphong"))
    response = client.post(ADD, form(demo))
    assert response.status_code == 302
    hold = Hold.objects.get()
    assert hold.subject_key == "id:001080000123"
    listing = client.get("/quyet-dinh/tam-dung-xet/").content.decode()
    assert "Vi Văn Thanh" in listing
    assert "đang bị điều tra" in listing

    url = f"/quyet-dinh/tam-dung-xet/{hold.pk}/cham-dut/"
    response = client.post(url, {"cleared_document": "", "cleared_on": "2026-06-01"})
    assert response.status_code == 200  # the error is shown, nothing cleared
    assert Hold.objects.get().is_active
    response = client.post(
        url, {"cleared_document": "Thông báo số 9/CSĐT", "cleared_on": "2026-04-01"}
    )
    assert "không được trước ngày bắt đầu" in response.content.decode()
    assert Hold.objects.get().is_active
    response = client.post(
        url, {"cleared_document": "Thông báo số 9/CSĐT", "cleared_on": "2026-06-01"}
    )
    assert response.status_code == 302
    assert not Hold.objects.get().is_active


def test_bad_input_is_shown_and_writes_nothing(client, demo):
    client.force_login(user("hop-thanh.vanphong"))
    response = client.post(ADD, form(demo, body="", started_on="không phải ngày"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert not Hold.objects.exists()
    # an organisation where the user is not a secretariat is not offered, nor accepted
    response = client.post(ADD, form(demo, secretariat=demo["tan-doan"].pk))
    assert response.status_code == 200
    assert not Hold.objects.exists()


def test_the_pages_do_not_exist_for_a_proposer(client, demo):
    client.force_login(user("th-hop-thanh.thiduakhenthuong"))
    assert client.get("/quyet-dinh/tam-dung-xet/").status_code == 404
    assert client.post(ADD, form(demo)).status_code == 404
    assert not Hold.objects.exists()
