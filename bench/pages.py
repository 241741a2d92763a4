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
    ("task inbox, secretariat", SECRETARIAT, "/ho-so/viec-can-lam/"),
    ("overdue list", SECRETARIAT, "/han-xu-ly/qua-han/"),
    ("notices, secretariat", SECRETARIAT, "/thong-bao/"),
    ("home, proposer", PROPOSER, "/"),
    ("home, secretariat", SECRETARIAT, "/"),
    ("home, council chair", "lang-son.chutichhd", "/"),
    ("home, leader", "lang-son.lanhdao", "/"),
)
