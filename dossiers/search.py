"""The dossier list's search column: what it holds, how it is kept, how it is asked.

`Dossier.search_text` is `core.text.fold` of the reference, the title and every nominee's
name, so "hoang thi mai", "HOÀNG THỊ MAI" and "Hoàng  Thị Mai" find the same dossier on SQLite
and PostgreSQL alike (neither database folds Vietnamese marks by itself). The services that
change any of these call `refresh_search_text` in their transaction; migration 0008 filled
it for the dossiers that existed before.
"""

from django.db.models import Q, QuerySet

from core.text import fold, fold_terms

from .models import Dossier

# Between the parts, so a search term never spans the end of one name and the start of the
# next (a folded term holds no "|").
SEPARATOR = " | "


def search_text_for(reference: str, title: str, names: list[str]) -> str:
    return SEPARATOR.join(fold(part) for part in [reference, title, *names] if part)


def refresh_search_text(dossier: Dossier) -> None:
    """Recompute the dossier's search column from its row and its nominees (two queries)."""
    names = list(dossier.nominees.order_by("pk").values_list("full_name", flat=True))
    text = search_text_for(dossier.reference, dossier.title, names)
    Dossier.objects.filter(pk=dossier.pk).update(search_text=text)
    dossier.search_text = text


def matching(dossiers: QuerySet[Dossier], query: str) -> QuerySet[Dossier]:
    """Dossiers whose reference, title or nominee names hold every word of `query`,
    whatever its case, marks or spacing. One filter on one column: no join, no DISTINCT."""
    condition = Q()
    for term in fold_terms(query):
        condition &= Q(search_text__contains=term)
    return dossiers.filter(condition)
