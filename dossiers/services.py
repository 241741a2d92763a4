"""Writing dossiers and their contents while the proposing unit holds them.

State changes (submit, forward, return …) live in workflow.services; this module writes
what a proposer fills in: the dossier itself, its nominees and its documents.
"""

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError
from organisations.models import Membership, Organisation
from organisations.permissions import holds, require
from organisations.roles import Perm
from workflow.flows import start_process
from workflow.rulesets import plan_route
from workflow.states import DossierStatus

from .models import AwardType, Document, Dossier, Nominee
from .nominee_rules import KINDS, check_nominee, check_women_share
from .nominee_rules import LABELS as NOMINEE_LABELS
from .search import refresh_search_text
from .uploads import check_upload, write_private

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
    "women_share",  # collectives only, 0–100 (councils.voting.has_priority)
    "user",  # the nominee's own account, for recusal (councils.identity)
)
DOSSIER_FIELDS = (
    "year",
    "campaign",
    "kind",
    "simplified",
    "title",
    "letter_text",
    "act_date",  # an ad hoc (đột xuất) award's act: registry.identity's achievement key
    "act_description",
)
# An import is one transaction and one page of errors: a cap keeps both bounded.
MAX_IMPORT_ROWS = 500


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
    refresh_search_text(dossier)
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
        refresh_search_text(dossier)
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


def _check_links(dossier: Dossier, nominee: Nominee) -> None:
    """What the model alone does not know: a collective's share of women is 0–100 and only
    a collective has one; the nominee's account, if any, is one of the proposing unit's
    users (a member from elsewhere could be named to recuse a stranger)."""
    problem = check_women_share(nominee.kind, nominee.women_share)
    if problem:
        raise DomainError("implausible", problem.text(), field=problem.field)
    if (
        nominee.user_id
        and not Membership.objects.filter(
            user_id=nominee.user_id, organisation_id=dossier.proposer_id
        ).exists()
    ):
        raise DomainError(
            "user_not_in_unit",
            _("Tài khoản người dùng: chỉ chọn người dùng của %(unit)s.")
            % {"unit": dossier.proposer.name},
            field="user",
        )


def _add(dossier: Dossier, by, fields: Mapping) -> Nominee:
    nominee = Nominee(dossier=dossier, **{k: v for k, v in fields.items() if k in NOMINEE_FIELDS})
    if not dossier.award_type.accepts(nominee.kind):
        raise _wrong_subject(dossier)
    _check_links(dossier, nominee)
    nominee.full_clean(exclude=["dossier", "dropped_at"])
    nominee.save()
    record_event(dossier, action="add_nominee", actor=by, data={"nominee": nominee.full_name})
    return nominee


@transaction.atomic
def add_nominee(dossier_id: int, *, by, **fields) -> Nominee:
    dossier = _editable(dossier_id, by)
    nominee = _add(dossier, by, fields)
    refresh_search_text(dossier)
    return nominee


@transaction.atomic
def import_nominees(dossier_id: int, *, by, rows: Sequence[Mapping]) -> list[Nominee]:
    """Add every row as a nominee, or none of them (one transaction).

    `rows`: cleaned values by NOMINEE_FIELDS, each with its `row` (its line in the file) for
    the messages. Every row is checked with the table's rules (dossiers.nominee_rules) and
    against the award form's subject before anything is written; then each nominee is added
    and audited as one added by hand, and one `import_nominees` event records the count.
    Raises DomainError `import_refused` listing "Dòng 3, cột Năm sinh: …" for every problem.
    """
    dossier = _editable(dossier_id, by)
    if len(rows) > MAX_IMPORT_ROWS:
        raise DomainError(
            "too_many_rows",
            _("Tệp nhập: tối đa %(max)s dòng mỗi lần (tệp có %(n)s dòng).")
            % {"max": MAX_IMPORT_ROWS, "n": len(rows)},
        )
    if not rows:
        raise DomainError("empty_import", _("Tệp nhập: không có dòng dữ liệu nào."))
    year = timezone.localdate().year
    problems = []
    for index, row in enumerate(rows):
        line = row.get("row", index + 2)
        for problem in check_nominee(dict(row), current_year=year):
            problems.append(_at(line, problem.field, problem.message))
        if row.get("kind") in KINDS and not dossier.award_type.accepts(row["kind"]):
            problems.append(
                _at(
                    line,
                    "kind",
                    _("“%(award)s” chỉ dành cho %(subject)s.")
                    % {
                        "award": dossier.award_type.name,
                        "subject": str(dossier.award_type.get_subject_display()).lower(),
                    },
                )
            )
    if problems:
        raise DomainError("import_refused", _("Không nhập dòng nào:"), details=problems)
    added = []
    for index, row in enumerate(rows):
        try:
            added.append(_add(dossier, by, row))
        except DomainError as error:  # rolls back every row added before this one
            line = row.get("row", index + 2)
            raise DomainError(
                "import_refused", _("Không nhập dòng nào:"), details=[_line(line, error)]
            ) from None
        except ValidationError as error:
            line = row.get("row", index + 2)
            details = [
                _at(line, field, " ".join(messages))
                for field, messages in error.message_dict.items()
            ]
            raise DomainError(
                "import_refused", _("Không nhập dòng nào:"), details=details
            ) from None
    refresh_search_text(dossier)
    record_event(dossier, action="import_nominees", actor=by, data={"count": len(added)})
    return added


def _at(line: int, field: str, message) -> str:
    return str(
        _("Dòng %(line)s, cột %(column)s: %(message)s")
        % {"line": line, "column": NOMINEE_LABELS.get(field, field), "message": message}
    )


def _line(line: int, error: DomainError) -> str:
    return str(_("Dòng %(line)s: %(message)s") % {"line": line, "message": error.text()})


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
    _check_links(dossier, nominee)
    nominee.full_clean(exclude=["dossier", "dropped_at"])
    nominee.save()
    refresh_search_text(dossier)
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
    refresh_search_text(dossier)


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
    write_private(_storage_path(stored_name), checked.data)  # 0600: the server's user only
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


def _own_document(document_id: int, by) -> tuple[Dossier, Document]:
    """The document, locked with its dossier, if `by` may change the dossier's files now."""
    dossier_id = Document.objects.filter(pk=document_id).values_list("dossier_id", flat=True)
    dossier = _editable(dossier_id.get(), by)  # the dossier first: one lock order for all
    document = Document.objects.select_for_update().get(pk=document_id, dossier=dossier)
    if not document.is_current:
        raise DomainError(
            "superseded",
            _("Tài liệu “%(name)s”: đã được thay bằng bản mới, không sửa được bản cũ.")
            % {"name": document.original_name},
        )
    return dossier, document


@transaction.atomic
def delete_document(document_id: int, *, by) -> Document | None:
    """Delete a file of the current round while the unit holds the dossier (draft, returned).

    A file of an earlier round was submitted and stays on record: it can only be replaced.
    Deleting a replacement makes the version it replaced current again (returned). Side
    effects, in order: the row, the audit event (name, round, sha256), the stored file once
    the transaction commits (a rollback keeps it).
    """
    dossier, document = _own_document(document_id, by)
    if document.round != dossier.round:
        raise DomainError(
            "submitted_document",
            _(
                "Tài liệu “%(name)s”: đã nộp ở lần nộp %(round)s nên được giữ lại; hãy tải bản "
                "thay thế."
            )
            % {"name": document.original_name, "round": document.round},
        )
    previous = document.supersedes.first()
    if previous is not None:
        Document.objects.filter(pk=previous.pk).update(superseded_by=None, superseded_at=None)
    record_event(
        dossier,
        action="delete_document",
        actor=by,
        data={
            "document": document.original_name,
            "category": document.category,
            "round": document.round,
            "sha256": document.sha256,
            **({"restored": previous.original_name} if previous else {}),
        },
    )
    path = _storage_path(document.stored_name)
    document.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return previous


@transaction.atomic
def replace_document(document_id: int, *, by, name: str, size: int, chunks) -> Document:
    """Upload a new version of a document; the old one stays in the history as superseded.

    Same category and nominee, in the current round. The new file is checked like any
    upload before anything is written. Side effects, in order: the new file and its row,
    the old row marked superseded, the audit event (old and new names and sha256).
    """
    dossier, old = _own_document(document_id, by)
    checked = check_upload(name, size, chunks)
    stored_name = secrets.token_hex(16)
    write_private(_storage_path(stored_name), checked.data)
    new = Document.objects.create(
        dossier=dossier,
        nominee_id=old.nominee_id,
        category=old.category,
        round=dossier.round,
        original_name=Path(name).name[:255],
        stored_name=stored_name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        uploaded_by=by,
    )
    old.superseded_by = new
    old.superseded_at = timezone.now()
    old.save(update_fields=["superseded_by", "superseded_at"])
    record_event(
        dossier,
        action="replace_document",
        actor=by,
        data={
            "document": new.original_name,
            "category": new.category,
            "round": new.round,
            "sha256": new.sha256,
            "replaces": old.original_name,
            "replaces_round": old.round,
            "replaces_sha256": old.sha256,
        },
    )
    return new


def open_document(document: Document, *, by):
    """Open a stored file for download and record who read it. Callers check visibility."""
    record_event(
        document.dossier,
        action="download",
        actor=by,
        data={"document": document.original_name, "round": document.round},
    )
    return _storage_path(document.stored_name).open("rb")
