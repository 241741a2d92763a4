"""Writing dossiers and their contents while the proposing unit holds them.

State changes (submit, forward, return …) live in workflow.services; this module writes
what a proposer fills in: the dossier itself, its nominees and its documents.
"""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError
from organisations.models import Organisation
from organisations.permissions import holds, require
from organisations.roles import Perm
from workflow.flows import start_process
from workflow.rulesets import plan_route
from workflow.states import DossierStatus

from .models import AwardType, Document, Dossier, Nominee
from .uploads import check_upload

EDITABLE = (DossierStatus.DRAFT, DossierStatus.RETURNED)
NOMINEE_FIELDS = (
    "kind",
    "full_name",
    "birth_year",
    "gender",
    "position",
    "organisation_name",
    "identity_code",
    "is_direct_worker",
    "achievement_summary",
)
DOSSIER_FIELDS = ("year", "campaign", "kind", "simplified", "title", "letter_text")


def can_edit(dossier: Dossier, user) -> bool:
    """Whether `user` may change the dossier's content now (its unit's proposer, while the
    unit holds it: a draft, or returned for supplement)."""
    return dossier.status in EDITABLE and holds(user, dossier.proposer_id, Perm.FILE_DOSSIER)


def _editable(dossier_id: int, by) -> Dossier:
    dossier = Dossier.objects.select_for_update().select_related("proposer").get(pk=dossier_id)
    require(by, dossier.proposer_id, Perm.FILE_DOSSIER)
    if dossier.status not in EDITABLE:
        raise DomainError(
            "not_editable",
            _(
                "Hồ sơ đang ở trạng thái “%(status)s”: chỉ sửa được khi là dự thảo hoặc bị trả "
                "lại để bổ sung."
            )
            % {"status": dossier.get_status_display()},
        )
    return dossier


@transaction.atomic
def create_dossier(
    *, proposer: Organisation, award_type: AwardType, by, year: int, title: str, **fields
) -> Dossier:
    """Open a draft dossier for `proposer`. Refuses an award form the unit cannot use."""
    require(by, proposer, Perm.FILE_DOSSIER)
    if not title.strip():
        raise DomainError("required", _("Trích yếu tờ trình: bắt buộc nhập."), field="title")
    plan_route(award_type, proposer, on=timezone.localdate())
    dossier = Dossier.objects.create(
        reference=f"tmp-{secrets.token_hex(8)}",
        proposer=proposer,
        award_type=award_type,
        year=year,
        title=title.strip(),
        created_by=by,
        **{k: v for k, v in fields.items() if k in DOSSIER_FIELDS},
    )
    dossier.reference = f"HS-{timezone.localdate():%Y}-{dossier.pk:06d}"
    dossier.save(update_fields=["reference"])
    record_event(dossier, action="create", actor=by, to_state=dossier.status)
    start_process(dossier)
    return dossier


@transaction.atomic
def update_dossier(dossier_id: int, *, by, **fields) -> Dossier:
    dossier = _editable(dossier_id, by)
    changed = {}
    for name in DOSSIER_FIELDS:
        if name in fields and getattr(dossier, name) != fields[name]:
            setattr(dossier, name, fields[name])
            changed[name] = str(fields[name])[:200]
    if changed:
        dossier.save()
        record_event(dossier, action="update", actor=by, data=changed)
    return dossier


def _wrong_subject(dossier: Dossier) -> DomainError:
    return DomainError(
        "wrong_subject",
        _("Đối tượng: “%(award)s” chỉ dành cho %(subject)s.")
        % {
            "award": dossier.award_type.name,
            "subject": str(dossier.award_type.get_subject_display()).lower(),
        },
        field="kind",
    )


@transaction.atomic
def add_nominee(dossier_id: int, *, by, **fields) -> Nominee:
    dossier = _editable(dossier_id, by)
    nominee = Nominee(dossier=dossier, **{k: v for k, v in fields.items() if k in NOMINEE_FIELDS})
    if not dossier.award_type.accepts(nominee.kind):
        raise _wrong_subject(dossier)
    nominee.full_clean(exclude=["dossier", "dropped_at"])
    nominee.save()
    record_event(dossier, action="add_nominee", actor=by, data={"nominee": nominee.full_name})
    return nominee


@transaction.atomic
def update_nominee(dossier_id: int, nominee_id: int, *, by, **fields) -> Nominee:
    dossier = _editable(dossier_id, by)
    nominee = dossier.nominees.get(pk=nominee_id)
    changed = {}
    for name in NOMINEE_FIELDS:
        if name in fields and getattr(nominee, name) != fields[name]:
            setattr(nominee, name, fields[name])
            changed[name] = str(fields[name])[:200]
    if not changed:
        return nominee
    if not dossier.award_type.accepts(nominee.kind):
        raise _wrong_subject(dossier)
    nominee.full_clean(exclude=["dossier", "dropped_at"])
    nominee.save()
    record_event(
        dossier, action="update_nominee", actor=by, data={"nominee": nominee.full_name, **changed}
    )
    return nominee


@transaction.atomic
def remove_nominee(dossier_id: int, nominee_id: int, *, by) -> None:
    dossier = _editable(dossier_id, by)
    nominee = dossier.nominees.get(pk=nominee_id)
    record_event(dossier, action="remove_nominee", actor=by, data={"nominee": nominee.full_name})
    nominee.delete()


def _storage_path(stored_name: str) -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / stored_name[:2] / stored_name


@transaction.atomic
def attach_document(
    dossier_id: int, *, by, category: str, name: str, size: int, chunks, nominee_id=None
) -> Document:
    """Store an uploaded file for the current round, after checking its content.

    A refused file leaves nothing behind: it is checked in memory before any write.
    Earlier rounds' files are kept, so a resubmission's history stays readable.
    """
    dossier = _editable(dossier_id, by)
    checked = check_upload(name, size, chunks)
    stored_name = secrets.token_hex(16)
    path = _storage_path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(checked.data)
    document = Document.objects.create(
        dossier=dossier,
        nominee=dossier.nominees.get(pk=nominee_id) if nominee_id else None,
        category=category,
        round=dossier.round,
        original_name=Path(name).name[:255],
        stored_name=stored_name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        uploaded_by=by,
    )
    record_event(
        dossier,
        action="upload",
        actor=by,
        data={
            "document": document.original_name,
            "category": category,
            "round": document.round,
            "sha256": document.sha256,
        },
    )
    return document


def open_document(document: Document, *, by):
    """Open a stored file for download and record who read it. Callers check visibility."""
    record_event(
        document.dossier,
        action="download",
        actor=by,
        data={"document": document.original_name, "round": document.round},
    )
    return _storage_path(document.stored_name).open("rb")
