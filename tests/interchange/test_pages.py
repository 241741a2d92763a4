"""The interchange and webhook pages: dry run then import, errors by row and column on the
page, a file that is not a spreadsheet is a message (never a 500), registering an endpoint."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import RegistryEntry
from tests import factories as f
from tests.interchange.test_award_import import row, xlsx
from webhooks.models import Endpoint

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "khen-thuong.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_award_import_page_shows_a_dry_run_then_imports(demo, client):
    client.force_login(f.user("hop-thanh.vanphong"))
    url = reverse("interchange:awards_import")
    data = xlsx([row(), row(**{"Năm": 2022, "Ngày quyết định": "20/12/2022"})])
    page = client.post(url, {"file": upload(data), "action": "check"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chạy thử: sẽ nhập 2 khen thưởng" in text
    assert "hết hiệu lực" not in text  # Xã Hợp Thành is in force
    assert RegistryEntry.objects.count() == 0
    done = client.post(url, {"file": upload(data), "action": "import"})
    assert done.status_code == 302
    assert RegistryEntry.objects.count() == 2


def test_the_page_lists_bad_cells_and_imports_nothing(demo, client):
    client.force_login(f.user("hop-thanh.vanphong"))
    data = xlsx([row(), row(**{"Năm": "hai nghìn"})])
    page = client.post(
        reverse("interchange:awards_import"), {"file": upload(data), "action": "import"}
    )
    assert page.status_code == 200
    assert "Dòng 3, cột Năm: phải là một năm có 4 chữ số" in page.content.decode()
    assert RegistryEntry.objects.count() == 0


@pytest.mark.parametrize("junk", [b"", b"not a spreadsheet", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_spreadsheet_is_a_message(demo, client, junk):
    client.force_login(f.user("lang-son.vanphong"))
    for name in ("interchange:awards_import",):
        page = client.post(reverse(name), {"file": upload(junk or b" "), "action": "check"})
        assert page.status_code == 200
        assert "không đọc được" in page.content.decode()
    client.force_login(f.user("lang-son.quantri"))
    page = client.post(
        reverse("interchange:onboarding"), {"file": upload(junk or b" "), "action": "check"}
    )
    assert page.status_code == 200
    assert "không đọc được" in page.content.decode()


def test_the_templates_download_as_xlsx(demo, client):
    client.force_login(f.user("lang-son.quantri"))
    response = client.get(reverse("interchange:onboarding_template"))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    client.force_login(f.user("lang-son.vanphong"))
    response = client.get(reverse("interchange:awards_template"))
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-khen-thuong.xlsx"'
    assert BytesIO(response.content).read(2) == b"PK"


def test_registering_an_endpoint_on_the_page(demo, client, settings):
    settings.KHENTHUONG_WEBHOOKS_ALLOW_LOCAL = False
    client.force_login(f.user("hop-thanh.vanphong"))
    url = reverse("webhooks:add")
    refused = client.post(
        url,
        {
            "organisation": demo["hop-thanh"].pk,
            "url": "http://127.0.0.1:9000/",
            "events": ["dossier.transition"],
        },
    )
    assert refused.status_code == 200
    assert "Địa chỉ nhận: phải dùng https://" in refused.content.decode()
    assert Endpoint.objects.count() == 0
    done = client.post(
        url,
        {
            "organisation": demo["hop-thanh"].pk,
            "url": "https://1.1.1.1/khenthuong",
            "events": ["dossier.transition", "decision.issued"],
            "include_units": "on",
        },
    )
    endpoint = Endpoint.objects.get()
    assert done["Location"] == reverse("webhooks:detail", args=[endpoint.pk])
    detail = client.get(done["Location"]).content.decode()
    assert endpoint.secret in detail
    client.force_login(f.user("xuat-le.vanphong"))
    assert client.get(reverse("webhooks:detail", args=[endpoint.pk])).status_code == 404


def test_the_dossier_page_offers_the_package_to_the_route_s_secretariat_only(demo, client):
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"]))
    link = reverse("interchange:dossier_package", args=[dossier.pk])
    client.force_login(f.user("hop-thanh.vanphong"))
    assert link in client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    client.force_login(f.user("th-hop-thanh.thiduakhenthuong"))
    page = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert page.status_code == 200
    assert link not in page.content.decode()
