"""The dossier list: its filters, its order and its spreadsheet, one definition for both.

The page and its .xlsx export call `listed_dossiers` with the same cleaned form, so the file
holds exactly the rows the list shows (every page of them), in the same order, with the same
columns. A dashboard count links here with `?task=<key>` and gets the same query as the count
(workflow.dashboards.SECTIONS), intersected with what the user may see.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from office.spreadsheets import table_xlsx
from workflow.dashboards import SECTIONS, overdue_anywhere, with_due_on

from .models import Dossier
from .search import matching

SORTS = {
    "updated": (F("updated_at").desc(), F("pk").desc()),
    "reference": (F("reference").asc(), F("pk").asc()),
    "due": (F("due_on").asc(nulls_last=True), F("updated_at").desc(), F("pk").desc()),
}
DEFAULT_SORT = "updated"
WIDE_COLUMNS = ("letter_text", "rules_snapshot", "search_text", "returned_reason")
COUNT_CAP = 1000


def listed_dossiers(
    user, visible: QuerySet[Dossier], cleaned: dict, *, today: date | None = None
) -> QuerySet[Dossier]:
    """`visible` narrowed by the form's valid fields (an invalid one is ignored, and the
    form shows its error), in the chosen order, with `due_on` (the running clock's due day)."""
    today = today or timezone.localdate()
    dossiers = visible
    if task := cleaned.get("task"):
        dossiers = dossiers.filter(SECTIONS[task].condition(user, today))
    if query := cleaned.get("q"):
        dossiers = matching(dossiers, query)
    if year := cleaned.get("year"):
        dossiers = dossiers.filter(year=year)
    if campaign := cleaned.get("campaign"):
        dossiers = dossiers.filter(campaign=campaign)
    if award := cleaned.get("award"):
        dossiers = dossiers.filter(award_type__code=award)
    if organisation := cleaned.get("organisation"):
        dossiers = dossiers.filter(proposer=organisation)
    if status := cleaned.get("status"):
        dossiers = dossiers.filter(status=status)
    if cleaned.get("overdue"):
        dossiers = dossiers.filter(overdue_anywhere(today))
    return shaped(dossiers, cleaned)


def shaped(dossiers: QuerySet[Dossier], cleaned: dict) -> QuerySet[Dossier]:
    """`dossiers` as the list shows them: with `due_on`, their unit, form and stage, narrow,
    in the chosen order. The page's rows are `shaped(<the page's ids>)`: the ids were chosen
    by the filtered query, which need not be checked again row by row."""
    order = SORTS.get(cleaned.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT])
    return (
        with_due_on(dossiers)
        .select_related("proposer", "award_type", "current_stage__organisation")
        # Narrow rows: the letter, the rules' snapshot and the search column are most of a
        # dossier's width and neither the page nor the spreadsheet shows them.
        .defer(*WIDE_COLUMNS)
        .order_by(*order)
    )


class ListPaginator(Paginator):
    """Pages of the list whose count stops `cap` rows past the page asked for.

    Counting every visible dossier of a province costs more than showing a page of them;
    past `cap` more rows the page says "more than N" (`more`) instead of the exact total.
    Two queries a page whatever the volume: the ids in the list's order up to `cap` rows
    past the page (`SELECT id … LIMIT offset + per_page + cap + 1`: their number is the
    capped count, and the page's ids are a slice of them), then the page's rows by id
    (`rows`: without the filters again, whose visibility check cost 25–60 ms a page).
    One walk of the order's index and one visibility check per request, where a separate
    `COUNT(*)` walked it a second time (issue 18). A page past the end shows the last one,
    as Django's `get_page` does.
    """

    def __init__(
        self, object_list, per_page: int, *, cap: int | None = None, rows=None, keyset=False
    ):
        """`rows(ids)`: the page's rows by id (default: `object_list` narrowed to them, which
        repeats its filters; the list passes `shaped`, which does not). `keyset`: the list is
        in the order of the (updated_at DESC, id DESC) index, so a "next page" link can carry
        where the page ended (`after`) and the next page starts there, not past an OFFSET."""
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap
        self.more = False
        self.keyset = keyset
        self.rows = rows or (lambda ids: self.object_list.filter(pk__in=ids))

    def get_page(self, number, *, after: str | None = None) -> Page:
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        cursor = decode_cursor(after) if self.keyset and number > 1 else None
        if cursor is not None:
            page = self._page_after(number, cursor)
            if page is not None:
                return page
        offset = (number - 1) * self.per_page
        limit = offset + self.per_page + self.cap
        # values_list("pk"): only the ids, no annotation (no clock read per row); the OFFSET
        # and the count walk the order's index with the visibility filter only.
        ids = list(self.object_list.values_list("pk", flat=True)[: limit + 1])
        counted = len(ids)
        if counted > limit:
            self.more, counted = True, limit
        self.__dict__["count"] = counted  # Paginator.count is a cached_property
        if offset >= counted and number > 1:  # past the end: the last page, from the same ids
            number = self.num_pages
            offset = (number - 1) * self.per_page
        page_ids = ids[offset : offset + self.per_page]
        return self._with_rows(page_ids, number)

    def _page_after(self, number: int, cursor: tuple) -> Page | None:
        """Page `number` as the rows after `cursor` (the previous page's last row): a walk of
        the index from there, whatever the depth (page 500: 144 ms by OFFSET, issue 18). The
        count is the rows before (the pages already passed) and up to `cap` after. None when
        nothing follows the cursor (its rows changed since): the caller falls back to the
        OFFSET."""
        updated_at, pk = cursor
        following = self.object_list.filter(
            Q(updated_at__lt=updated_at) | Q(updated_at=updated_at, pk__lt=pk)
        )
        limit = self.per_page + self.cap
        ids = list(following.values_list("pk", flat=True)[: limit + 1])
        if not ids:
            return None
        before = (number - 1) * self.per_page
        counted = len(ids)
        if counted > limit:
            self.more, counted = True, limit
        self.__dict__["count"] = before + counted
        return self._with_rows(ids[: self.per_page], number)

    def _with_rows(self, page_ids: list, number: int) -> Page:
        rows = list(self.rows(page_ids)) if page_ids else []
        page = self._get_page(rows, number, self)
        if self.keyset and rows and page.has_next():
            page.next_cursor = encode_cursor(rows[-1])
        return page


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode_cursor(dossier: Dossier) -> str:
    """Where a page ended, for the next page's link: `<µs since 1970>_<id>`, exact."""
    delta = dossier.updated_at - EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}_{dossier.pk}"


def decode_cursor(value: str | None) -> tuple | None:
    """The (updated_at, id) of `encode_cursor`, or None for anything else (a link typed by
    hand or cut short: the page is then found by its number)."""
    try:
        micros, pk = (int(part) for part in (value or "").split("_"))
        if micros < 0 or pk < 1:
            return None
        return EPOCH + timedelta(microseconds=micros), pk
    except (ValueError, OverflowError):
        return None


def header() -> list[str]:
    """The list's columns, as its table heads them (templates/dossiers/_table.html)."""
    return [
        _("STT"),
        _("Số hồ sơ"),
        _("Trích yếu"),
        _("Đơn vị đề nghị"),
        _("Hình thức"),
        _("Trạng thái"),
        _("Đang ở"),
        _("Hạn xử lý"),
    ]


def rows(dossiers: Iterable[Dossier]) -> Iterable[list]:
    for number, dossier in enumerate(dossiers, start=1):
        stage = dossier.current_stage
        yield [
            number,
            dossier.reference,
            dossier.title,
            dossier.proposer.name,
            dossier.award_type.name,
            str(dossier.get_status_display()),
            stage.organisation.name if stage else "",
            dossier.due_on.strftime("%d/%m/%Y") if getattr(dossier, "due_on", None) else "",
        ]


def list_xlsx(dossiers: QuerySet[Dossier], *, title: str) -> bytes:
    # iterator(): a province's whole list is a few thousand rows; they are not all kept.
    return table_xlsx(title, header(), rows(dossiers.iterator(chunk_size=500)))
