"""The provincial Party committee's standing board's written opinion, attached at a stage.

Bắc Ninh QĐ 86/2025 art. 5 §1a: for state-level proposals and some provincial titles, the
standing board of the provincial Party committee gives a written opinion before the dossier
goes on. A route stage asks for it with `RouteStage.party_opinion_required`; the stage cannot
send the dossier on (forward, send to council) until a document of the category
`DocumentCategory.PARTY_OPINION` is attached (`workflow.conditions.party_opinion_present`).

The proposer attaches documents only while the unit holds the dossier
(`dossiers.services.attach_document`); the opinion arrives at the stage that asked for it,
so the stage's secretariat attaches it here.
"""

import hashlib
import secrets
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError, TransitionRefused
from organisations.permissions import holds
from organisations.roles import Perm

from .models import Document, DocumentCategory, Dossier
from .services import _storage_path
from .uploads import check_upload, write_private


@transaction.atomic
def attach_party_opinion(dossier_id: int, *, by, name: str, size: int, chunks) -> Document:
    """The current stage's secretariat attaches the standing board's written opinion.

    Side effects: the stored file (checked in memory first), the document row, an audit
    row. Refused: not the secretariat of the current stage, a stage that does not ask for
    the opinion, a file the upload check refuses.
    """
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("current_stage")
        .get(pk=dossier_id)
    )
    stage = dossier.current_stage
    if stage is None or not holds(by, stage.organisation_id, Perm.RECEIVE_DOSSIER):
        raise TransitionRefused.no_permission()
    if not stage.stage_rules.party_opinion_required:
        raise DomainError(
            "not_required",
            _("Tài liệu: bước này không lấy ý kiến bằng văn bản của Ban Thường vụ Tỉnh ủy."),
            field="file",
        )
    checked = check_upload(name, size, chunks)
    stored_name = secrets.token_hex(16)
    path = _storage_path(stored_name)
    write_private(path, checked.data)
    document = Document.objects.create(
        dossier=dossier,
        category=DocumentCategory.PARTY_OPINION,
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
            "category": DocumentCategory.PARTY_OPINION,
            "round": document.round,
            "sha256": document.sha256,
        },
    )
    return document
