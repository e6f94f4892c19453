"""The council's forms: creating it, its agenda and members, a score sheet."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from enterprises.roles import CENTRE_ROLES, users_with_role
from projects.models import Project, Source, Status

from .models import Council, Function, Member


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class CouncilForm(forms.Form):
    name = forms.CharField(label=_("Council"), max_length=300)
    established_by = forms.CharField(
        label=_("Established by decision"),
        max_length=300,
        required=False,
        help_text=_("Number, date and issuer, as written on the decision."),
    )
    meeting_date = forms.DateField(
        label=_("Meeting date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AgendaForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project received by the department"), queryset=Project.objects.none()
    )

    def __init__(self, council: Council, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            Project.objects.filter(status=Status.RECEIVED)
            .exclude(fundings__source=Source.NATIONAL)
            .exclude(council_agenda__council=council)
            .distinct()
            .order_by("code")
        )
        self.fields["project"].label_from_instance = lambda p: f"{p.code} — {p.title}"
        _bootstrap(self)


class MemberForm(forms.Form):
    function = forms.ChoiceField(label=_("Function"), choices=Function.choices)
    user = forms.ModelChoiceField(
        label=_("User"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Or, for someone without an account, the name below."),
    )
    name = forms.CharField(label=_("Outsider's full name"), required=False)
    organisation = forms.CharField(label=_("Organisation"), required=False)

    def __init__(self, council: Council, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            users_with_role(*CENTRE_ROLES)
            .exclude(council_seats__council=council)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            u.get_full_name() or u.username
        )
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            self.add_error("name", _("Choose a user or give the outsider's name."))
        return data


class SheetForm(forms.Form):
    """A score per criterion of the council's set (0..maximum), and the
    member's opinion."""

    def __init__(
        self, council: Council, *args: Any, initial_scores: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(council.criteria_set.criteria.all())
        for criterion in self.criteria:
            maximum = number_format(criterion.max_score, decimal_pos=1)
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.order}. {criterion.name}",
                help_text=_("From 0 to %(max)s points.") % {"max": maximum},
                max_digits=4,
                decimal_places=1,
                min_value=Decimal(0),
                max_value=criterion.max_score,
                error_messages={
                    "min_value": _("A score cannot be below 0."),
                    "max_value": _("At most %(max)s points for this criterion.")
                    % {"max": maximum},
                    "invalid": _("Enter a number, e.g. 12,5."),
                    "required": _("Give a score for this criterion."),
                    "max_decimal_places": _("At most one decimal."),
                },
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            if initial_scores and criterion.pk in initial_scores:
                self.initial[f"c{criterion.pk}"] = initial_scores[criterion.pk]
        self.fields["opinion"] = forms.CharField(
            label=_("Opinion"),
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": _("Give the member's opinion.")},
        )
        _bootstrap(self)

    def scores(self) -> dict[int, Decimal]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


def member_label(member: Member) -> str:
    return f"{member.display_name} ({member.get_function_display()})"
