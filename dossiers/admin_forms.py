"""Typed admin forms for the catalogue: nobody types JSON or a code by hand (issue 12).

- `RuleSetForm`: the legal bases (căn cứ) one per line, not a JSON list.
- `RouteStageForm`: the levels as check boxes of organisation levels; the vote rule and the
  quorum as fractions with a named comparison (≥ / >), checked to be proper fractions. The
  unit stage has no level (the proposing unit acts itself), which the JSON field of the model
  refused as "required": no seeded award form could be saved.
- `AwardTypeForm`: `AwardType.eligibility` (read by registry/eligibility.py, format in
  docs/eligibility.md) as typed fields. Saving writes the same JSON back: the keys the form
  edits are rebuilt on top of the stored object, so every key it does not know — `"bases"`,
  `"provincial"`, `"to_confirm"`, `"note"` inside a parameter, rules not coded yet — stays as
  it was (dossiers/catalogue.py seeds them).

Every refusal names the field and the reason, in Vietnamese (English via the catalogue).
"""

import copy
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Level
from workflow.states import StageTier

from .models import AwardType, RouteStage, RuleSet

# The keys of AwardType.eligibility this form edits (registry.eligibility's names).
CONSECUTIVE = "consecutive"
SAME_YEAR = "requires_same_year"
QUOTA = "quota"
MEMBER_SHARE = "member_share"
INITIATIVE = "initiative"
CATEGORY = "category"
BASES = "bases"

COMPARISONS = [
    ("false", _("Từ tỷ lệ này trở lên (≥)")),
    ("true", _("Trên tỷ lệ này (>)")),
]


def _as_bool(value: Any) -> bool:
    return value in (True, "true", "True", "1", "on")


class ComparisonField(forms.TypedChoiceField):
    """A strict/at-least flag shown as the two comparisons it means."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", COMPARISONS)
        kwargs.setdefault("coerce", _as_bool)
        kwargs.setdefault("empty_value", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value in (None, ""):
            return value
        return "true" if _as_bool(value) else "false"


def check_fraction(form: forms.Form, num_field: str, den_field: str, what) -> None:
    """num/den is a proper fraction: den ≥ 1 and 0 < num ≤ den; errors on the fields."""
    num, den = form.cleaned_data.get(num_field), form.cleaned_data.get(den_field)
    if num is None or den is None:
        return
    if den < 1:
        form.add_error(den_field, _("%(what)s: mẫu số phải từ 1 trở lên.") % {"what": what})
    elif num < 1:
        form.add_error(num_field, _("%(what)s: tử số phải từ 1 trở lên.") % {"what": what})
    elif num > den:
        form.add_error(
            num_field,
            _("%(what)s: tử số (%(num)s) không được lớn hơn mẫu số (%(den)s).")
            % {"what": what, "num": num, "den": den},
        )


# --- rule sets ----------------------------------------------------------------------------


class LinesField(forms.CharField):
    """A list of strings, one per line (blank lines dropped)."""

    widget = forms.Textarea(attrs={"rows": 5, "cols": 90})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            return [str(item).strip() for item in value if str(item).strip()]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class RuleSetForm(forms.ModelForm):
    legal_bases = LinesField(
        label=_("Căn cứ pháp lý"),
        required=False,
        help_text=_(
            "Mỗi dòng một căn cứ, không có dấu “;” ở cuối; quyết định in theo đúng thứ tự này."
        ),
    )

    class Meta:
        model = RuleSet
        fields = (
            "code",
            "name",
            "valid_from",
            "valid_to",
            "legal_bases",
            "incompleteness_notice_days",
            "disclosure_days",
        )

    def clean_legal_bases(self) -> list[str]:
        lines = self.cleaned_data["legal_bases"]
        for number, line in enumerate(lines, start=1):
            if line.endswith((";", ".")):
                raise forms.ValidationError(
                    _(
                        "Căn cứ pháp lý: dòng %(n)s kết thúc bằng dấu “%(mark)s”; bỏ dấu này, "
                        "quyết định tự thêm dấu “;” và “.”."
                    ),
                    params={"n": number, "mark": line[-1]},
                )
        return lines

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error(
                "valid_to",
                _("Áp dụng đến ngày: phải từ ngày %(start)s trở đi.")
                % {"start": start.strftime("%d/%m/%Y")},
            )
        return cleaned


# --- route stages -------------------------------------------------------------------------


class RouteStageForm(forms.ModelForm):
    levels = forms.MultipleChoiceField(
        label=_("Cấp thực hiện"),
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Bước do cơ quan cấp nào thực hiện: cấp gần nhất phía trên đơn vị đề nghị. Bước "
            "của đơn vị đề nghị không chọn cấp (đơn vị tự thực hiện)."
        ),
    )
    threshold_strict = ComparisonField(label=_("Cách so sánh tỷ lệ đồng ý"))
    quorum_strict = ComparisonField(label=_("Cách so sánh điều kiện họp"))

    class Meta:
        model = RouteStage
        fields = (
            "position",
            "tier",
            "levels",
            "has_council",
            "basis",
            "note",
            "limit_days",
            "consultation",
            "limit_days_with_consultation",
            "limit_days_simplified",
            "threshold_num",
            "threshold_den",
            "threshold_strict",
            "threshold_base",
            "count_written_votes",
            "quorum_num",
            "quorum_den",
            "quorum_strict",
            "secret_ballot",
            "recuse_proposing_unit",
            "party_opinion_required",
            "party_opinion_basis",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("basis", "note", "party_opinion_basis"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "vLargeTextField"
        if self.instance.pk and "levels" in self.fields:
            self.initial["levels"] = list(self.instance.levels or [])

    def clean_levels(self) -> list[str]:
        return list(self.cleaned_data.get("levels") or [])

    def clean(self):
        cleaned = super().clean()
        tier, levels = cleaned.get("tier"), cleaned.get("levels") or []
        if tier == StageTier.UNIT and levels:
            self.add_error(
                "levels",
                _(
                    "Cấp thực hiện: bước “Đơn vị đề nghị” do chính đơn vị thực hiện, không "
                    "chọn cấp; bỏ chọn các cấp."
                ),
            )
        elif tier in (StageTier.INTERMEDIATE, StageTier.PROVINCIAL) and not levels:
            self.add_error(
                "levels",
                _("Cấp thực hiện: chọn ít nhất một cấp cho bước “%(tier)s”.")
                % {"tier": StageTier(tier).label},
            )
        check_fraction(self, "threshold_num", "threshold_den", _("Tỷ lệ đồng ý"))
        check_fraction(self, "quorum_num", "quorum_den", _("Điều kiện họp"))
        limit = cleaned.get("limit_days")
        if limit is not None and limit < 1:
            self.add_error("limit_days", _("Thời hạn: phải từ 1 ngày làm việc trở lên."))
        for name in ("limit_days_with_consultation", "limit_days_simplified"):
            value = cleaned.get(name)
            if value is not None and value < 1:
                self.add_error(name, _("Thời hạn: phải từ 1 ngày làm việc trở lên, hoặc để trống."))
        if cleaned.get("party_opinion_required") and not cleaned.get("party_opinion_basis"):
            self.add_error(
                "party_opinion_basis",
                _("Căn cứ lấy ý kiến Ban Thường vụ Tỉnh ủy: ghi văn bản quy định bước này."),
            )
        return cleaned


# --- award types: the eligibility parameters as fields -----------------------------------


def award_code_choices(extra: set[str] = frozenset()) -> list[tuple[str, str]]:
    """Every award code of the catalogue with its name (codes are stable across rule sets:
    the newest rule set's name is shown), plus codes a stored rule names that no form has."""
    names: dict[str, str] = {}
    for code, name in AwardType.objects.order_by("rule_set__valid_from").values_list(
        "code", "name"
    ):
        names[code] = name
    for code in extra:
        names.setdefault(code, code)
    return sorted(((c, f"{n} ({c})") for c, n in names.items()), key=lambda item: item[1])


class AwardTypeForm(forms.ModelForm):
    """The award form with its eligibility parameters as typed fields (docs/eligibility.md)."""

    category = forms.ChoiceField(
        label=_("Loại khen thưởng"),
        required=False,
        choices=[
            ("", _("Theo mã (Bằng khen, Giấy khen, Huân chương… là hình thức)")),
            ("title", _("Danh hiệu thi đua")),
            ("form", _("Hình thức khen thưởng")),
        ],
        help_text=_(
            "Một thành tích chỉ được tặng một hình thức khen thưởng; các danh hiệu thi đua "
            "được xét cùng nhau (Luật Thi đua, khen thưởng năm 2022)."
        ),
    )
    consecutive_on = forms.BooleanField(
        label=_("Yêu cầu đạt liên tục nhiều năm trước"), required=False
    )
    consecutive_of = forms.ChoiceField(label=_("Danh hiệu phải đạt liên tục"), required=False)
    consecutive_years = forms.IntegerField(
        label=_("Số năm liên tục"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=_("Ví dụ: Chiến sĩ thi đua cấp tỉnh cần 3 năm liên tục Chiến sĩ thi đua cơ sở."),
    )
    consecutive_basis = forms.CharField(
        label=_("Căn cứ (số năm liên tục)"), required=False, max_length=255
    )
    same_year = forms.MultipleChoiceField(
        label=_("Phải có trong cùng năm"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ví dụ: Chiến sĩ thi đua cơ sở cần Lao động tiên tiến cùng năm."),
    )
    same_year_basis = forms.CharField(
        label=_("Căn cứ (điều kiện cùng năm)"), required=False, max_length=255
    )
    initiative_required = forms.BooleanField(
        label=_("Cần sáng kiến (hoặc đề tài, giải pháp) được công nhận"), required=False
    )
    quota_on = forms.BooleanField(
        label=_("Áp dụng hạn mức của đơn vị"),
        required=False,
        help_text=_(
            "Tắt theo mặc định: không có hạn mức toàn quốc (Luật TĐKT 2022, Nghị định "
            "98/2023/NĐ-CP, 152/2025/NĐ-CP); tỉnh có thể quy định."
        ),
    )
    quota_of = forms.ChoiceField(label=_("Hạn mức tính trên số"), required=False)
    quota_num = forms.IntegerField(label=_("Hạn mức – tử số"), required=False, min_value=0)
    quota_den = forms.IntegerField(label=_("Hạn mức – mẫu số"), required=False, min_value=0)
    quota_basis = forms.CharField(label=_("Căn cứ (hạn mức)"), required=False, max_length=255)
    member_share_on = forms.BooleanField(
        label=_("Yêu cầu tỷ lệ thành viên của tập thể"), required=False
    )
    member_share_of = forms.ChoiceField(label=_("Thành viên đạt danh hiệu"), required=False)
    member_share_num = forms.IntegerField(label=_("Tỷ lệ – tử số"), required=False, min_value=0)
    member_share_den = forms.IntegerField(label=_("Tỷ lệ – mẫu số"), required=False, min_value=0)
    member_share_strict = ComparisonField(label=_("Cách so sánh tỷ lệ"), required=False)
    member_share_basis = forms.CharField(
        label=_("Căn cứ (tỷ lệ thành viên)"), required=False, max_length=255
    )
    member_share_note = forms.CharField(
        label=_("Ghi chú (tỷ lệ thành viên)"), required=False, max_length=255
    )

    class Meta:
        model = AwardType
        fields = (  # eligibility: written by save() from the typed fields below
            "rule_set",
            "code",
            "is_active",
            "name",
            "subject",
            "deciding_authority",
            "basis",
            "note",
            "decision_title",
            "posting_days",
            "posting_basis",
            "prize_multiple",
            "prize_multiple_collective",
            "prize_note",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "rule_set" in self.fields:
            self.fields["rule_set"].label = _("Bộ quy tắc")
        for name in ("basis", "note", "decision_title", "posting_basis", "prize_note"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "vLargeTextField"
        for name in ("consecutive_basis", "same_year_basis", "quota_basis", "member_share_basis"):
            self.fields[name].widget.attrs["class"] = "vLargeTextField"
        self.fields["member_share_note"].widget.attrs["class"] = "vLargeTextField"
        rules = self.stored_rules()
        named = self._codes_named(rules)
        choices = award_code_choices(named)
        for name in ("consecutive_of", "quota_of", "member_share_of"):
            self.fields[name].choices = [("", "---------"), *choices]
        self.fields["same_year"].choices = choices
        self.initial.update(self.initial_from(rules))

    # -- reading the stored JSON ------------------------------------------------------------
    def stored_rules(self) -> dict:
        return copy.deepcopy(dict(self.instance.eligibility or {}))

    @staticmethod
    def _codes_named(rules: dict) -> set[str]:
        codes = set(rules.get(SAME_YEAR) or [])
        for key in (CONSECUTIVE, QUOTA, MEMBER_SHARE):
            spec = rules.get(key)
            if isinstance(spec, dict) and spec.get("of"):
                codes.add(spec["of"])
        return codes

    @staticmethod
    def initial_from(rules: dict) -> dict:
        bases = rules.get(BASES) or {}
        consecutive = rules.get(CONSECUTIVE) or {}
        quota = rules.get(QUOTA) or {}
        share = rules.get(MEMBER_SHARE) or {}
        initiative = rules.get(INITIATIVE) or {}
        return {
            "category": rules.get(CATEGORY, ""),
            "consecutive_on": bool(consecutive),
            "consecutive_of": consecutive.get("of", ""),
            "consecutive_years": consecutive.get("years"),
            "consecutive_basis": consecutive.get("basis") or bases.get(CONSECUTIVE, ""),
            "same_year": list(rules.get(SAME_YEAR) or []),
            "same_year_basis": bases.get(SAME_YEAR, ""),
            "initiative_required": bool(initiative.get("required")),
            "quota_on": bool(quota),
            "quota_of": quota.get("of", ""),
            "quota_num": quota.get("num"),
            "quota_den": quota.get("den"),
            "quota_basis": quota.get("basis", ""),
            "member_share_on": bool(share),
            "member_share_of": share.get("of", ""),
            "member_share_num": share.get("num"),
            "member_share_den": share.get("den"),
            "member_share_strict": bool(share.get("strict", False)),
            "member_share_basis": share.get("basis", ""),
            "member_share_note": share.get("note", ""),
        }

    # -- checking -----------------------------------------------------------------------------
    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code") or self.instance.code
        if cleaned.get("consecutive_on"):
            if not cleaned.get("consecutive_of"):
                self.add_error(
                    "consecutive_of",
                    _("Danh hiệu phải đạt liên tục: chọn danh hiệu, hoặc bỏ yêu cầu liên tục."),
                )
            if not cleaned.get("consecutive_years"):
                self.add_error("consecutive_years", _("Số năm liên tục: nhập số năm (1–10)."))
        if code and code in (cleaned.get("same_year") or []):
            self.add_error(
                "same_year",
                _("Phải có trong cùng năm: không chọn chính hình thức “%(code)s”.")
                % {"code": code},
            )
        if cleaned.get("quota_on"):
            if not cleaned.get("quota_of"):
                self.add_error(
                    "quota_of",
                    _("Hạn mức tính trên số: chọn danh hiệu làm cơ sở (ví dụ Lao động tiên tiến)."),
                )
            for name in ("quota_num", "quota_den"):
                if cleaned.get(name) is None:
                    self.add_error(name, _("Hạn mức: nhập tử số và mẫu số, hoặc tắt hạn mức."))
            check_fraction(self, "quota_num", "quota_den", _("Hạn mức"))
        if cleaned.get("member_share_on"):
            if not cleaned.get("member_share_of"):
                self.add_error(
                    "member_share_of",
                    _("Thành viên đạt danh hiệu: chọn danh hiệu (ví dụ Lao động tiên tiến)."),
                )
            for name in ("member_share_num", "member_share_den"):
                if cleaned.get(name) is None:
                    self.add_error(
                        name, _("Tỷ lệ thành viên: nhập tử số và mẫu số, hoặc bỏ yêu cầu.")
                    )
            check_fraction(self, "member_share_num", "member_share_den", _("Tỷ lệ thành viên"))
        return cleaned

    # -- writing the same JSON back -----------------------------------------------------------
    def eligibility(self) -> dict:
        """The stored rules with the edited keys rebuilt; unknown keys and sub-keys kept."""
        data, rules = self.cleaned_data, self.stored_rules()
        bases = dict(rules.get(BASES) or {})

        def merged(key: str, *, texts: dict | None = None, **values) -> dict:
            # A text left empty is written only where the stored rule already had the key,
            # so saving an unchanged form writes back exactly what was stored.
            spec = dict(rules[key]) if isinstance(rules.get(key), dict) else {}
            spec.update(values)
            for name, text in (texts or {}).items():
                if text or name in spec:
                    spec[name] = text
            return spec

        if data.get("category"):
            rules[CATEGORY] = data["category"]
        else:
            rules.pop(CATEGORY, None)

        if data.get("consecutive_on"):
            basis = data.get("consecutive_basis", "")
            rules[CONSECUTIVE] = merged(
                CONSECUTIVE,
                of=data["consecutive_of"],
                years=data["consecutive_years"],
                texts={"basis": basis},
            )
            if CONSECUTIVE in bases:
                bases[CONSECUTIVE] = basis
        else:
            rules.pop(CONSECUTIVE, None)

        if data.get("same_year"):
            rules[SAME_YEAR] = list(data["same_year"])
            if data.get("same_year_basis") or SAME_YEAR in bases:
                bases[SAME_YEAR] = data.get("same_year_basis", "")
        else:
            rules.pop(SAME_YEAR, None)

        if data.get("initiative_required"):
            rules[INITIATIVE] = merged(INITIATIVE, required=True)
        elif INITIATIVE in rules:
            rules[INITIATIVE] = merged(INITIATIVE, required=False)

        if data.get("quota_on"):
            rules[QUOTA] = merged(
                QUOTA,
                of=data["quota_of"],
                num=data["quota_num"],
                den=data["quota_den"],
                texts={"basis": data.get("quota_basis", "")},
            )
        else:
            rules.pop(QUOTA, None)

        if data.get("member_share_on"):
            strict = bool(data.get("member_share_strict"))
            stored = rules.get(MEMBER_SHARE)
            keeps_flag = isinstance(stored, dict) and "strict" in stored
            rules[MEMBER_SHARE] = merged(
                MEMBER_SHARE,
                of=data["member_share_of"],
                num=data["member_share_num"],
                den=data["member_share_den"],
                **({"strict": strict} if strict or keeps_flag else {}),
                texts={
                    "basis": data.get("member_share_basis", ""),
                    "note": data.get("member_share_note", ""),
                },
            )
        else:
            rules.pop(MEMBER_SHARE, None)

        if bases:
            rules[BASES] = bases
        return rules

    def save(self, commit: bool = True) -> AwardType:
        self.instance.eligibility = self.eligibility()
        return super().save(commit=commit)


# Which eligibility keys this form shows; the others are listed read-only beside it.
EDITED_KEYS = {CONSECUTIVE, SAME_YEAR, QUOTA, MEMBER_SHARE, INITIATIVE, CATEGORY, BASES}

# --- the rules in words (read-only pages) -------------------------------------------------

OTHER_LABELS = {
    "no_discipline_from": _("Không có thành viên bị kỷ luật từ mức"),
    "requires_member": _("Cần thành viên đạt danh hiệu"),
}
DISCIPLINE_LEVELS = {"canh_cao": _("Cảnh cáo"), "khien_trach": _("Khiển trách")}


def describe_eligibility(rules: dict, *, only_other: bool = False) -> list[str]:
    """The eligibility parameters as sentences, with the names of the forms they cite."""
    names = dict(award_code_choices(AwardTypeForm._codes_named(rules)))
    name = names.get
    lines: list[str] = []
    if not only_other:
        spec = rules.get(CONSECUTIVE)
        if isinstance(spec, dict):
            lines.append(
                str(_("Đạt %(of)s %(n)s năm liên tục ngay trước năm xét."))
                % {"of": name(spec.get("of"), spec.get("of")), "n": spec.get("years")}
            )
        if rules.get(SAME_YEAR):
            lines.append(
                str(_("Có trong cùng năm: %(codes)s."))
                % {"codes": "; ".join(name(c, c) for c in rules[SAME_YEAR])}
            )
        if isinstance(rules.get(INITIATIVE), dict) and rules[INITIATIVE].get("required"):
            lines.append(str(_("Cần sáng kiến được công nhận.")))
        spec = rules.get(QUOTA)
        if isinstance(spec, dict):
            lines.append(
                str(_("Hạn mức: không quá ⌊số %(of)s của đơn vị × %(num)s/%(den)s⌋."))
                % {"of": name(spec.get("of"), spec.get("of")), **spec}
            )
        spec = rules.get(MEMBER_SHARE)
        if isinstance(spec, dict):
            sign = ">" if spec.get("strict") else "≥"
            lines.append(
                str(_("Tỷ lệ thành viên đạt %(of)s %(sign)s %(num)s/%(den)s."))
                % {"of": name(spec.get("of"), spec.get("of")), "sign": sign, **spec}
            )
    for key, spec in rules.items():
        if key in EDITED_KEYS:
            continue
        label = OTHER_LABELS.get(key, key)
        if key == "no_discipline_from" and isinstance(spec, dict):
            value = DISCIPLINE_LEVELS.get(spec.get("level"), spec.get("level"))
        elif key == "requires_member" and isinstance(spec, dict):
            value = f"{spec.get('count', 1)} × {name(spec.get('of'), spec.get('of'))}"
        else:
            value = spec
        lines.append(f"{label}: {value}")
    return lines
