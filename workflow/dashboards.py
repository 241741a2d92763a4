"""What waits for a user, per role: the home page's task list, and the list filters behind it.

Each dossier section is a condition on `Dossier` built from two sources only:
- `workflow.actors.ACTORS` (who moves a dossier on in each state), through
  `waiting_for(user)`: the same rule as the transitions' permission and the inbox, so a
  dossier counted here is one the user may act on, and the count cannot disagree with the
  "Xử lý" buttons of the dossier page;
- the one permission gate, `organisations.permissions.organisations_where`, for what the user
  follows without acting on it (their unit's dossiers under way, decided).

Queries do not grow with the rows: the counts and every section's candidate first rows are
one statement (`_ranked`), then the shown dossiers by id. Sections on the dossier's own
columns (the proposer's, the unit head's) read their first rows with a LIMIT in the order of
`dossier_updated_idx` and their counts from the `(status, proposer)` index alone (no sort,
no clock look-up per dossier); the others are ranked over the dossiers in their states (a
running sum per section, soonest deadline first). The dossier list shows a whole section
with `?task=<key>`, through `SECTIONS[key].condition`, so a count and the list it links to
are the same condition (tests/dashboards/test_first_rows.py: same count, same first rows in
the same order).
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.db.models.lookups import In
from django.db.models.sql import Query
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from councils.models import CouncilMember, Meeting, MeetingStatus
from councils.queries import ballots_to_cast, meetings_run_by
from decisions.models import Decision, DecisionStatus
from dossiers.models import Dossier, DossierStage
from organisations.models import OrganisationUserObjectPermission
from organisations.permissions import organisations_where
from organisations.roles import Perm

from .actors import ACTORS, Where
from .deadlines import attach_open_deadlines, calendar_for, status_of
from .models import StageDeadline
from .states import APPRAISAL_STATES, COUNCIL_STATES, OPEN_STATES
from .states import DossierStatus as S

ROWS = 5  # rows shown per section; the count links to the rest

# The user's grants as (codename, organisation id) pairs, set by dashboard_for for the time it
# builds the page (read with the held codenames, no query of its own): the sections' conditions
# then name literal ids instead of the same permission subquery a dozen times, which Django
# took ~70 ms a home page to compile and PostgreSQL mis-estimated (issue 18). Elsewhere (the
# list's `?task=`), `organisations_where`'s subquery, as before: the same rows either way.
_GRANTS: ContextVar[tuple[int, frozenset] | None] = ContextVar("dashboard_grants", default=None)


def _where(user, *codenames: str):
    """Organisations where `user` holds any of `codenames`: ids, or the permission subquery."""
    grants = _GRANTS.get()
    if grants is not None and grants[0] == user.pk:
        return sorted({org for codename, org in grants[1] if codename in codenames})
    return organisations_where(user, *codenames)


def _in(field: str, orgs) -> Q:
    return Q(**{f"{field}__in": orgs}) if not isinstance(orgs, list) or orgs else Q(pk__in=[])


def _at_current_stage(*, organisation__in, **stage) -> Q:
    """The dossier's current stage is at one of `organisation__in` (and meets `stage`): the
    stage's organisation read by its primary key, one index look-up per dossier considered
    (`(SELECT organisation_id FROM stage WHERE id = dossier.current_stage_id …) IN (…)`).

    Not a join, which made PostgreSQL hash the whole stage table (192 000 rows at 100 000
    dossiers) for every home page, and not an EXISTS, which it turned into a hash of every
    stage the body ever had (29 000 at the province, five times a page): a scalar subquery
    is never hashed, so the cost follows the dossiers in the states asked for (issue 18)."""
    stages = DossierStage.objects.filter(pk=OuterRef("current_stage_id"), **stage)
    organisation = Subquery(stages.order_by().values("organisation_id")[:1])
    if isinstance(organisation__in, list):
        return Q(In(organisation, organisation__in)) if organisation__in else Q(pk__in=[])
    return Q(In(organisation, organisation__in.values("pk")))


def waiting_for(user, *, states=None, **stage) -> Q:
    """Dossiers whose current state's actor (workflow.actors) includes `user`: one Q over
    the states (only `states`, if given), each state's codenames held on the organisation
    its actor names. States with the same actor share one `status IN (…)` term (a shorter
    statement to plan); `stage` adds conditions on the current stage to the same
    semi-join (one look-up of the stage, not two)."""
    by_actor: dict[tuple, list[str]] = {}
    for status, row in ACTORS.items():
        actor = row.acts
        if actor is None or (states is not None and status not in states):
            continue
        key = (actor.where == Where.PROPOSER, tuple(actor.codenames))
        by_actor.setdefault(key, []).append(status)
    condition = Q(pk__in=[])
    for (at_proposer, codenames), group in by_actor.items():
        orgs = _where(user, *codenames)
        if at_proposer:
            if stage:
                raise ValueError(f"{group}: the proposing unit acts, not a stage")
            where = _in("proposer", orgs)
        else:
            where = _at_current_stage(organisation__in=orgs, **stage)
        condition |= Q(status__in=group) & where
    return condition


def _own_units(user) -> Q:
    return _in("proposer", _where(user, Perm.FILE_DOSSIER))


def _on_open_agenda() -> Q:
    """On the agenda of a meeting still to close: the secretariat has prepared it already."""
    pending = Meeting.objects.exclude(status=MeetingStatus.CLOSED).filter(
        items__stage_id=OuterRef("current_stage_id")
    )
    return Q(Exists(pending))


def _on_draft_decision() -> Q:
    return Q(Exists(Decision.objects.filter(status=DecisionStatus.DRAFT, dossiers=OuterRef("pk"))))


def _overdue_at(user, today: date) -> Q:
    """An open clock past its due day at a body where `user` receives, signs or chairs:
    the rule of workflow.deadlines.overdue_deadlines_for, as a condition on the dossier."""
    orgs = _where(user, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION, Perm.CHAIR_COUNCIL)
    if isinstance(orgs, list) and not orgs:
        return Q(pk__in=[])
    clocks = StageDeadline.objects.filter(
        dossier=OuterRef("pk"), closed_at=None, due_on__lt=today, organisation__in=orgs
    )
    return Q(Exists(clocks))


def overdue_anywhere(today: date) -> Q:
    """The list's "overdue" box: the dossier's running clock is past its due day."""
    clocks = StageDeadline.objects.filter(dossier=OuterRef("pk"), closed_at=None, due_on__lt=today)
    return Q(Exists(clocks))


# How a section's count and first rows are read (_ranked):
# - UNIT: its condition reads only the dossier's own columns (state, proposing unit): the
#   count from the (status, proposer) index, the first rows with a LIMIT (_first_rows);
# - STAGE: its condition looks up the current stage: ranked over the dossiers of its states;
# - CLOCK: every dossier of it has a running clock: read from the running clocks (few).
UNIT, STAGE, CLOCK = "unit", "stage", "clock"


@dataclass(frozen=True)
class Section:
    """One line of a role's task list: a count, its first rows, a link to all of them."""

    key: str
    title: Promise
    empty: Promise
    needs: tuple[str, ...]  # shown to holders of any of these codenames
    condition: Callable[[object, date], Q]
    columns: str = "waiting"  # which template columns (dashboards/_dossiers.html)
    # How _ranked reads the section (speed only: every plan gives the same count and rows).
    plan: str = "stage"  # UNIT, STAGE or CLOCK, below
    # A condition that is `waiting_for(user, states=…) & more`: those states. The dossiers
    # whose flags _ranked computes are then found by one look-up of the current stage each
    # (one `waiting_for` over every such section's states), not one per section.
    acts_in: tuple[str, ...] = ()


def _status_in(*states: str) -> Q:
    return Q(status__in=states)


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in (
        Section(
            "drafts",
            _("Hồ sơ đang soạn"),
            _("Không có hồ sơ đang soạn."),
            (Perm.FILE_DOSSIER,),
            lambda user, today: waiting_for(user, states={S.DRAFT}),
            "draft",
            plan=UNIT,
        ),
        Section(
            "returned",
            _("Hồ sơ bị trả lại để bổ sung"),
            _("Không có hồ sơ bị trả lại."),
            (Perm.FILE_DOSSIER,),
            lambda user, today: waiting_for(user, states={S.RETURNED}),
            "returned",
            plan=UNIT,
        ),
        Section(
            "under_way",
            _("Hồ sơ đang được xét"),
            _("Không có hồ sơ đang được xét."),
            (Perm.FILE_DOSSIER,),
            lambda user, today: (
                _own_units(user) & _status_in(*(s for s in OPEN_STATES if s != S.RETURNED))
            ),
            "under_way",
            plan=UNIT,
        ),
        Section(
            "decided",
            _("Quyết định đã nhận"),
            _("Chưa có quyết định khen thưởng nào."),
            (Perm.FILE_DOSSIER,),
            lambda user, today: _own_units(user) & Q(status=S.DECIDED),
            "decided",
            plan=UNIT,
        ),
        Section(
            "to_approve",
            _("Hồ sơ chờ thủ trưởng duyệt"),
            _("Không có hồ sơ chờ duyệt."),
            (Perm.APPROVE_UNIT_DOSSIER,),
            lambda user, today: waiting_for(user, states={S.UNIT_REVIEW}),
            plan=UNIT,
        ),
        Section(
            "to_receive",
            _("Hồ sơ mới đến, chưa tiếp nhận"),
            _("Không có hồ sơ mới đến."),
            (Perm.RECEIVE_DOSSIER,),
            lambda user, today: waiting_for(
                user, states=APPRAISAL_STATES, received_complete_on__isnull=True
            ),
            acts_in=APPRAISAL_STATES,
        ),
        Section(
            "to_appraise",
            _("Hồ sơ đang thẩm định"),
            _("Không có hồ sơ đang thẩm định."),
            (Perm.RECEIVE_DOSSIER,),
            lambda user, today: waiting_for(
                user, states=APPRAISAL_STATES, received_complete_on__isnull=False
            ),
            acts_in=APPRAISAL_STATES,
        ),
        Section(
            "to_council",
            _("Hồ sơ chờ đưa ra Hội đồng"),
            _("Không có hồ sơ chờ xếp lịch họp Hội đồng."),
            (Perm.MANAGE_MEETINGS, Perm.CHAIR_COUNCIL),
            lambda user, today: waiting_for(user, states=COUNCIL_STATES) & ~_on_open_agenda(),
            acts_in=COUNCIL_STATES,
        ),
        Section(
            "to_decide",
            _("Hồ sơ chờ dự thảo quyết định"),
            _("Không có hồ sơ chờ dự thảo quyết định."),
            (Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION),
            lambda user, today: (
                waiting_for(user, states={S.AWAITING_DECISION}) & ~_on_draft_decision()
            ),
            acts_in=(S.AWAITING_DECISION,),
        ),
        Section(
            "overdue",
            _("Hồ sơ quá hạn xử lý"),
            _("Không có hồ sơ quá hạn."),
            (Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION, Perm.CHAIR_COUNCIL),
            lambda user, today: _status_in(*OPEN_STATES) & _overdue_at(user, today),
            plan=CLOCK,
        ),
    )
}

# The role headings of the home page, in the order a dossier travels; a user with several
# roles sees each heading whose codenames they hold.
ROLE_GROUPS = (
    ("proposer", _("Lập hồ sơ"), ("drafts", "returned", "under_way", "decided")),
    ("unit_head", _("Duyệt hồ sơ của đơn vị"), ("to_approve",)),
    (
        "secretariat",
        _("Tiếp nhận, thẩm định, trình Hội đồng"),
        ("to_receive", "to_appraise", "to_council", "to_decide", "overdue"),
    ),
)


def _due_on() -> Subquery:
    """The due day of the dossier's running clock (the newest open one), for the order."""
    return Subquery(
        StageDeadline.objects.filter(dossier=OuterRef("pk"), closed_at=None)
        .order_by("-opened_at", "-pk")
        .values("due_on")[:1]
    )


def with_due_on(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.annotate(due_on=_due_on())


def soonest_first(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return with_due_on(dossiers).order_by(F("due_on").asc(nulls_last=True), "-updated_at", "-pk")


def section_dossiers(user, key: str, *, today: date | None = None) -> QuerySet[Dossier]:
    """All dossiers of one section (the list behind a count); KeyError for an unknown key."""
    today = today or timezone.localdate()
    return Dossier.objects.filter(SECTIONS[key].condition(user, today))


def _decision_label() -> Subquery:
    return Subquery(
        Decision.objects.filter(status=DecisionStatus.ISSUED, dossiers=OuterRef("pk"))
        .order_by("-issued_on", "-pk")
        .values("label")[:1]
    )


def _decision_date() -> Subquery:
    return Subquery(
        Decision.objects.filter(status=DecisionStatus.ISSUED, dossiers=OuterRef("pk"))
        .order_by("-issued_on", "-pk")
        .values("issued_on")[:1]
    )


@dataclass
class Shown:
    """A section as the page shows it."""

    section: Section
    count: int = 0
    rows: list = field(default_factory=list)

    @property
    def link(self) -> str:
        return f"{reverse('dossiers:list')}?task={self.section.key}"


# _ranked's "flagged" rows are read under a LIMIT this high (a planner fence: PostgreSQL
# does not pull a limited subquery up into its parent), so each section's condition is
# evaluated once per dossier, not once for each place that names its flag.
_FENCE = 10**9


def _compiled(condition: Q) -> tuple[str, list]:
    """`condition` as SQL on the dossier table (named by itself), with its params: compiled
    once for every place the statement names it (the flag, the scope, each first-rows
    query), since compiling the same conditions again was most of the page's Python time."""
    query = Query(Dossier)
    where = query.build_where(condition)
    try:
        sql, params = where.as_sql(query.get_compiler(connection=connection), connection)
    except EmptyResultSet:
        return "1 = 0", []
    except FullResultSet:
        return "1 = 1", []
    return f"({sql})", list(params)


def _running_clock_sql() -> tuple[str, str]:
    """SQL on the dossier table: whether it has a running clock (an open StageDeadline), and
    the due day of its newest one (the page's order key, as _due_on)."""
    quote = connection.ops.quote_name
    dossier, clock = quote(Dossier._meta.db_table), quote("running")
    running = (
        f" FROM {quote(StageDeadline._meta.db_table)} {clock}"
        f" WHERE {clock}.{quote('dossier_id')} = {dossier}.{quote('id')}"
        f" AND {clock}.{quote('closed_at')} IS NULL"
    )
    exists = f"EXISTS (SELECT 1{running})"
    due_on = (
        f"(SELECT {clock}.{quote('due_on')}{running}"
        f" ORDER BY {clock}.{quote('opened_at')} DESC, {clock}.{quote('id')} DESC LIMIT 1)"
    )
    return exists, due_on


def _first_rows(condition: str, *, clocked_only: bool = False) -> list[str]:
    """The candidates for a section's first ROWS rows (`condition`: compiled SQL), in two
    queries of at most ROWS ids: the soonest-due of its dossiers with a running clock (few:
    only dossiers at a stage that received them have one, and PostgreSQL reads them from
    the running clocks), and the most recently updated of the rest (read in the order of
    `dossier_updated_idx`, so no sort of the section). The page's order puts every due day
    before the dossiers without one, so the section's first ROWS are among these.
    `clocked_only`: the section has no dossier without a running clock, the second query is
    left out (it would walk the whole index to find none)."""
    quote = connection.ops.quote_name
    dossier = quote(Dossier._meta.db_table)
    exists, due_on = _running_clock_sql()
    newest = f"{dossier}.{quote('updated_at')} DESC, {dossier}.{quote('id')} DESC"
    select = f"SELECT {dossier}.{quote('id')} FROM {dossier} WHERE {condition}"  # noqa: S608
    clocked = f"{select} AND {exists} ORDER BY {due_on}, {newest} LIMIT {int(ROWS)}"
    if clocked_only:
        return [clocked]
    return [clocked, f"{select} AND NOT {exists} ORDER BY {newest} LIMIT {int(ROWS)}"]


@cache
def _running_clocks_sql() -> tuple[str, tuple]:
    """The running clocks, the newest of each dossier marked `newest = 1` (the one whose due
    day orders the dossier: _due_on). A constant statement, compiled once per process."""
    return (
        StageDeadline.objects.filter(closed_at=None)
        .annotate(
            newest=Window(
                RowNumber(), partition_by=[F("dossier_id")], order_by=["-opened_at", "-pk"]
            )
        )
        .order_by()
        .values("dossier_id", "due_on", "newest")
        .query.sql_with_params()
    )


def _ranked(
    flags: dict[str, Q], plans: dict[str, str], *, scope: list[str], acting: Q | None
) -> list[tuple]:
    """Each section's count, and the ids that may be among its first ROWS rows, in one
    statement; rows (None, None, count, …) and (section number, id, None, …).

    The counts of UNIT and STAGE sections are sums of their flags, computed once per
    dossier of the scope (the conditions of the flags in `scope`, or `acting`: every
    dossier of those sections, maybe more) in a fenced subquery (UNIT flags alone: from the
    `(status, proposer)` index, no heap); a CLOCK section's is a COUNT of its own
    condition, which PostgreSQL answers from the running clocks. The first rows of UNIT and
    CLOCK sections are LIMIT ROWS branches (_first_rows): no sort of the section, no clock
    look-up per dossier (issue 18: the proposer's home sorted the unit's 12 636 dossiers by
    due day to show five of each section). STAGE conditions cost a look-up of the current
    stage per dossier, so they are ranked over the same fenced rows, evaluated once: a
    running sum of the section's flag in the page's order, the due day joined from the
    running clocks (a few rows, hashed) rather than looked up per dossier. Each condition
    is compiled once (_compiled) and named as SQL wherever it is needed."""
    quote = connection.ops.quote_name
    dossier = quote(Dossier._meta.db_table)
    compiled = {flag: _compiled(condition) for flag, condition in flags.items()}
    scanned = [flag for flag in flags if plans[flag] != CLOCK]
    ranked = [flag for flag in flags if plans[flag] == STAGE]
    number = {flag: n for n, flag in enumerate(flags)}
    nulls = ", ".join("NULL" for _flag in flags)
    ctes, params = [], []
    if ranked:
        clocks, clock_params = _running_clocks_sql()
        ctes.append(f"{quote('clocks')} AS ({clocks})")
        params += clock_params
    if scanned:
        columns = [f"{compiled[flag][0]} AS {quote(flag)}" for flag in scanned]
        for flag in scanned:
            params += compiled[flag][1]
        if ranked:
            columns += [
                f"{dossier}.{quote('id')} AS {quote('row_id')}",
                f"{dossier}.{quote('updated_at')} AS {quote('row_updated')}",
            ]
        where = [compiled[flag] for flag in scope]
        if acting is not None:
            where.append(_compiled(acting))
        for _sql, where_params in where:
            params += where_params
        ctes.append(
            f"{quote('flagged')} AS (SELECT {', '.join(columns)} FROM {dossier}"  # noqa: S608
            f" WHERE {' OR '.join(sql for sql, _params in where) or '1 = 0'}"
            f" LIMIT {int(_FENCE)})"
        )
    if ranked:
        running = (
            f"OVER (ORDER BY ({quote('due_on')} IS NULL), {quote('due_on')},"
            f" {quote('row_updated')} DESC, {quote('row_id')} DESC"
            " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
        )
        ranks = ", ".join(
            f"{quote(flag)}, SUM(CASE WHEN {quote(flag)} THEN 1 ELSE 0 END) {running}"
            f" AS {quote('rank_' + flag)}"
            for flag in ranked
        )
        ctes.append(
            f"{quote('ranked')} AS (SELECT {quote('row_id')}, {ranks}"  # noqa: S608
            f" FROM {quote('flagged')} LEFT JOIN {quote('clocks')}"
            f" ON {quote('clocks')}.{quote('dossier_id')} = {quote('row_id')}"
            f" AND {quote('newest')} = 1"
            f" WHERE {' OR '.join(quote(flag) for flag in ranked)})"
        )
    # First row: the counts, with the section column NULL; then one row per candidate id.
    counts = []
    for flag in flags:
        if plans[flag] == CLOCK:
            sql, condition_params = compiled[flag]
            counts.append(f"(SELECT COUNT(*) FROM {dossier} WHERE {sql})")  # noqa: S608
            params += condition_params
        else:
            counts.append(f"SUM(CASE WHEN {quote(flag)} THEN 1 ELSE 0 END)")
    source = f" FROM {quote('flagged')}" if scanned else ""
    branches = [f"SELECT NULL, NULL, {', '.join(counts)}{source}"]
    for flag in ranked:
        branches.append(
            f"SELECT {number[flag]}, {quote('row_id')}, {nulls} FROM {quote('ranked')}"  # noqa: S608
            f" WHERE {quote(flag)} AND {quote('rank_' + flag)} <= {int(ROWS)}"
        )
    for flag in flags:
        if plans[flag] == STAGE:
            continue
        sql, condition_params = compiled[flag]
        for part in _first_rows(sql, clocked_only=plans[flag] == CLOCK):
            branches.append(
                f"SELECT {number[flag]}, {quote('candidate')}.{quote('id')}, {nulls}"  # noqa: S608
                f" FROM ({part}) {quote('candidate')}"
            )
            params += condition_params
    # Aliases are fixed names and the flags' names (Python identifiers of SECTIONS' keys);
    # values are params.
    prefix = f"WITH {', '.join(ctes)} " if ctes else ""
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix}{' UNION ALL '.join(branches)}", params)
        return cursor.fetchall()


def _dossier_sections(user, keys: list[str], today: date) -> dict[str, Shown]:
    """Counts and first rows of `keys`: one statement (_ranked) for the counts and the
    candidate rows of each section, then those few dossiers, whole, in the page's order
    (soonest due day first, then the most recently updated), each section taking its first
    ROWS among its candidates."""
    if not keys:
        return {}
    flags = {f"in_{key}": Q(SECTIONS[key].condition(user, today)) for key in keys}
    plans = {f"in_{key}": SECTIONS[key].plan for key in keys}
    # The dossiers whose flags are computed: each UNIT section's own, and one waiting_for
    # over every STAGE section's states.
    scope, acting = [], set()
    for key in keys:
        section = SECTIONS[key]
        if section.plan == CLOCK:
            continue
        if section.acts_in:
            acting.update(section.acts_in)
        else:
            scope.append(f"in_{key}")
    counts: dict[str, int] = {}
    candidates: dict[str, set[int]] = {key: set() for key in keys}
    found = _ranked(
        flags, plans, scope=scope, acting=waiting_for(user, states=acting) if acting else None
    )
    for number, row_id, *sums in found:
        if number is None:
            counts = {key: int(total or 0) for key, total in zip(keys, sums, strict=True)}
        else:
            candidates[keys[number]].add(row_id)
    shown = {key: Shown(SECTIONS[key], counts.get(key, 0)) for key in keys}
    order = [F("due_on").asc(nulls_last=True), F("updated_at").desc(), F("pk").desc()]
    rows = list(
        with_due_on(Dossier.objects.filter(pk__in=sorted(set().union(*candidates.values()))))
        .annotate(decision_label=_decision_label(), decision_date=_decision_date())
        .select_related("proposer", "award_type", "current_stage__organisation")
        .defer("letter_text", "rules_snapshot", "search_text")
        .order_by(*order)
    )
    attach_open_deadlines(rows)
    # One working-day calendar for every row of every section (the {% deadline %} tag keeps
    # one per template, and each section is its own template: two queries a section).
    calendar = calendar_for(today)
    for row in rows:
        clock = row.open_deadline
        row.deadline_status = (
            status_of(clock, today=today, calendar=calendar) if clock is not None else None
        )
        for key in keys:
            if row.pk in candidates[key] and len(shown[key].rows) < ROWS:
                shown[key].rows.append(row)
    return shown


@dataclass
class Dashboard:
    """Everything the home page shows; `groups` are (key, title, [Shown]) per held role."""

    groups: list[tuple[str, Promise, list[Shown]]] = field(default_factory=list)
    ballots: QuerySet | None = None
    ballot_count: int = 0
    meetings: list = field(default_factory=list)
    meetings_to_run: list = field(default_factory=list)
    meetings_to_run_count: int = 0
    to_sign: list = field(default_factory=list)
    to_sign_count: int = 0
    admin_links: list[tuple[Promise, str]] = field(default_factory=list)
    held: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.held


def first_rows_and_total(rows: QuerySet) -> tuple[list, int]:
    """The first ROWS rows and how many there are, in one query (COUNT(*) OVER ())."""
    found = list(rows.annotate(total_rows=Window(Count("pk")))[:ROWS])
    return found, (found[0].total_rows if found else 0)


def _grants_of(user) -> frozenset[tuple[str, int]]:
    """The (codename, organisation id) pairs `user` holds (one query); none if inactive."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(
        OrganisationUserObjectPermission.objects.filter(user=user).values_list(
            "permission__codename", "content_object_id"
        )
    )


def held_codenames(user) -> frozenset[str]:
    """The codenames `user` holds anywhere (one query): which roles' sections to show."""
    return frozenset(codename for codename, _org in _grants_of(user))


ADMIN_LINKS = (
    (_("Người dùng"), "admin:auth_user_changelist"),
    (_("Vai trò của người dùng tại đơn vị"), "admin:organisations_membership_changelist"),
    (_("Cơ quan, đơn vị"), "admin:organisations_organisation_changelist"),
    (_("Bộ quy định"), "admin:dossiers_ruleset_changelist"),
    (_("Danh hiệu, hình thức khen thưởng"), "admin:dossiers_awardtype_changelist"),
    (_("Phong trào thi đua"), "admin:dossiers_campaign_changelist"),
    (_("Hội đồng Thi đua – Khen thưởng"), "admin:councils_council_changelist"),
    (_("Thành viên Hội đồng"), "admin:councils_councilmember_changelist"),
    (_("Lịch làm việc, ngày nghỉ"), "admin:workflow_calendarentry_changelist"),
    (_("Quy tắc nhắc hạn"), "admin:workflow_reminderrule_changelist"),
    (_("Mẫu quyết định của cơ quan ban hành"), "admin:decisions_issuerprofile_changelist"),
)


def _admin_links() -> list[tuple[Promise, str]]:
    links = []
    for label, name in ADMIN_LINKS:
        try:
            links.append((label, reverse(name)))
        except NoReverseMatch:  # a model not registered in this deployment's admin
            continue
    return links


def dashboard_for(user, *, today: date | None = None) -> Dashboard:
    """The home page of `user`: each role they hold, what waits, soonest deadline first."""
    today = today or timezone.localdate()
    grants = _grants_of(user)
    held = frozenset(codename for codename, _org in grants)
    board = Dashboard(held=held)
    keys = [
        key
        for _group, _title, group_keys in ROLE_GROUPS
        for key in group_keys
        if held & set(SECTIONS[key].needs)
    ]
    token = _GRANTS.set((user.pk, grants))
    try:
        shown = _dossier_sections(user, keys, today)
    finally:
        _GRANTS.reset(token)
    for group, title, group_keys in ROLE_GROUPS:
        parts = [shown[key] for key in group_keys if key in shown]
        if parts:
            board.groups.append((group, title, parts))
    if Perm.VOTE in held:
        ballots = ballots_to_cast(user).order_by(
            F("voting_closes_at").asc(nulls_last=True), "scheduled_for", "pk"
        )
        board.ballots, board.ballot_count = first_rows_and_total(ballots)
        seat = CouncilMember.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            council=OuterRef("council"),
            user=user,
            starts_on__lte=today,
        )
        board.meetings = list(
            Meeting.objects.filter(
                Exists(seat),
                status__in=(MeetingStatus.DRAFT, MeetingStatus.OPEN),
                scheduled_for__date__gte=today,
            )
            .select_related("council__organisation")
            .order_by("scheduled_for", "pk")[:ROWS]
        )
    if held & {Perm.CHAIR_COUNCIL, Perm.MANAGE_MEETINGS}:
        running = (
            meetings_run_by(user)
            .filter(status__in=(MeetingStatus.DRAFT, MeetingStatus.OPEN))
            .order_by("scheduled_for", "pk")
        )
        board.meetings_to_run, board.meetings_to_run_count = first_rows_and_total(running)
    if Perm.SIGN_DECISION in held:
        drafts = (
            Decision.objects.filter(
                status=DecisionStatus.DRAFT,
                issuer__in=organisations_where(user, Perm.SIGN_DECISION),
            )
            .select_related("issuer", "award_type")
            .annotate(lines_count=Count("lines"))
            .order_by("created_at", "pk")
        )
        board.to_sign, board.to_sign_count = first_rows_and_total(drafts)
    if Perm.ADMINISTER in held:
        board.admin_links = _admin_links()
    return board
