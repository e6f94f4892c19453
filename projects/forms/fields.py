"""Form fields other apps' forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Source


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
