"""Cursor pagination on every list: stable under inserts (no row seen twice or skipped when
a dossier moves while a system pages through), and no deep OFFSET on big tables."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 25
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = ("-pk",)

    def get_ordering(self, request, queryset, view):
        # A view may order by what its query was asked for (the dossier list's `sort`).
        ordering = getattr(view, "cursor_ordering", None) or self.ordering
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)
