"""The follow-up form: one column, large controls (the establishment fills it
on a phone); a yes/no and a remark per supported machine, then the figures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from projects.models.photos import PHOTO_EXTENSIONS, validate_photo_size

from .models import FollowUp
from .services import Figures

YES_NO = (("yes", _("Yes, still in use")), ("no", _("Not in use")))
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FollowUpForm(forms.ModelForm):
    photo = forms.ImageField(
        label=_("Photo of the machine at work"),
        required=False,
        # The same checks as the staff's execution photos: Pillow reads the
        # content, the extension and the size are those of projects.photos.
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS), validate_photo_size],
        widget=forms.FileInput(
            attrs={
                "accept": "image/jpeg,image/png,image/webp",
                "capture": "environment",
            }
        ),
    )

    class Meta:
        model = FollowUp
        fields = ["visit_date", "jobs", "revenue", "products", "energy_kwh", "remarks"]
        widgets = {"visit_date": DATE, "remarks": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, visit: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visit = visit
        if visit:
            self.fields["visit_date"].required = True
        else:
            del self.fields["visit_date"]
        for name in ("jobs", "revenue"):
            self.fields[name].required = True
        self.rows = list(self.instance.equipment.select_related("equipment"))
        machines = {}
        for row in self.rows:
            prefix = f"eq{row.pk}"
            initial = None if row.in_use is None else ("yes" if row.in_use else "no")
            machines[f"{prefix}_in_use"] = forms.ChoiceField(
                label=_("%(item)s: still in use?") % {"item": row.equipment.item},
                choices=YES_NO,
                widget=forms.RadioSelect,
                initial=initial,
            )
            machines[f"{prefix}_remark"] = forms.CharField(
                label=_("Remark on %(item)s") % {"item": row.equipment.item},
                required=False,
                max_length=255,
                initial=row.remark,
            )
        # The machines first: what the follow-up is for.
        self.fields = {**machines, **self.fields}
        for field in self.fields.values():
            widget = field.widget
            if not isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-control form-control-lg")

    @property
    def machines(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        """(equipment row, its yes/no, its remark) for the template."""
        return [
            (row, self[f"eq{row.pk}_in_use"], self[f"eq{row.pk}_remark"])
            for row in self.rows
        ]

    @property
    def figure_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("eq")]

    def figures(self) -> Figures:
        data = self.cleaned_data
        return Figures(
            jobs=data["jobs"],
            revenue=data["revenue"],
            products=data.get("products"),
            energy_kwh=data.get("energy_kwh"),
            remarks=data.get("remarks", ""),
        )

    def equipment(self) -> dict[int, tuple[bool, str]]:
        data = self.cleaned_data
        return {
            row.pk: (data[f"eq{row.pk}_in_use"] == "yes", data[f"eq{row.pk}_remark"])
            for row in self.rows
        }

    def photos(self) -> list:
        photo = self.cleaned_data.get("photo")
        return [photo] if photo else []
