"""Interchange: past awards and a commune's organisations and users from .xlsx; packages.

One verb each, `@transaction.atomic`, audited. An import is all or nothing: every row is
read (interchange.award_import / onboarding_import, pure), then matched to the database
here; with any problem nothing is written and every problem names its row and column. A
dry run (`dry_run=True`) does all of it and writes nothing, returning what would be created.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError, TransitionRefused
from core.text import fold
from dossiers.models import AwardType
from organisations.models import Organisation, UnitKind
from organisations.permissions import holds, organisations_where
from organisations.roles import Perm, Role
from organisations.services import administers, assign_role, check_may_administer
from registry.identity import achievement_key, subject_key
from registry.models import RegistryEntry, RegistryStatus
from registry.tallies import add_awards

from . import award_import, onboarding_import
from .award_import import CellError

REGISTRARS = (Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION)


@dataclass
class ImportOutcome:
    """What an import found: the rows it would create (or created), and every problem."""

    planned: list[dict] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    created: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.planned)

    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ----------------------------------------------------------------------------- past awards


def registrar_scope(user) -> list[str]:
    """Paths of the organisations where `user` keeps the registry (secretariat, signer)."""
    return list(organisations_where(user, *REGISTRARS).values_list("path", flat=True))


def in_reach(org: Organisation, paths: Iterable[str]) -> bool:
    """Whether a registrar over `paths` may record awards of `org`: `org` is one of his
    organisations or below one; or it was dissolved or merged (2025) and its successor is
    in reach, or it is the former parent of one of his (a commune's old district)."""
    paths = list(paths)
    if any(org.path.startswith(p) for p in paths):
        return True
    if org.valid_to is None:
        return False
    if org.successor is not None and any(org.successor.path.startswith(p) for p in paths):
        return True
    return any(p.startswith(org.path) for p in paths)


def lineage_note(org: Organisation) -> str:
    """ "Huyện Cao Lộc (hết hiệu lực sau 30/06/2025; kế thừa: Xã Hợp Thành)", or ""."""
    if org.valid_to is None:
        return ""
    note = _("hết hiệu lực sau %(d)s") % {"d": org.valid_to.strftime("%d/%m/%Y")}
    if org.successor is not None:
        note = _("%(note)s; sáp nhập vào %(to)s") % {"note": note, "to": org.successor.name}
    return str(note)


def _match_awards(rows: list[dict], errors: list[CellError], *, scope: list[str]) -> list[dict]:
    """Match every readable row to its organisations, award form and the registry."""
    bad_rows = {e.row for e in errors}
    codes = {r[c] for r in rows for c in ("unit_code", "issuer_code") if r.get(c)}
    orgs = {
        o.code: o for o in Organisation.objects.filter(code__in=codes).select_related("successor")
    }
    forms: dict[str, AwardType] = {}
    for form in AwardType.objects.filter(
        code__in={r["award_code"] for r in rows if r.get("award_code")}
    ).order_by("-rule_set__valid_from"):
        forms.setdefault(form.code, form)
    planned: list[dict] = []
    for row in rows:
        line = row["row"]

        def bad(column: str, message, line=line) -> None:
            errors.append(CellError(line, column, str(message)))

        unit, issuer = orgs.get(row.get("unit_code")), orgs.get(row.get("issuer_code"))
        for column, org in (("unit_code", unit), ("issuer_code", issuer)):
            code = row.get(column)
            if not code:
                continue
            if org is None:
                bad(column, _("không có đơn vị nào mã “%(c)s”.") % {"c": code})
            elif not in_reach(org, scope):
                bad(
                    column,
                    _("“%(n)s” nằm ngoài phạm vi bạn quản lý sổ khen thưởng.") % {"n": org.name},
                )
        form = forms.get(row.get("award_code"))
        if row.get("award_code") and form is None:
            bad(
                "award_code",
                _("không có hình thức khen thưởng mã “%(c)s”.") % {"c": row["award_code"]},
            )
        if form is not None and row.get("kind") and form.subject not in ("both", row["kind"]):
            bad("kind", _("hình thức “%(f)s” không dành cho đối tượng này.") % {"f": form.name})
        if line in bad_rows or any(e.row == line for e in errors):
            continue
        organisation_name = row["organisation_name"] or unit.name
        key = subject_key(
            identity_code=row["identity_code"],
            full_name=row["full_name"],
            birth_year=row["birth_year"],
            organisation_name=organisation_name,
        )
        kind = row["awarding_kind"]
        achieved = (
            achievement_key(kind="annual", year=row["year"])
            if kind == "annual"
            else f"act:{row['decision_label']}"
        )
        planned.append(
            {
                "row": line,
                "subject_key": key,
                "subject_kind": row["kind"],
                "full_name": row["full_name"],
                "birth_year": row["birth_year"],
                "position": row["position"],
                "unit": unit,
                "unit_note": lineage_note(unit),
                "organisation_name": organisation_name,
                "award_code": form.code,
                "award_name": form.name,
                "year": row["year"],
                "achievement_key": achieved,
                "awarding_kind": kind,
                "achievement": row["achievement"],
                "decision_label": row["decision_label"],
                "decision_date": row["decision_date"],
                "issuer": issuer,
                "issuer_note": lineage_note(issuer),
            }
        )
    _refuse_duplicates(planned, errors)
    return planned


def _refuse_duplicates(planned: list[dict], errors: list[CellError]) -> None:
    """One achievement, one award (Law 06/2022): a row repeating an award on record, or an
    earlier row of the file, is refused; a row whose subject holds other awards is matched."""
    keys = {p["subject_key"] for p in planned}
    held: dict[str, list] = {}
    for entry in RegistryEntry.objects.filter(subject_key__in=keys, status=RegistryStatus.VALID):
        held.setdefault(entry.subject_key, []).append(entry)
    first_row: dict[tuple, int] = {}
    for p in planned:
        same = (p["subject_key"], p["award_code"], p["achievement_key"])
        on_record = [
            e
            for e in held.get(p["subject_key"], [])
            if (e.award_code, e.achievement_key) == same[1:]
        ]
        if on_record:
            errors.append(
                CellError(
                    p["row"],
                    "award_code",
                    str(
                        _("%(name)s đã có %(award)s năm %(year)s trong sổ (%(label)s).")
                        % {
                            "name": p["full_name"],
                            "award": p["award_name"],
                            "year": p["year"],
                            "label": on_record[0].decision_label,
                        }
                    ),
                )
            )
        elif same in first_row:
            errors.append(
                CellError(
                    p["row"],
                    "award_code",
                    str(_("trùng với dòng %(line)s của tệp.") % {"line": first_row[same]}),
                )
            )
        else:
            first_row[same] = p["row"]
        p["matched_awards"] = len(held.get(p["subject_key"], []))


def _entry(p: dict) -> RegistryEntry:
    return RegistryEntry(
        subject_key=p["subject_key"],
        subject_kind=p["subject_kind"],
        full_name=p["full_name"],
        search_name=fold(p["full_name"])[:255],
        birth_year=p["birth_year"],
        position=p["position"],
        organisation=p["unit"],
        organisation_name=p["organisation_name"],
        award_code=p["award_code"],
        award_name=p["award_name"],
        year=p["year"],
        achievement_key=p["achievement_key"],
        awarding_kind=p["awarding_kind"],
        achievement=p["achievement"],
        decision_label=p["decision_label"],
        decision_date=p["decision_date"],
        issuer=p["issuer"],
        issuer_name=p["issuer"].name,
    )


@transaction.atomic
def import_past_awards(
    data: bytes, *, by, dry_run: bool, today: date | None = None
) -> ImportOutcome:
    """Past awards from a filled template into the registry, all rows or none.

    Each row is validated (interchange.award_import) and matched: its unit and issuer by
    code — dissolved or merged organisations included, with their lineage noted — within
    the organisations where `by` keeps the registry (secretariat or signer: `in_reach`), its
    award form by code, its subject to the awards on record (a repeat of the same award for
    the same achievement is refused, as is a repeat inside the file).
    Side effects (not on a dry run, and only when no row has a problem): one registry entry
    per row and one audit row `import_award` per entry (batch = the file's sha256), then one
    `import_awards` audit row on each registrar organisation naming the count.
    Refused (TransitionRefused no_permission): `by` keeps no registry anywhere.
    """
    scope = registrar_scope(by)
    if not scope:
        raise TransitionRefused.no_permission()
    read = award_import.read_awards(data, today=today or timezone.localdate())
    outcome = ImportOutcome(errors=list(read.errors), dry_run=dry_run)
    if any(e.row == 0 for e in read.errors):
        return outcome
    outcome.planned = _match_awards(read.rows, outcome.errors, scope=scope)
    outcome.errors.sort(
        key=lambda e: (
            e.row,
            list(award_import.HEADER_OF).index(e.column)
            if e.column in award_import.HEADER_OF
            else 99,
        )
    )
    if outcome.errors or dry_run:
        return outcome
    batch = _digest(data)
    entries = RegistryEntry.objects.bulk_create(_entry(p) for p in outcome.planned)
    add_awards(e.pk for e in entries)  # the statistics' tallies, in this transaction
    for entry in entries:
        record_event(
            entry,
            action="import_award",
            actor=by,
            data={"decision": entry.decision_label, "batch": batch[:16]},
        )
    for org in organisations_where(by, *REGISTRARS):
        record_event(
            org,
            action="import_awards",
            actor=by,
            data={"count": len(entries), "sha256": batch},
        )
    outcome.created = len(entries)
    return outcome


# ------------------------------------------------------------------------------ packages


def may_package(user, dossier) -> bool:
    """The secretariat or signer of a stage the dossier went through assembles its
    e-dossier package (the province's secretariat sends it to the central level)."""
    return any(
        holds(user, stage.organisation_id, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION)
        for stage in dossier.stages.all()
    )


# ------------------------------------------------------------------ onboarding a commune


def _require_administrator(by) -> None:
    if not organisations_where(by, Perm.ADMINISTER).exists() and not (
        by and by.is_active and by.is_superuser
    ):
        raise TransitionRefused.no_permission()


def _plan_onboarding(read, errors: list[CellError], *, by) -> dict:
    """Match the organisations' parents and the users' organisations; check scope."""
    codes = {r["code"] for r in read.organisations if r.get("code")}
    codes |= {r["parent_code"] for r in read.organisations if r.get("parent_code")}
    codes |= {r["organisation_code"] for r in read.users if r.get("organisation_code")}
    existing = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    new_codes: dict[str, int] = {}
    orgs_planned = []
    for row in read.organisations:
        line = row["row"]
        if any(e.row == line and e.sheet == "org" for e in errors):
            continue
        if row["code"] in existing or row["code"] in new_codes:
            errors.append(
                onboarding_import.error(
                    "org", line, "code", _("mã “%(c)s” đã có.") % {"c": row["code"]}
                )
            )
            continue
        parent = existing.get(row["parent_code"])
        if parent is None and row["parent_code"] not in new_codes:
            errors.append(
                onboarding_import.error(
                    "org",
                    line,
                    "parent_code",
                    _("không có đơn vị nào mã “%(c)s” (trong hệ thống hoặc ở dòng trên).")
                    % {"c": row["parent_code"]},
                )
            )
            continue
        if parent is not None and not (
            administers(by, parent) or (by.is_superuser and by.is_active)
        ):
            errors.append(
                onboarding_import.error(
                    "org",
                    line,
                    "parent_code",
                    _("“%(n)s” nằm ngoài phạm vi bạn quản trị.") % {"n": parent.name},
                )
            )
            continue
        new_codes[row["code"]] = line
        orgs_planned.append(row)
    user_model = get_user_model()
    usernames = {r["username"] for r in read.users if r.get("username")}
    existing_users = {u.username: u for u in user_model.objects.filter(username__in=usernames)}
    taken = set(existing_users)
    # A new organisation's nearest existing ancestor, for the scope check of its users.
    by_new_parent: dict[str, str] = {}
    for row in orgs_planned:
        parent = row["parent_code"]
        by_new_parent[row["code"]] = by_new_parent.get(parent, parent)
    users_planned = []
    seen: set[tuple] = set()
    for row in read.users:
        line = row["row"]
        if any(e.row == line and e.sheet == "user" for e in errors):
            continue
        org_code = row["organisation_code"]
        org = existing.get(org_code)
        if org is None and org_code not in new_codes:
            errors.append(
                onboarding_import.error(
                    "user",
                    line,
                    "organisation_code",
                    _("không có đơn vị nào mã “%(c)s”.") % {"c": org_code},
                )
            )
            continue
        if org is not None or row["username"] == by.get_username():
            try:  # the rule assign_role applies again when writing (scope, no self-grant)
                check_may_administer(
                    by,
                    organisation=org or Organisation.objects.get(code=by_new_parent[org_code]),
                    user=existing_users.get(row["username"]),
                    role=row["role"],
                )
            except DomainError as refusal:
                errors.append(
                    onboarding_import.error("user", line, "organisation_code", refusal.message)
                )
                continue
        if (row["username"], org_code, row["role"]) in seen:
            errors.append(
                onboarding_import.error("user", line, "role", _("trùng với một dòng trên."))
            )
            continue
        seen.add((row["username"], org_code, row["role"]))
        row["exists"] = row["username"] in taken
        row["role_label"] = Role(row["role"]).label
        users_planned.append(row)
    return {"organisations": orgs_planned, "users": users_planned}


@dataclass
class OnboardingOutcome:
    organisations: list[dict] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)
    errors: list = field(default_factory=list)
    dry_run: bool = True
    created_organisations: int = 0
    granted: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.organisations or self.users)


@transaction.atomic
def onboard_from_xlsx(data: bytes, *, by, dry_run: bool) -> OnboardingOutcome:
    """A commune's organisations and users from a filled template, all or nothing.

    Organisations are created under a parent `by` administers (or one created above in the
    same file); users are created without a password (they set it from the administrator's
    one-time link) or found by user name, and get their roles through
    organisations.services.assign_role, so every grant is checked (scope, no self-grant)
    and audited. Side effects (not on a dry run, only without problems): the organisations
    with an audit row `organisation_created` each, the users, the roles (`role_granted`).
    Refused (no_permission): `by` administers nothing.
    """
    _require_administrator(by)
    read = onboarding_import.read_onboarding(data)
    outcome = OnboardingOutcome(errors=list(read.errors), dry_run=dry_run)
    if any(e.row == 0 for e in read.errors):
        return outcome
    plan = _plan_onboarding(read, outcome.errors, by=by)
    outcome.organisations, outcome.users = plan["organisations"], plan["users"]
    outcome.errors.sort(key=lambda e: (e.sheet, e.row))
    if outcome.errors or dry_run:
        return outcome
    created: dict[str, Organisation] = {}
    for row in outcome.organisations:
        parent = created.get(row["parent_code"]) or Organisation.objects.get(
            code=row["parent_code"]
        )
        # A fresh read of the parent: treebeard computes the child's path from it.
        org = Organisation.objects.add_child(
            Organisation.objects.get(pk=parent.pk),
            {
                "code": row["code"],
                "name": row["name"],
                "level": row["level"],
                "kind": row["kind"] or UnitKind.GOVERNMENT,
                "valid_from": row["valid_from"] or date(2025, 7, 1),
                "has_council": row["has_council"],
                "place_name": row["place_name"],
            },
        )
        created[org.code] = org
        record_event(
            org,
            action="organisation_created",
            actor=by,
            data={"code": org.code, "parent": parent.code, "source": "xlsx"},
        )
    user_model = get_user_model()
    for row in outcome.users:
        user = user_model.objects.filter(username=row["username"]).first()
        if user is None:
            user = user_model(
                username=row["username"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                email=row["email"],
            )
            user.set_unusable_password()
            user.save()
        org = created.get(row["organisation_code"]) or Organisation.objects.get(
            code=row["organisation_code"]
        )
        assign_role(
            user,
            organisation=org,
            role=row["role"],
            by=by,
            title=row["title"],
            reason=str(_("Nhập từ tệp .xlsx")),
        )
        outcome.granted += 1
    outcome.created_organisations = len(created)
    return outcome


__all__ = [
    "ImportOutcome",
    "OnboardingOutcome",
    "import_past_awards",
    "in_reach",
    "onboard_from_xlsx",
]
