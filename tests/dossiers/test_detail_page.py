"""The dossier page explains itself (issue 12): what a user of each role reads on it.

Each test reads the page as its user would: the route as a stepper, human names instead of
codes, each action in its own box, the links to the eligibility check and the tờ trình, and
the confirmation page before an irreversible step.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from decisions import services as decisions
from decisions.queries import decisions_visible_to
from dossiers.models import Dossier
from registry.services import import_award
from tests import factories as f
from workflow import services as transitions

UNIT = "th-hop-thanh"
PROPOSER = f"{UNIT}.thiduakhenthuong"
RAW_CODES = (
    "achievement_report",
    "submission_letter",
    "minutes,",
    "rs-2025",
    "bang-khen-tinh",
    "intermediate",
    "provincial_appraisal",
    "unit_review",
)


def page(client, username: str, dossier) -> str:
    client.force_login(f.user(username))
    response = client.get(f"/ho-so/{dossier.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def visible_text(html: str) -> str:
    """What a reader sees: the main content without tags and attributes."""
    return re.sub(r"<[^>]+>", " ", main_of(html))


def step_states(html: str) -> list[str]:
    return re.findall(r"stepper__step--(\w+)", html)


def section(html: str, title_id: str) -> str:
    start = html.index(f'aria-labelledby="{title_id}"')
    end = html.find('class="page-section"', start + 1)
    return html[start : end if end != -1 else len(html)]


def test_a_draft_shows_the_route_planned_today_and_names_every_code(client, demo):
    dossier = f.make_draft(demo[UNIT], documents=False)
    html = page(client, PROPOSER, dossier)
    text = visible_text(html)

    # The stepper: the unit now, then the commune and the province, then the decision.
    route = section(html, "route-title")
    assert step_states(route) == ["current", "ahead", "ahead", "ahead"]
    assert route.index("Trường Tiểu học Hợp Thành") < route.index("Xã Hợp Thành")
    assert route.index("Xã Hợp Thành") < route.index("Tỉnh Lạng Sơn")
    assert "Quyết định khen thưởng" in route
    assert 'aria-current="step"' in route
    assert "10 ngày làm việc" in route  # the commune's limit, before it starts running

    # Missing documents by their names, the rule set by its name: no code shows through.
    assert "Còn thiếu tài liệu bắt buộc" in text
    for name in ("Tờ trình kèm danh sách", "Báo cáo thành tích", "Biên bản họp Hội đồng đơn vị"):
        assert name in text
    assert "Nghị định 152/2025" in text
    for code in RAW_CODES:
        assert code not in text, code

    # The eligibility check and the generated tờ trình are reachable from the page.
    assert f'href="/ho-so/{dossier.pk}/dieu-kien/"' in html
    assert f'href="{reverse("decisions:letter", args=[dossier.pk])}"' in html


def test_a_draft_whose_award_is_closed_to_its_unit_explains_why(client, demo):
    dossier = f.make_draft(demo[UNIT], documents=False)
    # The route is planned today: an award form whose deciding stage finds nobody (here: its
    # stages removed by an administrator) cannot be planned, and the page says so in words.
    dossier.award_type.stages.all().delete()
    html = page(client, PROPOSER, dossier)
    route = section(html, "route-title")
    assert step_states(route) == []
    assert "không áp dụng cho đơn vị" in route


def test_under_way_the_stepper_marks_done_current_and_ahead_with_the_clock(client, demo):
    dossier = f.submit_and_approve(f.make_draft(demo[UNIT]))
    secretariat = f.stage_secretariat(dossier)
    transitions.accept_dossier(dossier.pk, by=secretariat)
    html = page(client, secretariat.username, dossier)
    route = section(html, "route-title")
    assert step_states(route) == ["done", "current", "ahead", "ahead"]
    current = route[route.index("stepper__step--current") : route.index("stepper__step--ahead")]
    assert "Xã Hợp Thành" in current
    assert "Hạn " in current
    assert "ngày làm việc" in current
    summary = main_of(html)[: main_of(html).index('id="actions-title"')]
    assert "Cấp xã/huyện tiếp nhận, thẩm định" in summary  # the state by its name
    assert "Người xử lý tiếp" in summary
    assert "Xã Hợp Thành" in summary


def test_each_action_has_its_own_form_and_irreversible_ones_link_to_a_confirmation(client, demo):
    dossier = f.make_draft(demo[UNIT])
    html = page(client, PROPOSER, dossier)
    actions = section(html, "actions-title")
    forms = re.findall(r"<form .*?</form>", actions, flags=re.S)
    submit = [form for form in forms if "/thao-tac/submit/" in form]
    assert len(submit) == 1
    # Nothing of the withdrawal sits in the submit form: no reason, no confirmation box.
    assert 'name="reason"' not in submit[0]
    assert 'name="confirm"' not in submit[0]
    assert "data-once" in submit[0]
    # Withdrawal is a link to its confirmation page, not a button that acts at once.
    assert not any("/thao-tac/withdraw/" in form for form in forms)
    assert f'href="/ho-so/{dossier.pk}/thao-tac/withdraw/"' in actions


def test_withdrawal_goes_through_its_confirmation_page(client, demo):
    dossier = f.make_draft(demo[UNIT])
    client.force_login(f.user(PROPOSER))
    url = f"/ho-so/{dossier.pk}/thao-tac/withdraw/"

    confirm = client.get(url)
    assert confirm.status_code == 200
    text = visible_text(confirm.content.decode())
    assert "không thể hoàn tác" in text
    assert "Đã rút" in text
    assert "Không, quay lại hồ sơ" in text
    assert "Có, rút hồ sơ" in text
    assert Dossier.objects.get(pk=dossier.pk).status == "draft"  # looking changes nothing

    # No reason: the page comes back with the error summary linking to the field.
    refused = client.post(url, {"reason": "  ", "confirm": "on"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_reason"' in html
    assert 'aria-invalid="true"' in html
    assert Dossier.objects.get(pk=dossier.pk).status == "draft"

    done = client.post(url, {"reason": "Đơn vị chưa đủ minh chứng", "confirm": "on"}, follow=True)
    assert Dossier.objects.get(pk=dossier.pk).status == "withdrawn"
    text = visible_text(done.content.decode())
    assert "Lý do rút hồ sơ" in text
    assert "Đơn vị chưa đủ minh chứng" in text

    # Once withdrawn, the confirmation page is gone: the dossier says why instead.
    again = client.get(url, follow=True)
    assert again.redirect_chain[-1][0] == f"/ho-so/{dossier.pk}/"
    assert "Không thể" in visible_text(again.content.decode())


def test_a_post_without_confirmation_is_sent_to_the_confirmation_page(client, demo):
    dossier = f.make_draft(demo[UNIT])
    client.force_login(f.user(PROPOSER))
    url = f"/ho-so/{dossier.pk}/thao-tac/withdraw/"
    response = client.post(url, {"reason": "Rút"})
    assert response.status_code == 302
    assert response["Location"] == url
    assert Dossier.objects.get(pk=dossier.pk).status == "draft"


def test_results_show_as_tags_with_the_council_and_the_drop_reason(client, demo):
    dossier = f.make_dossier_at_council(demo[UNIT], nominees=2)
    failed = dossier.active_nominees().last()
    dossier = f.pass_council(dossier, failed=[failed.pk])
    html = page(client, PROPOSER, dossier)
    nominees = section(html, "nominees-title")
    assert '<strong class="tag tag--green">Đạt</strong>' in nominees
    assert '<strong class="tag tag--red">Không đạt</strong>' in nominees
    council = section(html, "council-title")
    assert "Tỉnh Lạng Sơn" in council
    assert "Xã Hợp Thành" in council
    assert failed.full_name in council
    assert "passed" not in visible_text(html)
    assert "failed" not in visible_text(html)


def test_the_eligibility_panel_lists_prior_awards_and_each_rules_verdict(client, demo):
    dossier = f.make_draft(demo[UNIT])
    nominee = dossier.nominees.get()
    import_award(
        by=f.user("lang-son.vanphong"),
        issuer=demo["lang-son"],
        unit=demo[UNIT],
        full_name=nominee.full_name,
        identity_code=nominee.identity_code,
        award_code="cstdcs",
        award_name="Chiến sĩ thi đua cơ sở",
        year=2023,
        decision_label="Số: 12/QĐ-UBND",
        decision_date=date(2023, 12, 20),
    )
    panel = section(page(client, PROPOSER, dossier), "eligibility-title")
    assert nominee.full_name in panel
    assert "Chiến sĩ thi đua cơ sở" in panel
    assert "năm 2023" in panel
    assert "Trùng khen thưởng" in panel  # a rule by its name, with its verdict as a tag
    assert "tag--green" in panel or "tag--red" in panel
    assert f'href="/ho-so/{dossier.pk}/dieu-kien/"' in panel


def test_decisions_are_linked_for_those_who_may_see_them(client, demo):
    dossier = f.make_dossier_awaiting_decision(demo[UNIT], nominees=1)
    route = section(page(client, PROPOSER, dossier), "route-title")
    assert step_states(route)[-1] == "current"  # the decision is the step under way
    secretariat = f"{dossier.current_stage.organisation.code}.vanphong"
    draft = decisions.create_draft(
        dossier.current_stage.organisation_id,
        by=f.user(secretariat),
        nominee_ids=[n.pk for n in dossier.active_nominees()],
    )
    link = f'href="{reverse("decisions:detail", args=[draft.pk])}"'
    assert link in section(page(client, secretariat, dossier), "papers-title")
    # Someone who sees the dossier but not the decision gets no dead link.
    outsider = "lang-son.uyvien"  # a council member: sees the dossier, drafts nothing
    html = page(client, outsider, dossier)
    assert (link in html) == decisions_visible_to(f.user(outsider)).filter(pk=draft.pk).exists()


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_a_withdrawn_draft_explains_that_it_never_left_the_unit(client, demo, status):
    dossier = f.make_draft(demo[UNIT])
    if status == "withdrawn":
        transitions.withdraw_dossier(dossier.pk, by=f.user(PROPOSER), reason="Nhầm hình thức")
    route = section(page(client, PROPOSER, dossier), "route-title")
    if status == "withdrawn":
        assert step_states(route) == []
        assert "chưa qua bước nào" in route
    else:
        assert step_states(route)[0] == "current"
