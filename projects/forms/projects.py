"""Forms: the draft project with its funding rows, and one small form per
lifecycle action whose cleaned data become the service's keyword arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from enterprises.models import Commune, Establishment
from enterprises.money import MoneyFormField
from enterprises.templatetags.kc import money

from .. import attachments
from ..lifecycle import deciding_authority, decision_authority
from ..models import (
    ActivityContent,
    AttachmentKind,
    DecisionKind,
    Plan,
    Project,
    SupportRule,
    source_short,
)
from ..models.dates import period_problems
from ..models.decisions import CANCELLED_BY_DECISION
from .fields import authority_field, signer_name_field, signer_title_field


class DateInput(forms.DateInput):
    """A browser date picker; it sends ISO dates, which our formats accept."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(
            attrs={"class": "form-control", **(attrs or {})}, format="%Y-%m-%d"
        )


def money_field(label: Any, **kwargs: Any) -> MoneyFormField:
    return MoneyFormField(label=label, **kwargs)


class CommuneChoiceField(forms.ModelChoiceField):
    """Communes of the home province by name only (no per-option query)."""

    def label_from_instance(self, obj: Commune) -> str:
        return obj.name


def home_communes():
    return Commune.objects.in_province(settings.HOME_PROVINCE_CODE).order_by("name")


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


def beneficiary_choices(project: Project):
    """Active establishments of the home province, plus any the project
    already names, so that editing never drops one silently."""
    chosen = Q(pk__in=project.beneficiaries.all()) if project.pk else Q(pk__in=[])
    return Establishment.objects.filter(
        Q(is_active=True, commune__province_id=settings.HOME_PROVINCE_CODE) | chosen
    ).distinct()


class ProjectForm(forms.ModelForm):
    commune = CommuneChoiceField(
        queryset=Commune.objects.none(),
        required=False,
        label=_("Place (commune / ward)"),
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "content",
            "support_variant",
            "implementing_unit",
            "partner_unit",
            "partner_capacity",
            "is_group",
            "beneficiaries",
            "commune",
            "objectives",
            "start_date",
            "end_date",
            "total_cost",
            "counterpart",
            "other_sources",
            "target_machines",
            "target_trainees",
            "target_products",
            "baseline_jobs",
            "baseline_revenue",
            "baseline_productivity",
            "baseline_energy_kwh",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "partner_capacity": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = home_communes()
        self.fields["content"].queryset = ActivityContent.objects.filter(is_active=True)
        self.fields["beneficiaries"].queryset = beneficiary_choices(self.instance)
        self.fields["beneficiaries"].widget.attrs["size"] = 8
        # The variants that have a rule, grouped under their content (stored as
        # written inside a legal sentence, shown with a capital): a variant
        # of another content is refused at submission ("không có quy định áp
        # dụng"), so the list shows where each one belongs.
        grouped: dict[str, list[tuple[str, str]]] = {}
        for code, name, variant in (
            SupportRule.objects.exclude(variant="")
            .order_by("content__code", "variant")
            .values_list("content__code", "content__name", "variant")
            .distinct()
        ):
            grouped.setdefault(f"{code}. {name}", []).append(
                (variant, capfirst(variant))
            )
        self.fields["support_variant"] = forms.ChoiceField(
            label=self.fields["support_variant"].label,
            help_text=self.fields["support_variant"].help_text,
            required=False,
            choices=[("", _("General rule of the content")), *grouped.items()],
        )
        _bootstrap(self)

    def clean(self) -> dict:
        data = super().clean()
        for problem in period_problems(data.get("start_date"), data.get("end_date")):
            self.add_error("end_date", problem.message)
        return data


def show_refusal(form: forms.Form, refused: Exception) -> None:
    """Put a service's refusal on the form: each message next to the last
    field it is about that the form shows, the others above the form."""
    for message in getattr(refused, "messages", [str(refused)]):
        named = getattr(refused, "fields", {}).get(message, ())
        shown = [name for name in named if name in form.fields]
        form.add_error(shown[-1] if shown else None, message)


class PlanChoiceField(forms.ModelChoiceField):
    """Plans labelled with what is left on them, so staff see the budget."""

    def label_from_instance(self, obj: Plan) -> str:
        return _("%(plan)s — %(left)s left") % {
            "plan": f"{source_short(obj.programme.source)} {obj.year}",
            "left": money(obj.remaining),
        }


class FundingForm(forms.Form):
    plan = PlanChoiceField(
        queryset=Plan.objects.with_money()
        .select_related("programme")
        .order_by("-year", "programme__source"),
        required=False,
        label=_("Plan"),
    )
    requested = money_field(_("Support requested (đồng)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self) -> dict:
        data = super().clean()
        if "requested" in self.errors:
            return data  # the amount's own message says what is wrong
        if data.get("plan") and data.get("requested") is None:
            self.add_error("requested", _("Give the support requested from this plan."))
        elif data.get("plan") and data["requested"] <= 0:
            self.add_error("requested", _("The support requested must be above 0."))
        return data


class BaseFundingFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        sources = [row[0].programme.source for row in self.rows()]
        if len(sources) != len(set(sources)):
            raise forms.ValidationError(_("Give at most one plan per source."))

    def rows(self) -> list[tuple[Plan, int]]:
        return [
            (form.cleaned_data["plan"], form.cleaned_data["requested"])
            for form in self.forms
            if form.cleaned_data.get("plan")
        ]


def funding_formset(project: Project | None, data: Any = None) -> BaseFundingFormSet:
    initial = (
        [{"plan": f.plan, "requested": f.requested} for f in project.fundings.all()]
        if project and project.pk
        else []
    )
    formset_class = forms.formset_factory(
        FundingForm,
        formset=BaseFundingFormSet,
        extra=max(2 - len(initial), 0),
        max_num=2,
        validate_max=True,
    )
    return formset_class(data, initial=initial, prefix="fundings")


# --- one form per lifecycle action ----------------------------------------------


class ActionForm(forms.Form):
    """Base: the project is known; `service_kwargs` feeds project_<action>."""

    def __init__(self, project: Project, *args: Any, **kwargs: Any) -> None:
        self.project = project
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def _text(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": 2})
    )


class SubmitForm(ActionForm):
    def service_kwargs(self) -> dict[str, Any]:
        return {"day": timezone.localdate()}


class ResubmitForm(ActionForm):
    comment = _text(_("What was changed"), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        return {"day": timezone.localdate(), "comment": self.cleaned_data["comment"]}


class WithdrawForm(ActionForm):
    comment = _text(_("Why it is withdrawn"), required=False)


class ReturnForm(ActionForm):
    comment = _text(_("What must change"))


class ReceiveForm(ActionForm):
    comment = _text(_("Note on the dossier"), required=False)


class ProposeForm(ActionForm):
    proposal_no = forms.CharField(label=_("Proposal number"), max_length=50)
    proposal_date = forms.DateField(label=_("Proposal date"), widget=DateInput())
    comment = _text(_("The Sở's review"), required=False)


class AppraiseForm(ActionForm):
    opinion = _text(_("Appraisal opinion"))


class RejectForm(ActionForm):
    reason = _text(_("Reason"))


def add_decision_fields(
    form: forms.Form, project: Project, kind: str, *, required: bool
) -> None:
    """The decision's number, date, issuing authority (offered: the one
    that decides by default, decision_authority) and signer."""
    form.fields["decision_no"] = forms.CharField(
        label=_("Decision number"), max_length=50, required=required
    )
    form.fields["decision_date"] = forms.DateField(
        label=_("Decision date"), widget=DateInput(), required=required
    )
    form.fields["authority"] = authority_field(
        initial=decision_authority(project, kind), required=required
    )
    form.fields["signer_title"] = signer_title_field()
    form.fields["signer_name"] = signer_name_field()
    _bootstrap(form)


class CancelForm(RejectForm):
    """The reason; from approval on, the cancellation decision too."""

    def __init__(self, project: Project, *args: Any, **kwargs: Any) -> None:
        super().__init__(project, *args, **kwargs)
        if project.status in CANCELLED_BY_DECISION:
            add_decision_fields(self, project, DecisionKind.CANCELLATION, required=True)


class _AmountsPerSource(ActionForm):
    """One amount field per funding row of the project, named by source."""

    amount_label = _("Approved support, %(source)s (đồng)")
    initial_field = "requested"

    def __init__(self, project: Project, *args: Any, **kwargs: Any) -> None:
        super().__init__(project, *args, **kwargs)
        for funding in project.fundings.all():
            self.fields[f"amount_{funding.source}"] = money_field(
                self.amount_label % {"source": funding.source_short},
                initial=getattr(funding, self.initial_field),
            )
        _bootstrap(self)

    def amounts(self) -> dict[str, int]:
        return {
            name.removeprefix("amount_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("amount_")
        }

    def others(self) -> dict[str, Any]:
        return {
            k: v for k, v in self.cleaned_data.items() if not k.startswith("amount_")
        }


class ApproveForm(_AmountsPerSource):
    decision_no = forms.CharField(label=_("Decision number"), max_length=50)
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())
    # Preset from the project's route; another authority only if in use.
    authority = authority_field(
        label=_("Issued by"),
        help_text=_("Empty: the deciding authority of the project's route."),
    )
    signer_title = signer_title_field()

    def __init__(self, project: Project, *args: Any, **kwargs: Any) -> None:
        super().__init__(project, *args, **kwargs)
        self.fields["authority"].initial = deciding_authority(project)

    def service_kwargs(self) -> dict[str, Any]:
        return {**self.others(), "approved": self.amounts()}


class StartForm(ActionForm):
    contract_no = forms.CharField(label=_("Contract number"), max_length=50)
    contract_date = forms.DateField(label=_("Contract date"), widget=DateInput())


class RequestAdjustmentForm(ActionForm):
    reason = _text(_("Reason for the adjustment"))
    start_date = forms.DateField(
        label=_("New start date"), required=False, widget=DateInput()
    )
    end_date = forms.DateField(
        label=_("New end date"), required=False, widget=DateInput()
    )
    commune = CommuneChoiceField(
        queryset=Commune.objects.none(), required=False, label=_("New place")
    )
    objectives = _text(_("New objectives"), required=False)
    partner_unit = forms.CharField(label=_("New partner unit"), required=False)
    beneficiaries = forms.ModelMultipleChoiceField(
        label=_("New list of beneficiaries"),
        queryset=Establishment.objects.none(),
        required=False,
    )
    content = forms.ModelChoiceField(
        label=_("New activity content"),
        queryset=ActivityContent.objects.filter(is_active=True),
        required=False,
    )
    target_machines = forms.IntegerField(
        label=_("New target: machines"), min_value=0, required=False
    )
    target_trainees = forms.IntegerField(
        label=_("New target: trainees"), min_value=0, required=False
    )
    target_products = forms.IntegerField(
        label=_("New target: products"), min_value=0, required=False
    )

    def __init__(self, project: Project, *args: Any, **kwargs: Any) -> None:
        super().__init__(project, *args, **kwargs)
        self.fields["commune"].queryset = home_communes()
        self.fields["beneficiaries"].queryset = beneficiary_choices(project)
        self.fields["beneficiaries"].widget.attrs["size"] = 5
        # The approved support per source; empty keeps it.
        for funding in project.fundings.all():
            self.fields[f"approved_{funding.source}"] = money_field(
                _("New approved support, %(source)s (đồng)")
                % {"source": funding.source_short},
                required=False,
            )
        # Support raised above the request: the parts must still add up.
        for name, label in (
            ("total_cost", _("New total cost (đồng)")),
            ("counterpart", _("New counterpart funds (đồng)")),
            ("other_sources", _("New other sources (đồng)")),
        ):
            self.fields[name] = money_field(label, required=False)
        _bootstrap(self)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        reason = data.pop("reason")
        # An empty selection means "keep the beneficiaries", not "remove all".
        beneficiaries = list(data.pop("beneficiaries") or [])
        approved = {
            name.removeprefix("approved_"): data.pop(name)
            for name in list(data)
            if name.startswith("approved_")
        }
        changes = {k: v for k, v in data.items() if v not in (None, "")}
        if beneficiaries:
            changes["beneficiaries"] = beneficiaries
        approved = {k: v for k, v in approved.items() if v is not None}
        if approved:
            changes["approved"] = approved
        return {"reason": reason, "changes": changes}


class DecideAdjustmentForm(ActionForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve the adjustment")), ("0", _("Refuse it"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = _text(_("Comment"), required=False)

    def __init__(self, project: Project, *args: Any, **kwargs: Any) -> None:
        super().__init__(project, *args, **kwargs)
        # Needed to approve (the service names what is missing).
        add_decision_fields(self, project, DecisionKind.ADJUSTMENT, required=False)


class AcceptForm(ActionForm):
    acceptance_date = forms.DateField(label=_("Acceptance date"), widget=DateInput())
    minutes_no = forms.CharField(label=_("Minutes number"), max_length=50)


class SettleForm(_AmountsPerSource):
    amount_label = _("Settled support, %(source)s (đồng)")
    initial_field = "approved"
    settled_on = forms.DateField(label=_("Settlement date"), widget=DateInput())
    voucher_no = forms.CharField(
        label=_("Voucher number of the settlement payment"),
        max_length=50,
        required=False,
        help_text=_("Needed when money is still to pay at settlement."),
    )

    def __init__(self, project: Project, *args: Any, **kwargs: Any) -> None:
        super().__init__(project, *args, **kwargs)
        # The settlement decision (phê duyệt quyết toán), dated the
        # settlement date unless given.
        add_decision_fields(self, project, DecisionKind.SETTLEMENT, required=True)
        self.fields["decision_no"].label = _("Settlement decision number")
        date = self.fields["decision_date"]
        date.label = _("Settlement decision date")
        date.required = False
        date.help_text = _("Empty: the settlement date.")

    def service_kwargs(self) -> dict[str, Any]:
        return {**self.others(), "settled": self.amounts()}


class CorrectForm(ActionForm):
    """ "Sửa thông tin": the recorded fields of one correction step, filled
    with what is recorded, and the reason. Only fields the step may change
    are on the form."""

    def __init__(
        self,
        project: Project,
        *args: Any,
        corrects: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(project, *args, **kwargs)
        for name in corrects:
            model_field = Project._meta.get_field(name)
            label = capfirst(model_field.verbose_name)
            value = getattr(project, name)
            if isinstance(model_field, models.DateField):
                field = forms.DateField(label=label, widget=DateInput(), initial=value)
            else:
                field = forms.CharField(
                    label=label, max_length=model_field.max_length, initial=value
                )
            self.fields[name] = field
        self.fields["reason"] = _text(_("Reason for the correction"))
        _bootstrap(self)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {"reason": data.pop("reason"), "changes": data}


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"), choices=AttachmentKind.choices
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, OpenDocument, JPEG or PNG; at most 20 MB."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        attachments.check(upload)
        return upload
