from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from .audit import tracked_models


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("Record type"), required=False)
    user = forms.ModelChoiceField(
        label=_("Changed by"),
        queryset=User.objects.order_by("username"),
        required=False,
    )
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All"))] + [
            (label, m._meta.verbose_name) for label, m in tracked_models().items()
        ]
        for f in self.fields.values():
            f.widget.attrs["class"] = (
                "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            )
