"""Forms for execution and money records (issue 5).

Forms check what a single form can see; the model layer holds the invariants
that need other rows (Disbursement.check_money, EquipmentInvestment.store).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.money import format_amount

from ..models import (
    Acceptance,
    EquipmentInvestment,
    ExecutionPhoto,
    Inspection,
    ProgressUpdate,
    Project,
    Status,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            continue
        css = (
            "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        )
        field.widget.attrs.setdefault("class", css)


class EquipmentForm(forms.ModelForm):
    serials = forms.CharField(
        label=_("Serial numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line or separated by commas or semicolons."),
    )

    class Meta:
        model = EquipmentInvestment
        fields = [
            "establishment",
            "item",
            "specification",
            "maker_origin",
            "supplier_name",
            "supplier_tax_code",
            "quantity",
            "unit_price",
            "supported",
            "invoice_no",
            "invoice_date",
            "contract_no",
            "installation_date",
        ]
        widgets = {
            "invoice_date": DATE,
            "installation_date": DATE,
            "specification": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = project.beneficiaries.all()
        if self.instance.pk:
            self.fields["serials"].initial = "\n".join(self.instance.serial_list)
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        quantity, price = data.get("quantity"), data.get("unit_price")
        supported = data.get("supported")
        if None not in (quantity, price, supported) and supported > quantity * price:
            self.add_error(
                "supported",
                _("The supported amount cannot exceed quantity × unit price."),
            )
        return data

    def serial_list(self) -> list[str]:
        return [s for s in re.split(r"[\n,;]+", self.cleaned_data["serials"]) if s]


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = [
            "planned_date",
            "actual_date",
            "inspectors",
            "findings",
            "progress_percent",
            "follow_up",
        ]
        widgets = {
            "planned_date": DATE,
            "actual_date": DATE,
            "findings": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("actual_date") and not data.get("findings"):
            self.add_error("findings", _("Write what the inspection found."))
        return data


class ProgressUpdateForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["date", "progress_percent", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AcceptanceForm(forms.ModelForm):
    """The acceptance minutes with outputs and impact; runs the `accept` step."""

    acceptance_date = forms.DateField(label=_("Acceptance date"), widget=DATE)
    minutes_no = forms.CharField(label=_("Minutes number"), max_length=50)

    class Meta:
        model = Acceptance
        fields = list(Acceptance.OUTPUT_FIELDS)
        widgets = {"lessons_learned": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if project.status != Status.IN_PROGRESS:
            # Recorded already: this form would not change them (a silent
            # no-op); "Correct the acceptance" on the project page does, with
            # a reason and the old values kept.
            del self.fields["acceptance_date"], self.fields["minutes_no"]
        # Outputs are what acceptance is about: the form asks for all of them.
        for name in ("machines_achieved", "trainees_achieved", "products_achieved"):
            self.fields[name].required = True
        # The money the beneficiary actually put in, per source: asked for,
        # prefilled with the plan (usually what happened), told the plan.
        planned = {
            "counterpart_contributed": project.counterpart,
            "other_sources_contributed": project.other_sources,
        }
        for name, amount in planned.items():
            field = self.fields[name]
            field.required = True
            field.help_text = _("Planned in the project: %(amount)s đ.") % {
                "amount": format_amount(amount)
            }
            if getattr(self.instance, name) is None:
                self.initial[name] = amount
        self.order_fields(["acceptance_date", "minutes_no"])
        _bootstrap(self)

    def outputs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in Acceptance.OUTPUT_FIELDS}


class PhotoForm(forms.ModelForm):
    """The image field checks the content with Pillow, not only the name."""

    class Meta:
        model = ExecutionPhoto
        fields = ["image", "caption", "equipment", "inspection"]

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = project.equipment.all()
        self.fields["inspection"].queryset = project.inspections.live()
        self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        _bootstrap(self)
