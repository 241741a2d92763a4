"""Typed admin forms for the calendar and the reminder points (issue 12)."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CalendarEntry, DayKind, ReminderRule

PERCENT, DAYS_BEFORE = "percent", "days_before"


class ReminderRuleForm(forms.ModelForm):
    """A reminder point is either a share of the limit (the ⌈N·p⌉-th working day) or a number
    of working days before the due day, never both: one choice and one number, instead of two
    columns of which exactly one must be filled (the database refuses both or neither)."""

    measure = forms.ChoiceField(
        label=_("Nhắc khi"),
        choices=[
            (PERCENT, _("Đã qua một tỷ lệ của thời hạn (%)")),
            (DAYS_BEFORE, _("Còn một số ngày làm việc trước hạn")),
        ],
        widget=forms.RadioSelect,
    )
    amount = forms.IntegerField(
        label=_("Giá trị"),
        min_value=0,
        help_text=_("Ví dụ: 50 (%) hoặc 2 (ngày làm việc trước hạn); 0 ngày: đúng ngày đến hạn."),
    )

    class Meta:
        model = ReminderRule
        fields = ("kind", "label", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rule = self.instance
        if rule.pk:
            if rule.percent is not None:
                self.initial.update(measure=PERCENT, amount=rule.percent)
            else:
                self.initial.update(measure=DAYS_BEFORE, amount=rule.days_before)

    def clean(self):
        cleaned = super().clean()
        measure, amount = cleaned.get("measure"), cleaned.get("amount")
        if measure == PERCENT and amount is not None and not 1 <= amount <= 100:
            self.add_error(
                "amount",
                _("Giá trị: tỷ lệ của thời hạn phải từ 1 đến 100 (%%); đã nhập %(n)s.")
                % {"n": amount},
            )
        if measure == DAYS_BEFORE and amount is not None and amount > 60:
            self.add_error(
                "amount",
                _("Giá trị: số ngày làm việc trước hạn không quá 60; đã nhập %(n)s.")
                % {"n": amount},
            )
        return cleaned

    def save(self, commit: bool = True) -> ReminderRule:
        measure, amount = self.cleaned_data["measure"], self.cleaned_data["amount"]
        self.instance.percent = amount if measure == PERCENT else None
        self.instance.days_before = amount if measure == DAYS_BEFORE else None
        return super().save(commit=commit)


class CalendarEntryForm(forms.ModelForm):
    """A day typed dd/mm/yyyy (config/formats); a làm bù day must be a Saturday or Sunday."""

    class Meta:
        model = CalendarEntry
        fields = ("day", "kind", "name", "source", "confirmed")

    def clean(self):
        cleaned = super().clean()
        day, kind = cleaned.get("day"), cleaned.get("kind")
        weekday_work = isinstance(day, date) and kind == DayKind.WORKING_DAY and day.weekday() < 5
        # A weekday "working day" cancels a package holiday (CalendarEntry's docstring):
        # allowed, but only with a name saying why.
        if weekday_work and not cleaned.get("name"):
            self.add_error(
                "name",
                _(
                    "Tên, căn cứ: ngày %(day)s là ngày thường; ghi văn bản cho đi làm "
                    "vào ngày lễ này."
                )
                % {"day": day.strftime("%d/%m/%Y")},
            )
        return cleaned
