"""Form fields other apps' forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import IssuingAuthority, Source


class SourceField(forms.ChoiceField):
    """A funding source, or "" for both. Links and habits type it in any case
    and with or without the Đ ("kcdp", "KCĐP"): all mean Source.LOCAL."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("choices", [("", _("Both sources")), *Source.choices])
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        try:
            return Source.parse(value).value if value else ""
        except ValueError:
            return value  # validate() refuses it with the usual message


# A decision's issuer and signer, as the approval, cancellation and
# carry-forward forms ask for them.


def authority_field(
    *, label: Any = None, help_text: Any = "", **kwargs: Any
) -> forms.ModelChoiceField:
    """An issuing authority in use."""
    kwargs.setdefault("required", False)
    return forms.ModelChoiceField(
        label=label or _("Issuing authority"),
        queryset=IssuingAuthority.objects.filter(active=True),
        help_text=help_text,
        **kwargs,
    )


def signer_title_field() -> forms.CharField:
    return forms.CharField(
        label=_("Signer's title"),
        max_length=120,
        required=False,
        help_text=_("Empty: the authority's usual title."),
    )


def signer_name_field() -> forms.CharField:
    return forms.CharField(label=_("Signer"), max_length=120, required=False)
