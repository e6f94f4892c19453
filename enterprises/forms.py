"""Forms for establishments: the record itself and the spreadsheet upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Commune, CraftVillage, Establishment, Sector
from .text import clean_text
from .xlsx import SpreadsheetError, check_upload

SECTIONS = [
    (_("Identity"), ["name", "kind", "tax_code", "business_registration_no"]),
    (
        _("Representative"),
        ["representative_name", "representative_position", "phone", "email"],
    ),
    (_("Address"), ["commune", "street", "craft_village", "legacy_address"]),
    (
        _("Activity"),
        ["sectors", "founded_year", "yearly_revenue", "main_products"],
    ),
    (
        _("Workers and ownership"),
        [
            "workers_total",
            "workers_women",
            "workers_ethnic_minority",
            "women_owned",
            "ethnic_minority_owned",
        ],
    ),
    (_("Other"), ["notes", "is_active"]),
]


class EstablishmentForm(forms.ModelForm):
    confirm_similar = forms.BooleanField(
        required=False,
        # Shown as a checkbox only once a similar name has been found.
        widget=forms.HiddenInput,
        label=_("I have checked: this is a different establishment, save it anyway."),
    )

    class Meta:
        model = Establishment
        fields = [
            "name",
            "kind",
            "tax_code",
            "business_registration_no",
            "representative_name",
            "representative_position",
            "phone",
            "email",
            "commune",
            "street",
            "legacy_address",
            "sectors",
            "craft_village",
            "founded_year",
            "workers_total",
            "workers_women",
            "workers_ethnic_minority",
            "women_owned",
            "ethnic_minority_owned",
            "yearly_revenue",
            "main_products",
            "notes",
            "is_active",
        ]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "main_products": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        home = Q(province_id=settings.HOME_PROVINCE_CODE)
        if self.instance.commune_id:
            # A record imported from another province stays editable.
            home |= Q(pk=self.instance.commune_id)
        self.fields["commune"].queryset = Commune.objects.filter(home).order_by("name")
        self.fields["commune"].label_from_instance = lambda c: c.name
        villages = Q(commune__province_id=settings.HOME_PROVINCE_CODE)
        if self.instance.craft_village_id:
            villages |= Q(pk=self.instance.craft_village_id)
        self.fields["craft_village"].queryset = CraftVillage.objects.filter(
            villages
        ).order_by("name")
        self.fields["sectors"].queryset = Sector.objects.all()
        self.fields["sectors"].widget.attrs["class"] = "form-check-input"
        self.similar: list[Establishment] = []
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.widgets.Input | forms.Textarea):
                widget.attrs.setdefault("class", "form-control")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = clean_text(value)
        village, commune = cleaned.get("craft_village"), cleaned.get("commune")
        if village and commune and village.commune_id != commune.pk:
            self.add_error(
                "craft_village", _("This craft village is in another commune.")
            )
        return cleaned

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The visible fields grouped under headings, for the template."""
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def save(self, commit: bool = True) -> Establishment:
        self.instance.refresh_search_text()
        return super().save(commit)

    def clean_tax_code(self) -> str:
        tax_code = clean_text(self.cleaned_data.get("tax_code", "")).replace(" ", "")
        if tax_code:
            existing = (
                Establishment.objects.filter(tax_code=tax_code)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if existing is not None:
                raise forms.ValidationError(
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("This tax code is already registered:"),
                        reverse("enterprises:establishment_detail", args=[existing.pk]),
                        existing.name,
                    ),
                    code="duplicate_tax_code",
                )
        return tax_code

    def _post_clean(self) -> None:
        super()._post_clean()
        # After the model is filled in and valid: warn about a near-duplicate,
        # when registering or moving or renaming one (not on every edit).
        if self.errors or self.cleaned_data.get("confirm_similar"):
            return
        if self.instance.pk and not {"name", "commune"} & set(self.changed_data):
            return
        self.similar = self.instance.similar_in_commune()
        if self.similar:
            self.fields["confirm_similar"].widget = forms.CheckboxInput()
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (reverse("enterprises:establishment_detail", args=[e.pk]), e.name)
                    for e in self.similar
                ),
            )
            self.add_error(
                None,
                forms.ValidationError(
                    format_html(
                        "{} {}. {}",
                        _("A very similar name is already registered in this commune:"),
                        links,
                        _(
                            "If it is the same establishment, edit that record "
                            "instead; otherwise tick the box below and save again."
                        ),
                    ),
                    code="similar_name",
                ),
            )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx"}
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Check only, do not write anything"), required=False
    )

    def clean_file(self) -> Any:
        # What costs nothing to check is refused here, before the upload is
        # stored and queued; the rows are read by the import job.
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload, max_bytes=settings.IMPORT_MAX_BYTES)
        except SpreadsheetError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload
