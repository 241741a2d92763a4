"""The statistics page's filters: organisation, period (a year or a date range), campaign,
award form and level. Every refusal names its field and the reason."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models import Campaign
from organisations.models import Level

CHOOSE_ALL = _("— Tất cả —")
DAY_FIRST = "%d/%m/%Y"
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_RANGE_DAYS = 5 * 366  # a range longer than five years is a typing slip, not a report


class ListedChoiceField(forms.ChoiceField):
    """A choice among rows read once, as a list: the options and the check of the answer
    use that list, with no query of their own (a ModelChoiceField asks its queryset again
    to draw the options, to decide on `required`, and to look the answer up). The cleaned
    value is the row."""

    def __init__(self, *, empty_label=None, **kwargs) -> None:
        self.empty_label = empty_label
        self._rows: dict[str, object] = {}
        super().__init__(**kwargs)

    def set_rows(self, rows) -> None:
        self._rows = {str(row.pk): row for row in rows}
        blank = [("", self.empty_label)] if self.empty_label is not None else []
        self.choices = [*blank, *((pk, str(row)) for pk, row in self._rows.items())]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self._rows.get(str(value))
        if row is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return row

    def validate(self, value) -> None:
        forms.Field.validate(self, value)  # required; to_python has checked the choice

    def prepare_value(self, value):
        return getattr(value, "pk", value)


class StatisticsFilterForm(forms.Form):
    organisation = ListedChoiceField(
        label=_("Cơ quan, đơn vị"),
        help_text=_("Số liệu gồm cơ quan, đơn vị này và các đơn vị trực thuộc."),
    )
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("Khen thưởng có quyết định trong năm; bỏ trống để chọn khoảng ngày."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=[DAY_FIRST, "%Y-%m-%d"],
        help_text=_("Ngày/tháng/năm, ví dụ 01/01/2026."),
        widget=forms.DateInput(format=DAY_FIRST, attrs={"inputmode": "numeric"}),
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=[DAY_FIRST, "%Y-%m-%d"],
        widget=forms.DateInput(format=DAY_FIRST, attrs={"inputmode": "numeric"}),
    )
    campaign = ListedChoiceField(
        label=_("Phong trào thi đua"), required=False, empty_label=CHOOSE_ALL
    )
    award = forms.ChoiceField(label=_("Hình thức khen thưởng"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp quyết định"),
        required=False,
        choices=[("", CHOOSE_ALL), *Level.choices],
    )

    def __init__(self, *args, organisations, campaigns, awards, **kwargs):
        """`organisations` and `campaigns`: the rows to choose from (lists, read once)."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].set_rows(organisations)
        self.fields["campaign"].set_rows(campaigns)
        self.fields["award"].choices = [("", CHOOSE_ALL), *awards]
        for field in self.fields.values():
            field.error_messages.setdefault(
                "invalid_choice",
                _("giá trị không có trong danh sách: hãy chọn một giá trị trong danh sách."),
            )

    def clean(self):
        cleaned = super().clean()
        year, start, end = cleaned.get("year"), cleaned.get("date_from"), cleaned.get("date_to")
        if any(name in self.errors for name in ("year", "date_from", "date_to")):
            return cleaned
        if year and (start or end):
            self.add_error(
                "year",
                _("chọn một năm hoặc một khoảng ngày, không chọn cả hai."),
            )
        elif not year:
            if not (start and end):
                missing = "date_from" if not start else "date_to"
                self.add_error(
                    missing,
                    _("cần có năm, hoặc cả ngày bắt đầu và ngày kết thúc."),
                )
            elif end < start:
                self.add_error("date_to", _("phải từ ngày bắt đầu trở đi."))
            elif (end - start).days > MAX_RANGE_DAYS:
                self.add_error(
                    "date_to",
                    _(
                        "khoảng thời gian dài quá 5 năm: hãy chọn khoảng ngắn hơn, "
                        "hoặc chọn theo năm."
                    ),
                )
        return cleaned

    def period(self) -> tuple[date, date]:
        year = self.cleaned_data.get("year")
        if year:
            return date(year, 1, 1), date(year, 12, 31)
        return self.cleaned_data["date_from"], self.cleaned_data["date_to"]


def campaigns_near(province_paths: set[str]):
    """Campaigns of the provinces the user works in, newest first."""
    campaigns = Campaign.objects.none()
    for path in sorted(province_paths):
        campaigns = campaigns | Campaign.objects.filter(organisation__path__startswith=path)
    return campaigns.order_by("-starts_on", "name")
