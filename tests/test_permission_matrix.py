"""Every URL × every role × own / other organisation, with the status a user gets.

The table below must name every URL pattern the project serves (admin pages excepted, as
one row for the admin index): a new URL without a row fails test_every_url_has_a_row.
"""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from campaigns.demo import CAMPAIGN_NAME, seed_campaigns
from campaigns.models import Cluster, ClusterMember, RoleModel
from councils import services as councils
from councils.demo import seed_councils
from councils.models import Council
from decisions import services as decisions
from dossiers.models import Campaign
from registry.models import RegistryEntry
from registry.services import place_hold
from reports.models import ReportForm
from tests import factories as f
from tests.webhooks.matrix import endpoint_of
from workflow import services as transitions
from workflow.flows import claim_task, open_task

# Who is asking. "own" = the proposing school Trường Tiểu học Hợp Thành and its commune.
USERS = {
    "anonymous": None,
    "proposer_own": "th-hop-thanh.thiduakhenthuong",
    "head_own": "th-hop-thanh.thutruong",
    "proposer_other": "thcs-tan-doan.thiduakhenthuong",
    "commune_secretariat_own": "hop-thanh.vanphong",
    "commune_secretariat_other": "tan-doan.vanphong",
    "province_secretariat": "lang-son.vanphong",
    "province_member": "lang-son.uyvien",
    "signer": "lang-son.lanhdao",
    "administrator": "lang-son.quantri",
    # A platform operator: is_superuser, no role. No business right comes from the flag
    # (organisations.permissions): he sees the admin, and no unit's dossiers or decisions.
    "superuser": "nen-tang.vanhanh",
}
LOGIN = 302  # anonymous users are sent to the log-in page
ALL_200 = {u: 200 for u in USERS} | {"anonymous": LOGIN}


def ONLY(ok: set[str], code: int = 200, rest: int = 404) -> dict[str, int]:
    return {u: (code if u in ok else rest) for u in USERS} | {"anonymous": LOGIN}


# Who prepares or signs decisions: secretariats (of any level) and the signing authority.
DRAFTERS = {"commune_secretariat_own", "commune_secretariat_other", "province_secretariat"}
DECIDERS = DRAFTERS | {"signer"}
PROVINCE_DECIDERS = {"province_secretariat", "signer"}
# Statistics: whoever holds a role somewhere; the platform operator holds none.
STATS = {u: 200 for u in USERS} | {"anonymous": LOGIN, "superuser": 404}

# name -> (method, path builder(objects), expected status per user)
ROWS = {
    "home": ("get", lambda o: "/", ALL_200),
    "login": ("get", lambda o: "/dang-nhap/", {u: 200 for u in USERS}),
    # The admin's log-in (config.accounts.admin_login): staff already signed in go on in.
    "admin_login": (
        "get",
        lambda o: "/quan-tri/login/",
        {u: 200 for u in USERS} | {"administrator": 302, "superuser": 302},
    ),
    "password_change": ("get", lambda o: "/doi-mat-khau/", ALL_200),
    "logout": ("post", lambda o: "/dang-xuat/", {u: 302 for u in USERS}),
    "set_language": ("post", lambda o: "/i18n/setlang/", {u: 302 for u in USERS}),
    "admin:index": (
        "get",
        lambda o: "/quan-tri/",
        {u: 302 for u in USERS} | {"administrator": 200, "superuser": 200},
    ),
    "dossiers:list": ("get", lambda o: "/ho-so/", ALL_200),
    "workflow:inbox": ("get", lambda o: "/ho-so/viec-can-lam/", ALL_200),
    "dossiers:create": (
        "get",
        lambda o: "/ho-so/tao-moi/",
        ONLY({"proposer_own", "proposer_other"}),
    ),
    "dossiers:detail": (
        "get",
        lambda o: f"/ho-so/{o['draft'].pk}/",
        ONLY({"proposer_own", "head_own"}),
    ),
    "dossiers:detail@routed": (
        "get",
        lambda o: f"/ho-so/{o['routed'].pk}/",
        ONLY({"proposer_own", "head_own", "commune_secretariat_own"}),
    ),
    "dossiers:edit": ("get", lambda o: f"/ho-so/{o['draft'].pk}/sua/", ONLY({"proposer_own"})),
    "dossiers:upload": (
        "post",
        lambda o: f"/ho-so/{o['draft'].pk}/tai-lieu/",
        ONLY({"proposer_own", "head_own"}, code=302),
    ),
    # nominees-forms: the nominees table's rows, the .xlsx import, document versions; only
    # the unit's proposer while it holds the dossier (else 404, like the edit page).
    "dossiers:nominee_rows": (
        "get",
        lambda o: f"/ho-so/{o['draft'].pk}/nguoi-duoc-de-nghi/dong-moi/?n-TOTAL_FORMS=1",
        ONLY({"proposer_own"}, code=302),  # without htmx: back to the edit page
    ),
    "dossiers:nominee_remove": (
        "post",
        lambda o: f"/ho-so/{o['draft'].pk}/nguoi-duoc-de-nghi/bo-dong/",
        ONLY({"proposer_own"}, code=400),  # no row named: refused, nothing removed
    ),
    "dossiers:nominees_template": (
        "get",
        lambda o: f"/ho-so/{o['draft'].pk}/nguoi-duoc-de-nghi/mau.xlsx",
        ONLY({"proposer_own"}),
    ),
    "dossiers:nominees_import": (
        "get",
        lambda o: f"/ho-so/{o['draft'].pk}/nguoi-duoc-de-nghi/nhap/",
        ONLY({"proposer_own"}),
    ),
    "dossiers:document_delete": (
        "get",
        lambda o: f"/ho-so/tai-lieu/{o['document'].pk}/xoa/",
        ONLY({"proposer_own"}),
    ),
    "dossiers:document_replace": (
        "post",
        lambda o: f"/ho-so/tai-lieu/{o['document'].pk}/thay-the/",
        ONLY({"proposer_own"}, code=302),  # no file: told so, nothing replaced
    ),
    "dossiers:act": (
        "post",
        lambda o: f"/ho-so/{o['routed'].pk}/thao-tac/accept_complete/",
        ONLY({"proposer_own", "head_own", "commune_secretariat_own"}, code=302),
    ),
    "workflow:task_claim": (
        "post",
        lambda o: f"/ho-so/viec/{o['task'].pk}/nhan/",
        ONLY({"commune_secretariat_own"}, code=302),
    ),
    "workflow:task_release": (
        "post",
        lambda o: f"/ho-so/viec/{o['claimed'].pk}/tra-lai/",
        ONLY({"head_own"}, code=302),
    ),
    # Councils (fixture council_objects): a meeting of the commune council Xã Hợp Thành,
    # open, with the school's dossier on it; a closed one; an open provincial meeting.
    "councils:meetings": ("get", lambda o: "/hoi-dong/", ALL_200),
    "councils:ballots": ("get", lambda o: "/hoi-dong/phieu/", ALL_200),
    "councils:meeting": (
        "get",
        lambda o: f"/hoi-dong/phien/{o['meeting'].pk}/",
        ONLY({"commune_secretariat_own"}),
    ),
    "councils:meeting@province": (
        "get",
        lambda o: f"/hoi-dong/phien/{o['province'].pk}/",
        ONLY({"province_secretariat"}),
    ),
    "councils:open": (
        "post",
        lambda o: f"/hoi-dong/phien/{o['draft_meeting'].pk}/mo/",
        ONLY({"commune_secretariat_own"}, code=302),
    ),
    "councils:close": (
        "post",
        lambda o: f"/hoi-dong/phien/{o['meeting'].pk}/ket-thuc/",
        ONLY({"commune_secretariat_own"}, code=302),
    ),
    # ballot-ux: the live turnout box (GET) and the reminder (POST), for who runs the meeting.
    "councils:progress": (
        "get",
        lambda o: f"/hoi-dong/phien/{o['meeting'].pk}/tien-do/",
        ONLY({"commune_secretariat_own"}),
    ),
    "councils:remind": (
        "post",
        lambda o: f"/hoi-dong/phien/{o['meeting'].pk}/nhac-bo-phieu/",
        ONLY({"commune_secretariat_own"}, code=302),
    ),
    "councils:agenda": (
        "get",
        lambda o: f"/hoi-dong/phien/{o['draft_meeting'].pk}/chuong-trinh/",
        ONLY({"commune_secretariat_own"}),
    ),
    "councils:ballot": (
        "get",
        lambda o: f"/hoi-dong/phien/{o['province'].pk}/bo-phieu/",
        ONLY({"province_member"}),
    ),
    "councils:minutes": (
        "get",
        lambda o: f"/hoi-dong/phien/{o['closed'].pk}/bien-ban.docx",
        ONLY({"commune_secretariat_own"}),
    ),
    "councils:written_opinion": (
        "post",
        lambda o: f"/hoi-dong/phien/{o['meeting'].pk}/y-kien-van-ban/",
        ONLY({"commune_secretariat_own"}, code=302),
    ),
    "councils:confirm_recusal": (
        "post",
        lambda o: f"/hoi-dong/phien/{o['meeting'].pk}/khong-bieu-quyet/",
        ONLY({"commune_secretariat_own"}, code=302),
    ),
    "dossiers:download": (
        "get",
        lambda o: f"/ho-so/tai-lieu/{o['document'].pk}/",
        ONLY({"proposer_own", "head_own"}),
    ),
    # Decisions (fixture decision_objects): a draft and an issued decision of the province
    # (Sở Y tế's dossiers, Bằng khen of the provincial chair); the school's dossier for the
    # letter and eligibility pages.
    # Also whoever sees a dossier an issued decision covers (the province's council member
    # sees the department's dossier, hence its decision: decisions.queries).
    "decisions:list": (
        "get",
        lambda o: "/quyet-dinh/",
        ONLY(DECIDERS | {"province_member"}),
    ),
    "decisions:new": (
        "get",
        lambda o: "/quyet-dinh/moi/",
        ONLY(DRAFTERS),
    ),
    "decisions:detail": (
        "get",
        lambda o: f"/quyet-dinh/{o['decision'].pk}/",
        ONLY(PROVINCE_DECIDERS),
    ),
    "decisions:docx": (
        "get",
        lambda o: f"/quyet-dinh/{o['decision'].pk}/quyet-dinh.docx",
        ONLY(PROVINCE_DECIDERS),
    ),
    # Signed PDF: none exists yet in the suite (signing on issue is off in test settings), so
    # everyone gets 404; tests/decisions/test_signature.py covers the signed download.
    "decisions:pdf": (
        "get",
        lambda o: f"/quyet-dinh/{o['issued'].pk}/quyet-dinh.pdf",
        ONLY(set()),
    ),
    # An issued decision is seen by everyone who sees one of its dossiers (issue 14).
    "decisions:annex_pdf": (
        "get",
        lambda o: f"/quyet-dinh/{o['issued'].pk}/danh-sach.pdf",
        ONLY(PROVINCE_DECIDERS | {"province_member"}),
    ),
    "decisions:certificates": (
        "get",
        lambda o: f"/quyet-dinh/{o['issued'].pk}/bang-khen.pdf",
        ONLY(PROVINCE_DECIDERS | {"province_member"}),
    ),
    "decisions:letter_pdf": (
        "get",
        lambda o: f"/quyet-dinh/to-trinh/{o['routed'].pk}.pdf",
        ONLY({"proposer_own", "head_own", "commune_secretariat_own"}),
    ),
    "decisions:minutes_pdf": (
        "get",
        lambda o: f"/quyet-dinh/bien-ban/{o['closed'].pk}.pdf",
        ONLY({"commune_secretariat_own"}),
    ),
    # Public pages: the verification page (no log-in; a wrong token is a 404) and the
    # password reset pages.
    "verify": (
        "get",
        lambda o: f"/xac-minh/{o['issued'].verification_token}/",
        {u: 200 for u in USERS},
    ),
    "verify@unknown": ("get", lambda o: "/xac-minh/khong-co-ma-nay/", {u: 404 for u in USERS}),
    "password_reset": ("get", lambda o: "/quen-mat-khau/", {u: 200 for u in USERS}),
    "password_reset_done": ("get", lambda o: "/quen-mat-khau/da-gui/", {u: 200 for u in USERS}),
    "password_reset_confirm": (
        "get",
        lambda o: "/dat-mat-khau/MQ/sai-ma/",
        {u: 200 for u in USERS},  # an invalid link: the page says so
    ),
    "password_reset_complete": ("get", lambda o: "/dat-mat-khau/xong/", {u: 200 for u in USERS}),
    "decisions:xlsx": (
        "get",
        lambda o: f"/quyet-dinh/{o['decision'].pk}/danh-sach.xlsx",
        ONLY(PROVINCE_DECIDERS),
    ),
    # The decision here is a draft not yet submitted: the signing page sends deciders back
    # to it (tests/decisions/test_signing_step.py covers the submitted case).
    "decisions:issue": (
        "get",
        lambda o: f"/quyet-dinh/{o['decision'].pk}/ban-hanh/",
        ONLY(PROVINCE_DECIDERS, code=302),
    ),
    "decisions:edit": (
        "get",
        lambda o: f"/quyet-dinh/{o['decision'].pk}/sua/",
        ONLY({"province_secretariat"}),  # the secretariat edits; the signer returns
    ),
    "decisions:submit": (
        "post",
        lambda o: f"/quyet-dinh/{o['decision'].pk}/trinh-ky/",
        ONLY(PROVINCE_DECIDERS, code=302),
    ),
    "decisions:return": (
        "post",
        lambda o: f"/quyet-dinh/{o['decision'].pk}/tra-lai/",
        ONLY(PROVINCE_DECIDERS, code=302),
    ),
    "decisions:cancel": (
        "post",
        lambda o: f"/quyet-dinh/{o['decision'].pk}/huy/",
        ONLY(PROVINCE_DECIDERS, code=302),
    ),
    "decisions:register": ("get", lambda o: "/quyet-dinh/so-quyet-dinh/", ONLY(DECIDERS)),
    "registry:registry": ("get", lambda o: "/quyet-dinh/khen-thuong/", ALL_200),
    "registry:registry_xlsx": ("get", lambda o: "/quyet-dinh/khen-thuong/xuat.xlsx", ALL_200),
    "registry:person": (
        "get",
        lambda o: f"/quyet-dinh/khen-thuong/{o['entry'].pk}/lich-su/",
        ALL_200 | {"superuser": 404},  # awards are shown within one's own province
    ),
    # Holds (Decree 152/2025 art. 4 §4): secretariats only; a hold is cleared by its recorder.
    "registry:holds": ("get", lambda o: "/quyet-dinh/tam-dung-xet/", ONLY(DRAFTERS)),
    "registry:hold_add": ("get", lambda o: "/quyet-dinh/tam-dung-xet/them/", ONLY(DRAFTERS)),
    "registry:hold_clear": (
        "get",
        lambda o: f"/quyet-dinh/tam-dung-xet/{o['hold'].pk}/cham-dut/",
        ONLY({"commune_secretariat_own"}),
    ),
    "decisions:letter": (
        "get",
        lambda o: f"/quyet-dinh/to-trinh/{o['routed'].pk}.docx",
        ONLY({"proposer_own", "head_own", "commune_secretariat_own"}),
    ),
    "dossiers:eligibility": (
        "get",
        lambda o: f"/ho-so/{o['routed'].pk}/dieu-kien/",
        ONLY({"proposer_own", "head_own", "commune_secretariat_own"}),
    ),
    # Public posting (posting-prize): anyone with a role on the unit, below it or on its route
    # (the province included, before the dossier reaches it); nobody else, no superuser.
    "dossiers:posting": (
        "get",
        lambda o: f"/ho-so/{o['routed'].pk}/cong-khai/",
        ONLY(
            {
                "proposer_own",
                "head_own",
                "commune_secretariat_own",
                "province_secretariat",
                "province_member",
                "signer",
                "administrator",
            }
        ),
    ),
    # Notices and deadlines: every signed-in user has their own (possibly empty) lists.
    "notifications:list": ("get", lambda o: "/thong-bao/", ALL_200),
    "notifications:mark_read": ("post", lambda o: "/thong-bao/da-doc/", {u: 302 for u in USERS}),
    "notifications:preferences": ("get", lambda o: "/thong-bao/tuy-chon/", ALL_200),
    "workflow:overdue": ("get", lambda o: "/han-xu-ly/qua-han/", ALL_200),
    # Interchange (issue 17): imports for who keeps the registry (secretariats, signers) or
    # administers; packages for the route's secretariat / the decision's readers.
    "interchange:home": ("get", lambda o: "/tich-hop/", ONLY(DECIDERS | {"administrator"})),
    "interchange:awards_import": ("get", lambda o: "/tich-hop/nhap-khen-thuong/", ONLY(DECIDERS)),
    "interchange:awards_template": (
        "get",
        lambda o: "/tich-hop/nhap-khen-thuong/mau.xlsx",
        ONLY(DECIDERS),
    ),
    "interchange:onboarding": ("get", lambda o: "/tich-hop/nhap-don-vi/", ONLY({"administrator"})),
    "interchange:onboarding_template": (
        "get",
        lambda o: "/tich-hop/nhap-don-vi/mau.xlsx",
        ONLY({"administrator"}),
    ),
    "interchange:dossier_package": (
        "get",
        lambda o: f"/tich-hop/ho-so/{o['draft'].pk}/goi-dien-tu.zip",
        ONLY(set()),  # a draft has no route yet; tests/interchange/test_packages.py: the rest
    ),
    "interchange:decision_package": (
        "get",
        lambda o: f"/tich-hop/quyet-dinh/{o['draft'].pk}/goi-van-ban.zip",
        ONLY(set()),  # these objects hold no decision; tests/interchange/test_packages.py
    ),
    # Webhooks: the organisation's secretariat or administrator (Xã Hợp Thành's endpoint).
    "webhooks:list": ("get", lambda o: "/tich-hop/webhook/", ONLY(DRAFTERS | {"administrator"})),
    "webhooks:add": (
        "get",
        lambda o: "/tich-hop/webhook/them/",
        ONLY(DRAFTERS | {"administrator"}),
    ),
    "webhooks:detail": (
        "get",
        lambda o: f"/tich-hop/webhook/{endpoint_of(o).pk}/",
        ONLY({"commune_secretariat_own"}),
    ),
    "webhooks:rotate": (
        "post",
        lambda o: f"/tich-hop/webhook/{endpoint_of(o).pk}/doi-khoa/",
        ONLY({"commune_secretariat_own"}, code=302),
    ),
    "webhooks:disable": (
        "post",
        lambda o: f"/tich-hop/webhook/{endpoint_of(o).pk}/ngung/",
        ONLY({"commune_secretariat_own"}, code=302),
    ),
    # Health checks for the load balancer: public, and say nothing but "ok" (config/health.py).
    "health_live": ("get", lambda o: "/healthz/", {u: 200 for u in USERS}),
    "health_ready": ("get", lambda o: "/readyz/", {u: 200 for u in USERS}),
    # Statistics and the role guides (issue 16): figures for who holds a role; guides for all.
    "reports:statistics": ("get", lambda o: "/thong-ke/", STATS),
    "reports:report_form": (
        "get",
        lambda o: f"/thong-ke/bieu/{ReportForm.objects.order_by('pk').first().pk}/",
        STATS,
    ),
    "reports:guides": ("get", lambda o: "/huong-dan/", ALL_200),
    "reports:guide": ("get", lambda o: "/huong-dan/proposer/", ALL_200),
    # Campaigns and clusters (issue 16): pages open to every signed-in user; writes to whom
    # the campaign or the cluster concerns.
    "campaigns:list": ("get", lambda o: "/phong-trao/", ALL_200),
    "campaigns:clusters": ("get", lambda o: "/cum-thi-dua/", ALL_200),
    "campaigns:detail": ("get", lambda o: f"/phong-trao/{o['campaign'].pk}/", ALL_200),
    "campaigns:cluster": ("get", lambda o: f"/cum-thi-dua/{o['cluster'].pk}/", ALL_200),
    "campaigns:report": (
        "get",
        lambda o: f"/phong-trao/{o['campaign'].pk}/bao-cao/",
        ONLY({"proposer_own", "head_own", "proposer_other"}),
    ),
    "campaigns:document": (
        "get",
        lambda o: f"/phong-trao/{o['campaign'].pk}/van-ban/",
        ONLY(set()),  # the demo campaign has no file: 404 to all
    ),
    "campaigns:score": (
        "get",
        lambda o: f"/cum-thi-dua/{o['cluster'].pk}/cham-diem/{o['member'].pk}/review/",
        # the cluster's standing office, or the organiser's secretariat (the province's)
        ONLY({"province_secretariat"}),
    ),
    "campaigns:role_model": (
        "get",
        lambda o: f"/phong-trao/{o['campaign'].pk}/dien-hinh/",
        ONLY({"proposer_own", "head_own", "proposer_other", "province_secretariat"}),
    ),
    "campaigns:role_model_advance": (
        "post",
        lambda o: f"/phong-trao/dien-hinh/{o['role_model'].pk}/chuyen-giai-doan/",
        ONLY({"province_secretariat"}, code=302),
    ),
    "campaigns:cluster_vote": (
        "post",
        lambda o: f"/cum-thi-dua/{o['cluster'].pk}/bo-phieu/",
        ONLY({"province_secretariat"}, code=302),  # a refusal or a step: a message
    ),
    "campaigns:cluster_propose": (
        "post",
        lambda o: f"/cum-thi-dua/{o['cluster'].pk}/de-nghi/",
        ONLY({"province_secretariat"}, code=302),  # a refusal or a step: a message
    ),
    "campaigns:cluster_submit": (
        "post",
        lambda o: f"/cum-thi-dua/{o['cluster'].pk}/gui/",
        ONLY({"province_secretariat"}, code=302),  # a refusal or a step: a message
    ),
}
# Patterns covered by one row on purpose (Django admin's own views, i18n plumbing). The REST
# API has its own matrix: tests/api/test_routes.py (every route refuses an anonymous caller)
# and tests/api/* (each endpoint: others' objects 404, the page's own querysets).
EXEMPT_NAMESPACES = {"admin", "api"}
EXEMPT_PATTERNS = {"javascript-catalog", "^"}


def url_names(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in EXEMPT_NAMESPACES:
                continue
            yield from url_names(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}" if p.name else str(p.pattern)


def test_every_url_has_a_row():
    covered = {name.split("@")[0] for name in ROWS}
    missing = sorted(set(url_names()) - covered - EXEMPT_PATTERNS)
    assert not missing, f"URLs without a permission-matrix row: {missing}"


def person(code: str) -> list[dict]:
    """A distinct nominee per dossier (the same person twice would be a duplicate reward)."""
    return [
        {
            "kind": "individual",
            "full_name": f"Vi Thị Hạnh {code}",
            "identity_code": code,
            "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ.",
        }
    ]


@pytest.fixture
def objects(demo, django_user_model):
    django_user_model.objects.create_superuser(USERS["superuser"], password="x" * 20)
    draft = f.make_draft(demo["th-hop-thanh"], nominee_fields=person("001190000001"))
    routed = f.submit_and_approve(
        f.make_draft(demo["th-hop-thanh"], nominee_fields=person("001190000002"))
    )
    in_review = f.make_draft(demo["th-hop-thanh"], nominee_fields=person("001190000003"))
    transitions.submit_dossier(in_review.pk, by=f.user("th-hop-thanh.thiduakhenthuong"))
    claimed = open_task(in_review)
    claim_task(claimed.pk, by=f.user("th-hop-thanh.thutruong"))
    return {
        "draft": draft,
        "routed": routed,
        "document": draft.documents.first(),
        "task": open_task(routed),
        "claimed": claimed,
    }


@pytest.fixture
def council_objects(objects, demo):
    seed_councils()
    commune = Council.objects.get(organisation__code="hop-thanh")
    province = Council.objects.get(organisation__code="lang-son")

    def meeting(council, unit, code, level, *, open_it=True):
        dossier = f.make_dossier_at_council(
            demo[unit], level=level, nominees=1, nominee_fields=person(code)
        )
        clerk = f.user(f"{council.organisation.code}.vanphong")
        m = councils.create_meeting(
            council.pk,
            by=clerk,
            title="Xét khen thưởng",
            scheduled_for=timezone.now(),
            place="Hội trường",
        )
        councils.add_to_agenda(m.pk, by=clerk, dossier_id=dossier.pk)
        if open_it:
            councils.open_meeting(m.pk, by=clerk)
        return m

    closed = meeting(commune, "th-hop-thanh", "001190000011", "intermediate")
    councils.close_meeting(closed.pk, by=f.user("hop-thanh.chutichhd"))
    return objects | {
        "meeting": meeting(commune, "th-hop-thanh", "001190000012", "intermediate"),
        "draft_meeting": meeting(
            commune, "th-hop-thanh", "001190000013", "intermediate", open_it=False
        ),
        "closed": closed,
        "province": meeting(province, "so-y-te", "001190000014", "provincial"),
    }


@pytest.fixture
def decision_objects(objects, demo):
    def draft(code: str):
        dossier = f.make_dossier_awaiting_decision(
            demo["so-y-te"], "bang-khen-tinh", nominees=1, nominee_fields=person(code)
        )
        ids = list(dossier.active_nominees().values_list("pk", flat=True))
        clerk = f.user("lang-son.vanphong")
        return decisions.create_draft(
            dossier.current_stage.organisation.pk,
            by=clerk,
            nominee_ids=ids,
            signer_name="Hoàng Văn Nghiệm",
        )

    issued = draft("001190000021")
    # Drafted and submitted by the secretariat, signed today by the signing authority
    # (decisions.services: the signing step; no future date, none before the council).
    decisions.submit_for_signature(issued.pk, by=f.user("lang-son.vanphong"))
    decisions.issue_decision(
        issued.pk, by=f.user("lang-son.lanhdao"), issued_on=timezone.localdate()
    )
    return objects | {
        "decision": draft("001190000022"),
        "entry": RegistryEntry.objects.get(decision=issued),
        "issued": issued,
        "hold": place_hold(
            by=f.user("hop-thanh.vanphong"),
            secretariat=demo["hop-thanh"],
            kind="inspection",
            body="Thanh tra tỉnh Lạng Sơn",
            started_on=date(2026, 11, 2),
            full_name="Vi Văn Thanh",
        ),
    }


@pytest.fixture
def campaign_objects(objects):
    """The demo province's campaign and cluster (campaigns.demo), as `make run` has them."""
    seed_campaigns()
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    cluster = Cluster.objects.order_by("pk").first()
    return objects | {
        "campaign": campaign,
        "cluster": cluster,
        "member": ClusterMember.objects.filter(cluster_year__cluster=cluster).first(),
        "role_model": RoleModel.objects.filter(campaign=campaign).first(),
    }


@pytest.mark.parametrize("row", sorted(ROWS))
def test_matrix(client, db, request, row):
    method, path_of, expected = ROWS[row]
    needs = {
        "councils": "council_objects",
        "decisions": "decision_objects",
        "registry": "decision_objects",
        "campaigns": "campaign_objects",
    }.get(row.split(":")[0], "objects")
    if row == "decisions:minutes_pdf":
        needs = "council_objects"
    elif row.startswith("verify"):
        needs = "decision_objects"
    objects = request.getfixturevalue(needs)
    failures = []
    for who, username in USERS.items():
        client.logout()
        if username:
            client.force_login(f.user(username))
        data = {"language": "vi", "category": "minutes"} if method == "post" else None
        response = getattr(client, method)(path_of(objects), data)
        if response.status_code != expected[who]:
            failures.append(f"{who}: {response.status_code} (expected {expected[who]})")
    assert not failures, f"{row}: " + "; ".join(failures)
