"""Public posting (công khai) of a proposed list, objections and their answers.

Law 06/2022 (awarding is public); the window is provincial data on the award form
(`AwardType.posting_days`, working days; e.g. Hà Nội QĐ 71/2025 art. 5: 7 working days).

- The list is published when the **unit head approves** it and sends it on
  (`workflow.services.approve_dossier` calls `open_posting_on_approval`): that is the moment
  the unit's list becomes its proposal. A draft, or a list still before the unit head, may
  change; posting it would publish names the unit has not proposed. The window runs beside
  the appraisal above, so it costs the route no time; only the decision waits for it.
- Day 1 is the working day after publication, the N-th is the last day (Civil Code art. 147,
  the configured working-day calendar: `workflow.calendar.add_working_days`).
- The page is visible to anyone with a role on the proposing unit, on a unit below it, or
  on an organisation of its route; any of them may object to a nominee while the window is
  open; the secretariat of the route records objections on behalf of a citizen (letter,
  visit) at any time before the decision, and answers them.
- An unanswered objection holds its nominee: the dossier does not move on at appraisal
  (`workflow.conditions.no_open_objections`) and no decision is issued for it
  (`ensure_posting_done`, called by `decisions.services.issue_decision`, which also refuses
  before the window's end and for nominees who were never posted).
"""

from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError, TransitionRefused
from office.dates import cited_date
from organisations.models import Organisation
from organisations.permissions import holds, organisations_where
from organisations.roles import ROLE_PERMISSIONS, Perm
from registry.models import HoldKind
from registry.services import clear_hold, place_hold_on_nominee
from workflow.calendar import add_working_days
from workflow.deadlines import calendar_for
from workflow.states import FINAL_STATES

from .models import Dossier, Objection, Posting

# Any role at all: every codename some role grants.
ANY_ROLE = tuple(sorted({c for codes in ROLE_PERMISSIONS.values() for c in codes}))


def audience_organisations(dossier: Dossier) -> QuerySet[Organisation]:
    """The proposing unit, the units below it, and the organisations of its route."""
    unit = dossier.proposer
    route = dossier.stages.values("organisation_id")
    return Organisation.objects.filter(
        Q(pk=unit.pk) | Q(path__startswith=unit.path, depth__gt=unit.depth) | Q(pk__in=route)
    )


def can_see_posting(dossier: Dossier, user) -> bool:
    """Whether `user` has a role on an organisation of the posting's audience."""
    return (
        organisations_where(user, *ANY_ROLE)
        .filter(pk__in=audience_organisations(dossier).values("pk"))
        .exists()
    )


def _secretariat_orgs(dossier: Dossier) -> list[int]:
    return [dossier.proposer_id, *dossier.stages.values_list("organisation_id", flat=True)]


def is_posting_secretariat(dossier: Dossier, user) -> bool:
    """The secretariat (receive_dossier) of the unit or of an organisation of its route:
    who answers objections and records them for citizens."""
    return any(holds(user, org, Perm.RECEIVE_DOSSIER) for org in _secretariat_orgs(dossier))


def window_end(start: date, days: int) -> date:
    """The last day of a window of `days` working days published on `start`."""
    return add_working_days(start, days, calendar_for(start))


def is_open(posting: Posting, *, on: date) -> bool:
    return posting.starts_on <= on <= posting.ends_on


def _publish(dossier: Dossier, *, by, on: date, days: int, basis: str) -> Posting:
    ends_on = window_end(on, days)
    posting, created = Posting.objects.update_or_create(
        dossier=dossier,
        defaults={
            "days": days,
            "basis": basis,
            "starts_on": on,
            "ends_on": ends_on,
            "opened_by": by,
        },
    )
    posting.nominees.set(dossier.active_nominees())
    record_event(
        dossier,
        action="open_posting" if created else "reopen_posting",
        actor=by,
        data={
            "starts_on": on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "days": days,
            "nominees": posting.nominees.count(),
        },
    )
    return posting


def open_posting_on_approval(dossier: Dossier, *, by, on: date | None = None) -> Posting | None:
    """Publish the list the unit head has just approved, if its award form asks for it.

    Called inside `workflow.services.approve_dossier`'s transaction (the dossier row locked).
    A list approved again after a return to the unit is published again, with a new window:
    its names may have changed. Returns None when the form has no posting.
    """
    days = dossier.award_type.posting_days
    if not days:
        return None
    return _publish(
        dossier,
        by=by,
        on=on or timezone.localdate(),
        days=days,
        basis=dossier.award_type.posting_basis,
    )


@transaction.atomic
def republish_posting(dossier_id: int, *, by, on: date | None = None) -> Posting:
    """The secretariat publishes (again) the dossier's current list: for a list changed
    after a return above the unit, or a form given a posting after the dossier left it.

    Side effects: the posting (new window, current names), an audit row. Refused: not the
    secretariat of the route, a closed dossier, a form without posting.
    """
    dossier = Dossier.objects.select_for_update().select_related("award_type").get(pk=dossier_id)
    if not is_posting_secretariat(dossier, by):
        raise TransitionRefused.no_permission()
    _refuse_closed(dossier)
    if not dossier.award_type.posting_days:
        raise DomainError(
            "no_posting",
            _("Công khai: hình thức khen thưởng này không quy định thời gian công khai."),
        )
    return _publish(
        dossier,
        by=by,
        on=on or timezone.localdate(),
        days=dossier.award_type.posting_days,
        basis=dossier.award_type.posting_basis,
    )


def _refuse_closed(dossier: Dossier) -> None:
    if dossier.status in FINAL_STATES:
        raise DomainError(
            "dossier_closed",
            _("Hồ sơ đã kết thúc (“%(status)s”): không ghi nhận thêm ý kiến.")
            % {"status": dossier.get_status_display()},
        )


def _locked_posting(dossier_id: int) -> Posting:
    dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
    try:
        return Posting.objects.select_related("dossier__proposer").get(dossier=dossier)
    except Posting.DoesNotExist:
        raise DomainError(
            "not_posted", _("Công khai: danh sách của hồ sơ này chưa được công khai.")
        ) from None


@transaction.atomic
def raise_objection(
    dossier_id: int,
    *,
    by,
    nominee_id: int | None,
    text: str,
    on_behalf_of: str = "",
) -> Objection:
    """Record an objection to a posted nominee; the nominee is held until it is answered.

    Anyone who can see the posting objects while its window is open; the secretariat of the
    route also records, at any time before the dossier ends, what a citizen raised
    (`on_behalf_of`: the citizen's name and address). Side effects: the objection, an audit
    row on the dossier. Refused: cannot see the posting, window closed (and not the
    secretariat), `on_behalf_of` from someone else than the secretariat, no text, a nominee
    not on the posted list, a closed dossier.
    """
    posting = _locked_posting(dossier_id)
    dossier = posting.dossier
    if not can_see_posting(dossier, by):
        raise TransitionRefused.no_permission()
    _refuse_closed(dossier)
    secretariat = is_posting_secretariat(dossier, by)
    on_behalf_of = (on_behalf_of or "").strip()
    if on_behalf_of and not secretariat:
        raise DomainError(
            "not_secretariat",
            _("Người phản ánh: chỉ cơ quan thường trực ghi thay ý kiến của người dân."),
            field="on_behalf_of",
        )
    today = timezone.localdate()
    if not secretariat and not is_open(posting, on=today):
        raise DomainError(
            "posting_closed",
            _("Công khai: thời gian nhận ý kiến là từ %(start)s đến hết %(end)s.")
            % {"start": cited_date(posting.starts_on), "end": cited_date(posting.ends_on)},
        )
    nominee = posting.nominees.filter(pk=nominee_id).first() if nominee_id else None
    if nominee is None:
        raise DomainError(
            "bad_nominee",
            _("Người bị phản ánh: chọn một người, tập thể trong danh sách công khai."),
            field="nominee",
        )
    text = (text or "").strip()
    if not text:
        raise DomainError("required", _("Nội dung phản ánh: bắt buộc nhập."), field="text")
    objection = Objection.objects.create(
        posting=posting, nominee=nominee, text=text, on_behalf_of=on_behalf_of, raised_by=by
    )
    if secretariat:
        # registry.place_hold asks its caller for the secretariat right: objections the
        # secretariat records also hold the subject in the registry (every dossier naming
        # them); every objection holds this dossier (workflow.conditions.no_open_objections).
        org = next(o for o in _secretariat_orgs(dossier) if holds(by, o, Perm.RECEIVE_DOSSIER))
        objection.hold = place_hold_on_nominee(
            nominee,
            by=by,
            secretariat=org,
            kind=HoldKind.COMPLAINT,
            body=str(_("Cơ quan thường trực (ý kiến phản ánh khi công khai danh sách)")),
            started_on=today,
            reason=text,
            source=f"objection:{objection.pk}",
        )
        objection.save(update_fields=["hold"])
    record_event(
        dossier,
        action="raise_objection",
        actor=by,
        reason=text[:500],
        data={"nominee": nominee.full_name, "objection": objection.pk, "for": on_behalf_of},
    )
    return objection


@transaction.atomic
def answer_objection(
    objection_id: int, *, by, answer: str, answered_on: date | None = None
) -> Objection:
    """The secretariat answers an objection; the hold on the nominee is lifted.

    Side effects: the answer and its date, an audit row on the dossier. Refused: not the
    secretariat of the route, already answered, no answer, a date in the future or before
    the objection was raised.
    """
    objection = (
        Objection.objects.select_for_update()
        .select_related("posting__dossier", "nominee")
        .get(pk=objection_id)
    )
    dossier = objection.posting.dossier
    if not is_posting_secretariat(dossier, by):
        raise TransitionRefused.no_permission()
    if not objection.is_open:
        raise DomainError(
            "already_answered",
            _("Ý kiến này đã được trả lời ngày %(day)s.")
            % {"day": objection.answered_on.strftime("%d/%m/%Y")},
        )
    answer = (answer or "").strip()
    if not answer:
        raise DomainError("required", _("Nội dung trả lời: bắt buộc nhập."), field="answer")
    today = timezone.localdate()
    answered_on = answered_on or today
    raised_on = timezone.localtime(objection.raised_at).date()
    if answered_on > today or answered_on < raised_on:
        raise DomainError(
            "bad_date",
            _("Ngày trả lời: từ ngày ghi nhận ý kiến (%(raised)s) đến hôm nay.")
            % {"raised": raised_on.strftime("%d/%m/%Y")},
            field="answered_on",
        )
    objection.answer = answer
    objection.answered_on = answered_on
    objection.answered_by = by
    objection.save(update_fields=["answer", "answered_on", "answered_by"])
    if objection.hold_id:
        # Refused (and the answer with it) unless `by` is of the secretariat that placed it.
        clear_hold(
            objection.hold_id,
            by=by,
            document=f"Trả lời ý kiến phản ánh ngày {answered_on:%d/%m/%Y}",
            cleared_on=answered_on,
        )
    record_event(
        dossier,
        action="answer_objection",
        actor=by,
        reason=answer[:500],
        data={"nominee": objection.nominee.full_name, "objection": objection.pk},
    )
    return objection


def open_objections(dossier: Dossier) -> QuerySet[Objection]:
    return Objection.objects.filter(posting__dossier=dossier, answered_on__isnull=True)


def ensure_posting_done(dossiers, *, nominee_ids, issued_on: date) -> None:
    """Refuse a decision on `issued_on` for these dossiers' nominees unless each dossier's
    posting is over (`issued_on` after its last day), every awarded nominee was on the
    posted list, and none of them has an unanswered objection. Called by
    `decisions.services.issue_decision` before it numbers anything."""
    nominee_ids = set(nominee_ids)
    for dossier in dossiers:
        posting = Posting.objects.filter(dossier=dossier).first()
        if posting is None and not dossier.award_type.posting_days:
            continue
        if posting is None:
            raise DomainError(
                "not_posted",
                _(
                    "Ngày ban hành: danh sách của hồ sơ %(ref)s chưa được công khai "
                    "(%(days)s ngày làm việc)."
                )
                % {"ref": dossier.reference, "days": dossier.award_type.posting_days},
                field="issued_on",
            )
        if issued_on <= posting.ends_on:
            raise DomainError(
                "posting_not_over",
                _(
                    "Ngày ban hành: danh sách của hồ sơ %(ref)s được công khai đến hết "
                    "%(end)s; quyết định chỉ ban hành được sau ngày đó."
                )
                % {"ref": dossier.reference, "end": cited_date(posting.ends_on)},
                field="issued_on",
            )
        wanted = nominee_ids & set(dossier.nominees.values_list("pk", flat=True))
        unposted = wanted - set(posting.nominees.values_list("pk", flat=True))
        if unposted:
            names = dossier.nominees.filter(pk__in=unposted).values_list("full_name", flat=True)
            raise DomainError(
                "not_posted",
                _("Danh sách khen thưởng: %(names)s chưa được công khai.")
                % {"names": ", ".join(names)},
                field="nominees",
            )
        held = open_objections(dossier).filter(nominee_id__in=wanted).select_related("nominee")
        if held:
            raise DomainError(
                "open_objection",
                _("Danh sách khen thưởng: còn ý kiến phản ánh chưa được trả lời về %(names)s.")
                % {"names": ", ".join(sorted({o.nominee.full_name for o in held}))},
                field="nominees",
            )
