"""A one-page guide per role, for staff who take over a post (issue 16, "staff turnover").

Nothing here is written twice: the guide is generated from what the product already says.
- what the role may do: the permissions its role grants (organisations.roles);
- when it is the role's turn: the states whose actor it is (workflow.actors.ACTORS), and the
  steps it can take there, named as the dossier's history names them (the audit labels of
  the transitions, dossiers.templatetags.khenthuong.ACTION_LABELS), each with the state the
  dossier goes to next;
- when it is told: the states whose arrival notice it receives;
- the fields it fills: the labels and help texts of the forms of its pages (the forms'
  own `base_fields`, so a help text edited on a form is edited in the guide).
"""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from councils.forms import BallotForm, MeetingForm, WrittenOpinionForm
from decisions.forms import DraftForm, IssueForm, ReturnForm, SubmitForm
from dossiers.admin_forms import RouteStageForm
from dossiers.forms import DossierForm, NomineeForm
from dossiers.models import AwardType, Dossier
from dossiers.templatetags.khenthuong import ACTION_LABELS
from organisations.roles import PERMISSION_LABELS, ROLE_PERMISSIONS, Role
from registry.forms import ClearHoldForm, HoldForm, OverrideForm
from workflow.actors import ACTORS
from workflow.states import DossierStatus

# The roles a guide is printed for; the council chair reads the council member's guide and
# the chair's own line in it.
GUIDE_ROLES = (
    Role.PROPOSER,
    Role.UNIT_HEAD,
    Role.SECRETARIAT,
    Role.COUNCIL_MEMBER,
    Role.COUNCIL_CHAIR,
    Role.SIGNING_AUTHORITY,
    Role.ADMINISTRATOR,
)
# The forms each role fills on its pages.
FORMS: dict[str, tuple[tuple[str, type[forms.BaseForm]], ...]] = {
    Role.PROPOSER: (
        (_("Tờ trình (hồ sơ)"), DossierForm),
        (_("Người, tập thể được đề nghị"), NomineeForm),
    ),
    Role.UNIT_HEAD: ((_("Tờ trình (hồ sơ)"), DossierForm),),
    Role.SECRETARIAT: (
        (_("Ngoại lệ về điều kiện"), OverrideForm),
        (_("Tạm dừng xét khen thưởng"), HoldForm),
        (_("Bỏ tạm dừng xét khen thưởng"), ClearHoldForm),
        (_("Phiên họp Hội đồng"), MeetingForm),
        (_("Dự thảo quyết định"), DraftForm),
        (_("Trình ký"), SubmitForm),
    ),
    Role.COUNCIL_MEMBER: (
        (_("Phiếu bầu"), BallotForm),
        (_("Ý kiến bằng văn bản của thành viên vắng mặt"), WrittenOpinionForm),
    ),
    Role.COUNCIL_CHAIR: (
        (_("Phiên họp Hội đồng"), MeetingForm),
        (_("Phiếu bầu"), BallotForm),
    ),
    Role.SIGNING_AUTHORITY: (
        (_("Ký, ban hành quyết định"), IssueForm),
        (_("Trả lại dự thảo"), ReturnForm),
    ),
    Role.ADMINISTRATOR: ((_("Bước của quy trình"), RouteStageForm),),
}
PERMISSION_TEXT = dict(PERMISSION_LABELS)


@dataclass(frozen=True)
class Step:
    label: str
    next_states: tuple[str, ...]


@dataclass(frozen=True)
class Turn:
    state: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class FieldHelp:
    label: str
    help_text: str
    required: bool


@dataclass
class Guide:
    role: str
    title: str
    may: list[str] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    told: list[str] = field(default_factory=list)
    forms: list[tuple[str, list[FieldHelp]]] = field(default_factory=list)


def _state_label(value) -> str:
    try:
        return str(DossierStatus(value).label)
    except ValueError:
        return str(value)


def _targets(transition) -> tuple[str, ...]:
    target = transition.target
    if target is None:  # the dossier stays where it is (its clock starts, for instance)
        return ()
    if isinstance(target, str):
        return (_state_label(target),)
    allowed = getattr(target, "allowed_states", None) or ()
    return tuple(_state_label(s) for s in allowed)


def _transitions_from(state: str) -> list[Step]:
    status = Dossier._meta.get_field("status")
    steps: dict[str, Step] = {}
    for transition in status.get_all_transitions(Dossier):
        if transition.source not in (state, "*", "+"):
            continue
        label = str(ACTION_LABELS.get(transition.name, transition.name))
        if label in steps:  # one step reached from several sources, or several targets
            merged = tuple(dict.fromkeys(steps[label].next_states + _targets(transition)))
            steps[label] = Step(label, merged)
        else:
            steps[label] = Step(label, _targets(transition))
    return list(steps.values())


def _fields(form_class: type[forms.BaseForm]) -> list[FieldHelp]:
    return [
        FieldHelp(
            label=str(f.label or name),
            help_text=str(f.help_text or ""),
            required=bool(f.required),
        )
        for name, f in form_class.base_fields.items()
        if not isinstance(f.widget, forms.HiddenInput)
    ]


def guide_for(role: str) -> Guide:
    """The guide of `role` (a Role value); ValueError for an unknown role."""
    role = Role(role)
    guide = Guide(role=role.value, title=str(role.label))
    guide.may = [str(PERMISSION_TEXT[c]) for c in ROLE_PERMISSIONS.get(role, ())]
    for state, actors in ACTORS.items():
        if actors.acts is not None and role in actors.acts.roles:
            guide.turns.append(
                Turn(state=_state_label(state), steps=tuple(_transitions_from(state)))
            )
        if any(role in actor.roles for actor in actors.told):
            guide.told.append(_state_label(state))
    guide.forms = [(str(title), _fields(form)) for title, form in FORMS.get(role, ())]
    return guide


def award_forms_help() -> list[FieldHelp]:
    """The award catalogue's help texts (administrators edit the catalogue)."""
    return [
        FieldHelp(label=str(f.verbose_name), help_text=str(f.help_text), required=False)
        for f in AwardType._meta.get_fields()
        if getattr(f, "help_text", "")
    ]
