"""The frame every page shares (templates/base.html) and the account pages a user reaches
from the log-in page: the official identity in the header, a readable unread count, the
password reset by e-mail and the password change; and demo people who are all different."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from notifications.models import OutboxMessage
from organisations.context_processors import identity_for

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "Mat-khau-moi-rat-dai-2027"


def page(client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- The official identity -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "agency", "unit"),
    [
        ("so-noi-vu.vanphong", "Ủy ban nhân dân tỉnh Lạng Sơn", "Sở Nội vụ tỉnh Lạng Sơn"),
        ("hop-thanh.vanphong", "Ủy ban nhân dân tỉnh Lạng Sơn", "Xã Hợp Thành"),
        ("th-hop-thanh.thutruong", "Ủy ban nhân dân tỉnh Lạng Sơn", "Trường Tiểu học Hợp Thành"),
        ("lang-son.vanphong", "Ủy ban nhân dân tỉnh Lạng Sơn", None),
    ],
)
def test_the_header_names_the_body_the_user_works_for(client, demo, username, agency, unit):
    client.force_login(User.objects.get(username=username))
    html = page(client)
    assert f'<span class="identity__agency">{agency}</span>' in html
    if unit:
        assert f'<span class="identity__unit">{unit}</span>' in html
    else:  # the province's own staff: the province, then the service's name
        assert "identity__unit" not in html
        assert "Hệ thống thi đua, khen thưởng" in html


def test_before_log_in_the_header_names_the_province_served(client, demo):
    html = page(client, reverse("login"))
    assert '<span class="identity__agency">Ủy ban nhân dân tỉnh Lạng Sơn</span>' in html
    assert "identity__unit" not in html


def test_a_dissolved_districts_people_still_see_their_province(demo):
    # Huyện Cao Lộc ended on 30/06/2025; the header must not fail or name the district above.
    assert identity_for(demo["cao-loc"]).agency == "Ủy ban nhân dân tỉnh Lạng Sơn"
    assert identity_for(demo["cao-loc"]).unit == "Huyện Cao Lộc"


def test_the_menu_folds_without_script_and_marks_the_current_page(client, demo):
    client.force_login(User.objects.get(username="lang-son.vanphong"))
    html = page(client, reverse("registry:registry"))
    # A <details> disclosure: the phone's menu opens with no JavaScript (CSP: no inline JS).
    assert re.search(r'<details class="menu" data-menu>\s*<summary class="menu__toggle">', html)
    assert re.search(r'href="/quyet-dinh/khen-thuong/" aria-current="page">Sổ khen thưởng', html)
    assert html.count('aria-current="page"') == 1
    assert '<script src="/static/js/menu.js" defer></script>' in html
    assert "<script>" not in html
    assert "style=" not in html


def test_the_unread_count_is_written_out_for_screen_readers(client, demo):
    user = User.objects.get(username="lang-son.vanphong")
    for n in range(3):
        OutboxMessage.objects.create(
            recipient=user, template="council_ballot_open", dedupe_key=f"look:{n}"
        )
    client.force_login(user)
    html = page(client)
    assert '<span class="badge">3<span class="visually-hidden"> chưa đọc</span></span>' in html


def test_breadcrumbs_have_a_block_before_main(client, demo):
    client.force_login(User.objects.get(username="lang-son.vanphong"))
    html = page(client)
    assert html.index('<div class="page-width">') < html.index('<main id="main"')


# --- Password reset by e-mail ----------------------------------------------------------------


def reset_link(message) -> str:
    found = re.search(r"http://testserver(/dat-mat-khau/[^/\s]+/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_the_log_in_page_links_to_the_password_reset(client, demo):
    assert f'href="{reverse("password_reset")}">Quên mật khẩu?' in page(client, reverse("login"))


def test_a_reset_e_mail_goes_to_the_users_address_and_its_link_sets_a_new_password(
    client, demo, settings
):
    settings.SITE_URL = "http://testserver"
    user = User.objects.get(username="th-hop-thanh.thutruong")
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert "Hãy kiểm tra hộp thư" in page(client, response.url)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["th-hop-thanh.thutruong@demo.khenthuong.vn"]
    assert message.subject == "Đặt lại mật khẩu khenthuong"
    assert "Tên đăng nhập: th-hop-thanh.thutruong" in message.body
    assert f"Kính gửi {user.last_name} {user.first_name}," in message.body

    form_page = client.get(reset_link(message), follow=True)
    html = form_page.content.decode()
    assert "Đặt mật khẩu mới" in html
    assert 'name="new_password1"' in html
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link is spent: a second visit says so instead of showing the form.
    again = client.get(reset_link(message), follow=True).content.decode()
    assert "Đường dẫn không còn dùng được" in again
    assert 'name="new_password1"' not in again


def test_the_reset_link_is_built_from_site_url_not_the_host_header(client, demo, settings):
    settings.SITE_URL = "https://khenthuong.langson.gov.vn"
    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.get(username="hop-thanh.vanphong")
    client.post(reverse("password_reset"), {"email": user.email}, HTTP_HOST="attacker.example")
    body = mail.outbox[0].body
    assert "https://khenthuong.langson.gov.vn/dat-mat-khau/" in body
    assert "attacker.example" not in body


def test_an_unknown_address_gets_the_same_page_and_no_e_mail(client, demo):
    response = client.post(reverse("password_reset"), {"email": "khong-co@example.vn"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_bad_address_is_refused_with_an_error_summary_linking_to_the_field(client, demo):
    html = client.post(reverse("password_reset"), {"email": "not an address"}).content.decode()
    assert "Có vấn đề cần sửa" in html
    assert 'href="#id_email"' in html
    assert 'aria-invalid="true"' in html
    assert mail.outbox == []


def test_mismatched_new_passwords_change_nothing(client, demo, settings):
    settings.SITE_URL = "http://testserver"
    user = User.objects.get(username="th-hop-thanh.thutruong")
    before = user.password
    client.post(reverse("password_reset"), {"email": user.email})
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert 'href="#id_new_password2"' in response.content.decode()
    user.refresh_from_db()
    assert user.password == before


# --- Password change -------------------------------------------------------------------------


def test_a_signed_in_user_changes_the_password_from_the_menu(client, demo):
    user = User.objects.get(username="hop-thanh.vanphong")
    user.set_password("Mat-khau-cu-2026")
    user.save()
    client.force_login(user)
    assert f'href="{reverse("password_change")}"' in page(client)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Mat-khau-cu-2026",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert "Đã đổi mật khẩu." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


# --- Demo people -----------------------------------------------------------------------------


def test_seed_demo_prints_every_log_in_of_the_journey_and_no_two_people_share_a_name(db):
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    printed = out.getvalue()
    people = list(User.objects.values_list("username", "last_name", "first_name"))
    names = [f"{last} {first}" for _username, last, first in people]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    for username, _last, _first in people:
        assert re.search(rf"^  {re.escape(username)} ", printed, re.MULTILINE), username
    for username in ("hop-thanh.hoidong03", "lang-son.hoidong01", "lang-son.hoidong14"):
        assert username in printed
    assert "lang-son.hoidong15" not in printed
