"""Every notice kind has its own wording in both languages, and a typo cannot send the default."""

import pytest
from django.core.checks import Tags, run_checks
from django.db.models import TextChoices

from notifications import checks, kinds, outbox
from notifications.kinds import NoticeKind
from notifications.models import OutboxMessage
from notifications.rendering import render_parts

DOSSIER = {
    "dossier_id": 42,
    "reference": "HS-2027-000042",
    "title": "Đề nghị tặng Bằng khen – Tổ Toán & Tin",
    "status": "Cấp tỉnh tiếp nhận, thẩm định",
    "url": "/ho-so/42/",
}
DEADLINE = {
    "dossier_id": 42,
    "reference": "HS-2027-000042",
    "title": "Đề nghị tặng Bằng khen – Tổ Toán & Tin",
    "stage": "Sở Nội vụ tỉnh Lạng Sơn",
    "due_on": "13/05/2027",
    "kind": "before",
    "url": "/ho-so/42/",
}
# What each caller puts in the context (workflow/services.py, workflow/deadlines.py,
# councils/services.py), with realistic values.
CONTEXTS = {
    NoticeKind.DOSSIER_ACTION_NEEDED: {**DOSSIER, "stage": "UBND tỉnh Lạng Sơn"},
    NoticeKind.DOSSIER_STATUS_CHANGED: {**DOSSIER, "stage": "UBND tỉnh Lạng Sơn"},
    NoticeKind.DOSSIER_RECEIVED_COMPLETE: {
        **DOSSIER,
        "stage": "Sở Nội vụ tỉnh Lạng Sơn",
        "received_on": "12/04/2027",
    },
    NoticeKind.DOSSIER_RETURNED: {
        **DOSSIER,
        "status": "Trả lại để bổ sung",
        "stage": "Sở Nội vụ tỉnh Lạng Sơn",
        "reason": "Thiếu báo cáo thành tích có xác nhận của thủ trưởng",
    },
    NoticeKind.DOSSIER_FOR_COUNCIL: {**DOSSIER, "stage": "UBND tỉnh Lạng Sơn"},
    NoticeKind.DOSSIER_NOT_APPROVED: {
        **DOSSIER,
        "status": "Không được đề nghị",
        "reason": "Chưa đủ số năm liên tục đạt danh hiệu",
    },
    NoticeKind.DOSSIER_DECIDED: {
        **DOSSIER,
        "status": "Đã có quyết định",
        "decision": "Số: 05/QĐ-UBND ngày 12 tháng 4 năm 2027",
    },
    NoticeKind.DOSSIER_WITHDRAWN: {
        **DOSSIER,
        "status": "Đã rút",
        "reason": "Đơn vị đề nghị lại vào năm sau",
    },
    NoticeKind.DEADLINE_REMINDER: DEADLINE,
    NoticeKind.DEADLINE_OVERDUE: {**DEADLINE, "kind": "overdue"},
    # decisions/services.py: the signing step.
    NoticeKind.DECISION_FOR_SIGNATURE: {
        "decision_id": 9,
        "title": "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "issuer": "Tỉnh Lạng Sơn",
        "lines": 4,
        "note": "Kính trình đồng chí Phó Chủ tịch",
        "by": "Hà Thanh Quân",
        "url": "/quyet-dinh/9/",
    },
    NoticeKind.DECISION_RETURNED: {
        "decision_id": 9,
        "title": "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "issuer": "Tỉnh Lạng Sơn",
        "lines": 4,
        "comment": "Sửa trích yếu cho đúng hình thức",
        "by": "Phạm Thị Yến",
        "url": "/quyet-dinh/9/",
    },
    NoticeKind.COUNCIL_BALLOT_OPEN: {
        "meeting_id": 7,
        "title": "Phiên họp xét khen thưởng quý IV",
        "council": "Hội đồng Thi đua – Khen thưởng tỉnh",
        "url": "/hoi-dong/phien-hop/7/bo-phieu/",
    },
    NoticeKind.COUNCIL_BALLOT_REMINDER: {
        "meeting_id": 7,
        "title": "Phiên họp xét khen thưởng quý IV",
        "council": "Hội đồng Thi đua – Khen thưởng tỉnh",
        "closes_at": "17:00 20/11/2026",
        "url": "/hoi-dong/phien-hop/7/bo-phieu/",
    },
}


def planted(*extra: tuple[str, str]) -> type[TextChoices]:
    """NoticeKind plus the given (value, label) kinds."""
    members = [(kind.name, (kind.value, kind.label)) for kind in NoticeKind]
    members += [(value.upper(), (value, label)) for value, label in extra]
    return TextChoices("NoticeKind", members)


def errors_e002() -> list:
    return [e for e in run_checks(tags=[Tags.templates]) if e.id == "notifications.E002"]


def test_every_kind_has_its_templates_now():
    assert checks.notice_kinds_have_templates() == []
    assert errors_e002() == []  # and the check is registered (apps.py)


def test_a_kind_without_templates_is_an_error_naming_it_and_its_missing_files(monkeypatch):
    monkeypatch.setattr(kinds, "NoticeKind", planted(("dossier_lost_in_post", "Thất lạc")))

    errors = errors_e002()

    assert [e.obj for e in errors] == ["dossier_lost_in_post"]
    message = errors[0].msg
    for name in (
        "notifications/dossier_lost_in_post.subject.txt",
        "notifications/dossier_lost_in_post.txt",
        "notifications/dossier_lost_in_post.html",
        "notifications/en/dossier_lost_in_post.subject.txt",
        "notifications/en/dossier_lost_in_post.txt",
        "notifications/en/dossier_lost_in_post.html",
    ):
        assert name in message


def test_a_kind_missing_only_its_english_html_names_just_that_file(monkeypatch, tmp_path, settings):
    (tmp_path / "notifications" / "en").mkdir(parents=True)
    for name in ("x_kind.subject.txt", "x_kind.txt", "x_kind.html"):
        (tmp_path / "notifications" / name).write_text("{{ url }}")
    for name in ("x_kind.subject.txt", "x_kind.txt"):
        (tmp_path / "notifications" / "en" / name).write_text("{{ url }}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    monkeypatch.setattr(kinds, "NoticeKind", planted(("x_kind", "X")))

    errors = checks.notice_kinds_have_templates()

    assert len(errors) == 1
    assert "templates/notifications/en/x_kind.html" in errors[0].msg
    assert errors[0].msg.count("templates/notifications/") == 1


def test_a_kind_declared_to_use_the_default_wording_passes(monkeypatch):
    fake = planted(("generic_notice", "Chung"))
    monkeypatch.setattr(kinds, "NoticeKind", fake)
    monkeypatch.setattr(kinds, "USES_DEFAULT", frozenset({fake.GENERIC_NOTICE}))
    assert checks.notice_kinds_have_templates() == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("kind", list(NoticeKind))
def test_each_kind_renders_its_own_subject_and_a_body_with_the_link(kind, language, settings):
    settings.SITE_URL = "https://khenthuong.langson.gov.vn"
    context = CONTEXTS[kind]

    parts = render_parts(kind, context, language=language)

    link = settings.SITE_URL + context["url"]
    assert parts.subject.startswith("[khenthuong] ")
    assert len(parts.subject) > len("[khenthuong] ")
    assert link in parts.text
    assert f'href="{link}"' in parts.html
    assert f'lang="{language}"' in parts.html
    for key in ("reference", "title", "reason", "decision", "received_on", "due_on", "council"):
        if key in context:  # what the caller told us reaches the reader (unescaped in text)
            assert context[key] in parts.text, key


def test_the_rendering_test_covers_every_kind():
    assert set(CONTEXTS) == set(NoticeKind)


def test_every_kind_has_a_label_of_its_own():
    labels = [str(kind.label) for kind in NoticeKind]
    assert len(set(labels)) == len(labels)
    assert all(
        label and label != kind.value for label, kind in zip(labels, NoticeKind, strict=True)
    )


@pytest.mark.django_db
def test_enqueue_accepts_a_kind_or_its_string_and_stores_the_plain_value(django_user_model):
    an = django_user_model.objects.create_user("an", email="an@example.vn")
    outbox.enqueue(
        recipients=[an], template=NoticeKind.DOSSIER_RETURNED, context=DOSSIER, dedupe_key="a"
    )
    outbox.enqueue(recipients=[an], template="dossier_decided", context=DOSSIER, dedupe_key="b")
    stored = OutboxMessage.objects.order_by("dedupe_key").values_list("template", flat=True)
    assert list(stored) == ["dossier_returned", "dossier_decided"]
    assert all(type(value) is str for value in stored)


@pytest.mark.django_db
def test_enqueue_refuses_an_unknown_kind_and_writes_nothing(django_user_model):
    an = django_user_model.objects.create_user("an", email="an@example.vn")
    with pytest.raises(ValueError, match="dossier_retruned"):
        outbox.enqueue(
            recipients=[an], template="dossier_retruned", context=DOSSIER, dedupe_key="k"
        )
    with pytest.raises(ValueError, match="default"):
        outbox.enqueue(
            recipients=django_user_model.objects.all(),
            template="default",
            context=DOSSIER,
            dedupe_key="k",
        )
    with pytest.raises(ValueError, match="deadline_remind"):
        outbox.enqueue_many(
            [
                (an.pk, "deadline_reminder", DEADLINE, "ok"),
                (an.pk, "deadline_remind", DEADLINE, "typo"),
            ]
        )
    assert not OutboxMessage.objects.exists()
