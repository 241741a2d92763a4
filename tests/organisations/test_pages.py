from organisations.demo import DEMO_PASSWORD


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_demo_proposer_logs_in_and_sees_who_they_are(client, demo):
    response = client.post(
        "/dang-nhap/", {"username": "th-hop-thanh.thiduakhenthuong", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Trường Tiểu học Hợp Thành" in text
    assert "Cán bộ phụ trách thi đua" in text
    assert 'lang="vi"' in text


def test_wrong_password_is_refused_with_a_message(client, demo):
    response = client.post("/dang-nhap/", {"username": "lang-son.vanphong", "password": "sai"})
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()


def test_language_switch_to_english(client, demo):
    client.post("/dang-nhap/", {"username": "lang-son.vanphong", "password": DEMO_PASSWORD})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/")
    assert 'lang="en"' in page.content.decode()
    assert "Your organisations and roles" in page.content.decode()


def test_admin_is_in_vietnamese_for_administrators(client, demo):
    client.post("/dang-nhap/", {"username": "lang-son.quantri", "password": DEMO_PASSWORD})
    page = client.get("/quan-tri/")
    assert page.status_code == 200
    assert "Quản trị" in page.content.decode()


def test_administrator_edits_the_catalogue_but_not_dossiers(client, demo):
    client.post("/dang-nhap/", {"username": "lang-son.quantri", "password": DEMO_PASSWORD})
    assert client.get("/quan-tri/dossiers/awardtype/").status_code == 200
    assert client.get("/quan-tri/dossiers/ruleset/").status_code == 200
    assert client.get("/quan-tri/dossiers/dossier/add/").status_code == 403


def test_vietnamese_by_default_even_for_an_english_browser(client, demo):
    page = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in page.content.decode()
