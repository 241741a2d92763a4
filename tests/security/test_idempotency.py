"""Issue 15, no double effects: an acceptance fires once however many arrive together, and
pressing "Tạo hồ sơ" many times makes one dossier (a one-time form token, audit.once)."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from audit import once
from audit.models import AuditEvent, UsedFormToken
from dossiers.models import Dossier
from integrity.invariants import violations
from notifications.models import OutboxMessage
from tests import factories as f
from workflow.models import Reminder, StageDeadline

CREATE = "/ho-so/tao-moi/"
TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def _form(client: Client, demo) -> dict:
    page = client.get(CREATE)
    assert page.status_code == 200
    return {
        "form_token": TOKEN.search(page.content.decode()).group(1),
        "proposer": demo["th-hop-thanh"].pk,
        "award_type": f.award("ldtt").pk,
        "year": 2026,
        "kind": "annual",
        "title": "Đề nghị công nhận danh hiệu Lao động tiên tiến năm 2026",
        "letter_text": "",
    }


def _proposer_client() -> Client:
    client = Client()
    client.force_login(f.user("th-hop-thanh.thiduakhenthuong"))
    return client


@pytest.mark.django_db
def test_twenty_identical_create_posts_make_one_dossier(demo):
    client = _proposer_client()
    data = _form(client, demo)
    before = Dossier.objects.count()

    responses = [client.post(CREATE, data) for _ in range(20)]

    assert {r.status_code for r in responses} == {302}
    made = list(Dossier.objects.order_by("-pk")[: Dossier.objects.count() - before])
    assert len(made) == 1
    assert {r.url for r in responses} == {f"/ho-so/{made[0].pk}/sua/"}
    assert AuditEvent.objects.for_object(made[0]).filter(action="create").count() == 1
    repeat = client.get(responses[-1].url)
    assert "đã được tạo từ lần bấm trước" in repeat.content.decode()


@pytest.mark.django_db
def test_a_new_form_makes_a_new_dossier(demo):
    client = _proposer_client()
    first, second = _form(client, demo), _form(client, demo)
    before = Dossier.objects.count()
    assert client.post(CREATE, first).status_code == 302
    assert client.post(CREATE, second).status_code == 302
    assert Dossier.objects.count() == before + 2


@pytest.mark.django_db
def test_a_refused_post_does_not_spend_its_token(demo):
    client = _proposer_client()
    data = _form(client, demo)
    before = Dossier.objects.count()
    refused = client.post(CREATE, {**data, "title": ""})
    assert refused.status_code == 200
    assert Dossier.objects.count() == before
    assert not UsedFormToken.objects.exists()
    assert client.post(CREATE, data).status_code == 302
    assert Dossier.objects.count() == before + 1


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "forged", "x" * 5000])
def test_a_missing_or_forged_token_is_refused_with_a_message_not_an_error(demo, token):
    client = _proposer_client()
    data = _form(client, demo)
    before = Dossier.objects.count()
    page = client.post(CREATE, {**data, "form_token": token})
    assert page.status_code == 200
    assert "Biểu mẫu: đã hết hạn hoặc không hợp lệ" in page.content.decode()
    assert Dossier.objects.count() == before
    # The page carries a fresh token: sending it again creates the dossier.
    fresh = TOKEN.search(page.content.decode()).group(1)
    assert client.post(CREATE, {**data, "form_token": fresh}).status_code == 302
    assert Dossier.objects.count() == before + 1


@pytest.mark.django_db
def test_a_token_is_bound_to_its_user_and_its_form(demo):
    proposer, clerk = f.user("th-hop-thanh.thiduakhenthuong"), f.user("hop-thanh.vanphong")
    token = once.issue(user=proposer, purpose="dossiers.create")
    once.check(token, user=proposer, purpose="dossiers.create")
    with pytest.raises(once.InvalidToken):
        once.check(token, user=clerk, purpose="dossiers.create")
    with pytest.raises(once.InvalidToken):
        once.check(token, user=proposer, purpose="decisions.issue")


def _threads(n: int, work) -> list:
    barrier = threading.Barrier(n)
    results: list = []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait(timeout=60)
            outcome = work()
        except BaseException as error:  # reported in the main thread
            outcome = error
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_create_posts_make_one_dossier(demo):
    data = _form(_proposer_client(), demo)
    before = Dossier.objects.count()

    results = _threads(20, lambda: _proposer_client().post(CREATE, data))

    assert [r for r in results if isinstance(r, BaseException)] == []
    assert {r.status_code for r in results} == {302}
    assert len({r.url for r in results}) == 1
    assert Dossier.objects.count() == before + 1
    assert violations() == []


def _effects(dossier: Dossier) -> tuple[int, int, int, int]:
    """What one acceptance leaves: audit rows, stage clocks, reminders, notices."""
    stage = Dossier.objects.get(pk=dossier.pk).current_stage
    return (
        AuditEvent.objects.for_object(dossier).filter(action="accept_complete").count(),
        StageDeadline.objects.filter(stage=stage).count(),
        Reminder.objects.filter(deadline__stage=stage).count(),
        OutboxMessage.objects.filter(dedupe_key__startswith=f"dossier:{dossier.pk}:").count(),
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_accepts_through_the_web_fire_once(demo):
    other = {
        "kind": "individual",
        "full_name": "Lê Văn Bình",
        "birth_year": 1980,
        "gender": "male",
        "position": "Giáo viên",
        "organisation_name": demo["th-hop-thanh"].name,
        "identity_code": "001080999999-twin",
        "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm học.",
    }
    twin = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], nominee_fields=[other]))
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"]))
    secretariat = f.stage_secretariat(dossier)
    before_twin, before = _effects(twin), _effects(dossier)

    def accept(pk: int):
        client = Client()
        client.force_login(secretariat)
        return client.post(f"/ho-so/{pk}/thao-tac/accept_complete/", {"received_on": "2026-11-23"})

    accept(twin.pk)  # one acceptance: the effects of one
    results = _threads(20, lambda: accept(dossier.pk))

    assert [r for r in results if isinstance(r, BaseException)] == []
    assert {r.status_code for r in results} == {302}  # the late ones are told, not served a 500
    once_ = tuple(a - b for a, b in zip(_effects(twin), before_twin, strict=True))
    twenty = tuple(a - b for a, b in zip(_effects(dossier), before, strict=True))
    assert once_[:2] == (1, 1)
    assert twenty == once_  # one audit row, one clock, one set of reminders, one set of notices
    assert violations() == []
