from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from projects.forms.fields import SourceField

from .exporters import available_kinds
from .models import MoneyUnit, ReportKind
from .periods import Period


def kind_choices() -> list[tuple[str, str]]:
    return [(k, ReportKind(k).label) for k in available_kinds()]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=kind_choices)
    period = forms.CharField(
        label=_("Period"),
        # Long enough for a range of two months: 2024-07..2025-06.
        max_length=32,
        help_text=_(
            "A year (2025), a half-year (2025-H1), a quarter (2025-Q3), a "
            "month (2025-07), or a range of two of them (2024..2025-H1)."
        ),
        widget=forms.TextInput(attrs={"placeholder": "2025-Q3", "autocomplete": "off"}),
    )
    source = SourceField(label=_("Funding source"))
    unit = forms.ChoiceField(
        label=_("Unit of money"),
        choices=MoneyUnit.choices,
        initial=MoneyUnit.DONG,
        required=False,
        help_text=_('Printed as "Đơn vị tính" above the table.'),
    )

    def clean_period(self) -> str:
        try:
            return Period.parse(self.cleaned_data["period"]).code
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
