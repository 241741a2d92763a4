"""The home page per role: what waits for the user, soonest deadline first, each count a link
to the dossier list filtered to exactly those dossiers. Dossiers go through the services."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.demo import seed_councils
from councils.models import CouncilMember
from decisions import services as decisions
from organisations.roles import Role
from organisations.services import assign_role
from tests import factories
from tests.dashboards.bulk import bulk_draft_decisions, bulk_open_meetings
from tests.factories import (
    make_dossier_awaiting_decision,
    stage_secretariat,
    submit_and_approve,
    user,
)
from workflow import services as transitions

pytestmark = pytest.mark.django_db

UNIT = "th-hop-thanh"
_people = iter(range(1, 10_000))


def make_draft(unit, **kwargs):
    """A draft with a nominee of its own (one person in two open dossiers is refused)."""
    n = next(_people)
    fields = {
        "kind": "individual",
        "full_name": f"Hoàng Thị Mai {n}",
        "birth_year": 1980 + n % 20,
        "gender": "female",
        "position": "Giáo viên",
        "organisation_name": unit.name,
        "identity_code": f"0011900{n:05d}",
        "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm học.",
    }
    return factories.make_draft(unit, nominee_fields=[fields], **kwargs)


def home(client, username: str) -> str:
    client.force_login(user(username))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, key: str) -> str:
    """The HTML of one task-list section (from its <li id> to the next section)."""
    start = html.find(f'id="section-{key}"')
    assert start >= 0, f"no section {key}"
    ends = [html.find(m, start + 1) for m in ('class="task-list-item"', "</section>")]
    return html[start : min(e for e in ends if e > 0)]


def count_of(html: str, key: str) -> int:
    return int(re.search(r'<strong class="tag[^"]*">(\d+)', section(html, key)).group(1))


def test_the_proposer_sees_drafts_returned_with_reason_and_under_way_with_stage_and_due(
    client, demo
):
    draft = make_draft(demo[UNIT])
    returned = submit_and_approve(make_draft(demo[UNIT]))
    transitions.return_for_supplement(
        returned.pk, by=stage_secretariat(returned), reason="Thiếu biên bản họp xét."
    )
    moving = submit_and_approve(make_draft(demo[UNIT]))
    transitions.accept_dossier(moving.pk, by=stage_secretariat(moving))

    html = home(client, f"{UNIT}.thiduakhenthuong")

    assert draft.reference in section(html, "drafts")
    assert count_of(html, "drafts") == 1
    assert "Thiếu biên bản họp xét." in section(html, "returned")
    under_way = section(html, "under_way")
    assert moving.reference in under_way
    assert "Xã Hợp Thành" in under_way  # the stage it is at
    assert "Hạn " in under_way  # its due date, from the running clock
    assert returned.reference not in under_way


def test_a_count_links_to_the_list_of_exactly_those_dossiers(client, demo):
    first = submit_and_approve(make_draft(demo[UNIT]))
    second = submit_and_approve(make_draft(demo[UNIT]))
    make_draft(demo[UNIT])  # a draft: never shown above the unit

    html = home(client, "hop-thanh.vanphong")
    assert count_of(html, "to_receive") == 2
    link = re.search(r'href="([^"]+task=to_receive)"', html).group(1)
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert first.reference in listed
    assert second.reference in listed
    assert "Tìm thấy 2 hồ sơ" in listed

    transitions.accept_dossier(first.pk, by=user("hop-thanh.vanphong"))
    html = home(client, "hop-thanh.vanphong")
    assert count_of(html, "to_receive") == 1
    assert first.reference in section(html, "to_appraise")


def test_another_units_proposer_and_another_communes_secretariat_see_none_of_it(client, demo):
    dossier = submit_and_approve(make_draft(demo[UNIT]))
    assert dossier.reference not in home(client, "xuat-le.vanphong")
    assert dossier.reference not in home(client, "hop-thanh.thiduakhenthuong")


def test_a_user_with_two_roles_sees_both_task_lists(client, demo):
    both = user(f"{UNIT}.thiduakhenthuong")
    assign_role(both, organisation=demo["hop-thanh"], role=Role.SECRETARIAT)
    arrived = submit_and_approve(make_draft(demo[UNIT]))

    html = home(client, both.username)

    assert 'id="group-proposer"' in html
    assert 'id="group-secretariat"' in html
    assert arrived.reference in section(html, "under_way")
    assert arrived.reference in section(html, "to_receive")


def test_the_secretariat_sees_what_awaits_a_decision_until_a_draft_is_made(client, demo):
    dossier = make_dossier_awaiting_decision(demo[UNIT], nominees=1)
    secretariat = f"{dossier.current_stage.organisation.code}.vanphong"
    assert dossier.reference in section(home(client, secretariat), "to_decide")

    decisions.create_draft(
        dossier.current_stage.organisation_id,
        by=user(secretariat),
        nominee_ids=[n.pk for n in dossier.active_nominees()],
    )
    html = home(client, secretariat)
    assert count_of(html, "to_decide") == 0
    signer = home(client, f"{dossier.current_stage.organisation.code}.lanhdao")
    assert count_of(signer, "to-sign") == 1


def test_the_council_member_sees_ballots_with_their_closing_time(client, demo):
    seed_councils()
    member = CouncilMember.objects.get(
        council__organisation=demo["lang-son"], user__username="lang-son.uyvien"
    )
    (meeting,) = bulk_open_meetings(
        1, council=member.council, member=member, created_by=user("lang-son.vanphong")
    )
    html = home(client, "lang-son.uyvien")
    ballots = section(html, "ballots")
    assert meeting.title in ballots
    closes = timezone.localtime(meeting.voting_closes_at).strftime("%H:%M %d/%m/%Y")
    assert closes in ballots
    assert reverse("councils:ballot", args=[meeting.pk]) in ballots


def test_the_signing_authority_sees_drafts_awaiting_signature(client, demo):
    bulk_draft_decisions(2, issuer=demo["lang-son"], created_by=user("lang-son.vanphong"))
    html = home(client, "lang-son.lanhdao")
    assert count_of(html, "to-sign") == 2
    assert reverse("decisions:list") in section(html, "to-sign")
    assert 'id="group-proposer"' not in html


def test_the_administrator_gets_the_configuration_and_user_links(client, demo):
    html = home(client, "lang-son.quantri")
    assert reverse("admin:auth_user_changelist") in html
    assert reverse("admin:dossiers_ruleset_changelist") in html
    assert 'id="group-secretariat"' not in html


def test_a_user_without_a_role_is_told_to_ask_the_administrator(client, demo, django_user_model):
    nobody = django_user_model.objects.create_user("khach", password="x")
    client.force_login(nobody)
    html = client.get(reverse("home")).content.decode()
    assert "Bạn chưa được giao vai trò nào" in html
    assert "task-list" not in html


def test_the_soonest_deadline_comes_first(client, demo):
    late = submit_and_approve(make_draft(demo[UNIT]))
    soon = submit_and_approve(make_draft(demo[UNIT]))
    secretariat = user("hop-thanh.vanphong")
    today = timezone.localdate()
    transitions.accept_dossier(late.pk, by=secretariat, received_on=today)
    transitions.accept_dossier(
        soon.pk, by=secretariat, received_on=today - timezone.timedelta(days=14)
    )
    rows = section(home(client, "hop-thanh.vanphong"), "to_appraise")
    assert rows.index(soon.reference) < rows.index(late.reference)
