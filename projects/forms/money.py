"""Forms for disbursements and refunds (issue 5)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    AlreadyRecorded,
    Disbursement,
    Project,
)
from .execution import DATE, _bootstrap


class DisbursementForm(forms.ModelForm):
    """A new disbursement's form carries a one-time token: sent twice, it
    shows the row the first sending recorded (AlreadyRecorded) instead of
    paying again. The token is checked here for a resubmission that comes
    later, and under the project lock by Disbursement.save for one that
    arrives at the same moment."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Disbursement
        fields = ["funding", "kind", "amount", "date", "voucher_no", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # Not required: a client that sends none is still held by the
            # voucher number, unique per project and source.
            self.fields["form_token"].initial = uuid.uuid4()
        self.fields["funding"].queryset = project.fundings.all()
        self.fields["funding"].empty_label = None
        self.fields["voucher_no"].required = True
        if self.instance.pk:
            # A row never moves to another source (see Disbursement._lock).
            self.fields["funding"].disabled = True
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        token = data.get("form_token")
        if self.instance.pk is None and token is not None:
            earlier = Disbursement.objects.filter(form_token=token).first()
            if earlier is not None:
                raise AlreadyRecorded(earlier)
            self.instance.form_token = token
        return data

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount is None or amount <= 0:
            raise forms.ValidationError(_("The amount must be greater than zero."))
        return amount

    def _post_clean(self) -> None:
        super()._post_clean()
        # A twin sent at the same moment may commit between clean() and the
        # constraint checks, so that its voucher now looks taken: the token
        # tells a resubmission from a real duplicate.
        token = self.instance.form_token
        if self.instance.pk is None and token is not None and self.errors:
            earlier = Disbursement.objects.filter(form_token=token).first()
            if earlier is not None:
                raise AlreadyRecorded(earlier)


class RefundConfirmForm(forms.Form):
    date = forms.DateField(label=_("Date the refund came back"), widget=DATE)
    voucher_no = forms.CharField(label=_("Voucher number"), max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
