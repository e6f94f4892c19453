"""Forms for disbursements and refunds (issue 5)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    Disbursement,
    Project,
)
from .execution import DATE, _bootstrap


class DisbursementForm(forms.ModelForm):
    class Meta:
        model = Disbursement
        fields = ["funding", "kind", "amount", "date", "voucher_no", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funding"].queryset = project.fundings.all()
        self.fields["funding"].empty_label = None
        self.fields["voucher_no"].required = True
        self.fields["amount"].min_value = 1
        self.fields["amount"].widget.attrs["min"] = 1
        if self.instance.pk:
            # A row never moves to another source (see Disbursement._lock).
            self.fields["funding"].disabled = True
        _bootstrap(self)

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount is None or amount <= 0:
            raise forms.ValidationError(_("The amount must be greater than zero."))
        return amount


class RefundConfirmForm(forms.Form):
    date = forms.DateField(label=_("Date the refund came back"), widget=DATE)
    voucher_no = forms.CharField(label=_("Voucher number"), max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
