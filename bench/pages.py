"""The pages the bench measures: (name, username, URL), shared by bench_pages and explain_lists.

Users are the demo's (organisations.demo): a school's proposer (th-hop-thanh, ~14 000 of
the 100 000 dossiers are its unit's), the province's secretariat (sees every dossier that
reached the province), its council chair and its leader.
"""

PROPOSER = "th-hop-thanh.thiduakhenthuong"
SECRETARIAT = "lang-son.vanphong"

LIST_PAGES = (
    ("dossier list, secretariat", SECRETARIAT, "/ho-so/"),
    ("dossier list, proposer", PROPOSER, "/ho-so/"),
    ("list, search + filter", SECRETARIAT, "/ho-so/?q=nhung+2&status=provincial_appraisal"),
    ("list, search by reference", SECRETARIAT, "/ho-so/?q=hs-2026-000004-123"),
    ("list, page 500", PROPOSER, "/ho-so/?page=500"),
    ("list, page 500 by its link", PROPOSER, "/ho-so/?page=500&after=@"),
    ("task inbox, secretariat", SECRETARIAT, "/ho-so/viec-can-lam/"),
    ("overdue list", SECRETARIAT, "/han-xu-ly/qua-han/"),
    ("notices, secretariat", SECRETARIAT, "/thong-bao/"),
    ("home, proposer", PROPOSER, "/"),
    ("home, secretariat", SECRETARIAT, "/"),
    ("home, council chair", "lang-son.chutichhd", "/"),
    ("home, leader", "lang-son.lanhdao", "/"),
)


def resolved() -> tuple:
    """LIST_PAGES with the deep page's "next" link as a user reaches it (`after=` where page
    499 ended, dossiers.listing.encode_cursor), read from the database (after django.setup())."""
    from django.contrib.auth import get_user_model

    from dossiers import listing
    from dossiers.queries import dossiers_visible_to
    from dossiers.views import PAGE_SIZE

    pages = []
    for name, username, url in LIST_PAGES:
        if url.endswith("after=@"):
            user = get_user_model().objects.get(username=username)
            number = int(url.split("page=")[1].split("&")[0])
            rows = listing.listed_dossiers(user, dossiers_visible_to(user), {})
            last = rows[(number - 1) * PAGE_SIZE - 1]  # the last row of the page before
            url = url.replace("@", listing.encode_cursor(last))
        pages.append((name, username, url))
    return tuple(pages)
