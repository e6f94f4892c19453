"""Admin pages: reference data is edited here; projects, execution and money
records are read-only with their history, because writes go through the
portal's pages, which call the lifecycle services and the model layer that
holds the money invariants. The admin never writes a lifecycle or money field:
not through the change form, and not through django-simple-history's "revert
to this version" page, which saves whatever it is posted with view permission
alone."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .forms.fields import authority_field, signer_name_field, signer_title_field
from .models import (
    Acceptance,
    ActivityContent,
    CarryForward,
    Disbursement,
    EquipmentInvestment,
    Inspection,
    IssuingAuthority,
    Plan,
    Programme,
    ProgressUpdate,
    Project,
    Route,
    RouteStep,
    SettlementDeadline,
    SupportRule,
)
from .models.deadlines import settlement_due_refresh


class PlanInline(admin.TabularInline):
    model = Plan
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "source", "start_year", "end_year", "decision_no"]
    list_filter = ["source"]
    inlines = [PlanInline]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "year", "allocated", "decision_no"]
    list_filter = ["programme__source", "year"]
    list_select_related = ["programme"]


@admin.register(ActivityContent)
class ActivityContentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active", "repeat_lookback_years"]
    list_editable = ["is_active", "repeat_lookback_years"]


@admin.register(SupportRule)
class SupportRuleAdmin(admin.ModelAdmin):
    """The caps, one row per content, variant, source and period; a row not yet
    checked against its text stays unticked under "verified"."""

    list_display = [
        "content",
        "variant",
        "source",
        "share_cap",
        "absolute_cap",
        "unit",
        "valid_from",
        "valid_to",
        "legal_basis",
        "verified",
    ]
    list_filter = ["source", "verified", "content"]
    list_select_related = ["content"]
    search_fields = ["variant", "legal_basis", "note"]
    fieldsets = [
        (None, {"fields": ["content", "variant", "source", "establishment_kind"]}),
        (_("Caps"), {"fields": ["share_cap", "absolute_cap", "unit"]}),
        (
            _("Validity and basis"),
            {"fields": ["valid_from", "valid_to", "legal_basis", "verified", "note"]},
        ),
    ]


# --- projects, execution and money records (read-only) ----------------------


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Lists, change pages and history to read; nothing to add, change, delete
    or revert."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a posted version form with only the view
        # permission (its revert button is merely hidden): refuse the write.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )


@admin.register(Project)
class ProjectAdmin(ReadOnlyHistoryAdmin):
    """Projects move only through the lifecycle services."""

    list_display = ["code", "title", "status", "end_date"]
    list_filter = ["status"]
    search_fields = ["code", "title"]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyHistoryAdmin):
    list_display = ["project", "funding", "kind", "state", "amount", "date"]
    list_filter = ["kind", "state", "funding__source"]
    list_select_related = ["project", "funding__project"]
    search_fields = ["project__code", "voucher_no"]


@admin.register(EquipmentInvestment)
class EquipmentInvestmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["item", "project", "establishment", "total", "supported"]
    list_filter = ["needs_review"]
    list_select_related = ["project", "establishment"]
    search_fields = ["item", "project__code", "invoice_no", "serials__serial"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["project", "planned_date", "actual_date", "progress_percent"]
    list_select_related = ["project"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyHistoryAdmin):
    list_display = ["project", "date", "progress_percent", "by"]
    list_select_related = ["project", "by"]


@admin.register(Acceptance)
class AcceptanceAdmin(ReadOnlyHistoryAdmin):
    list_display = ["project", "machines_achieved", "trainees_achieved"]
    list_select_related = ["project"]


# --- closing deadlines -------------------------------------------------------------


@admin.register(SettlementDeadline)
class SettlementDeadlineAdmin(admin.ModelAdmin):
    """Closing deadlines: a change re-dates every accepted project's
    settlement at once, so warnings follow the rule as edited."""

    list_display = (
        "kind",
        "source",
        "days",
        "month",
        "day",
        "legal_basis",
        "verified",
        "valid_from",
        "valid_to",
    )
    list_filter = ("kind", "source", "verified")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        settlement_due_refresh()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        settlement_due_refresh()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        settlement_due_refresh()


class CarryForwardForm(forms.ModelForm):
    # For a project's carry-forward, the decision in its file: who issued it.
    authority = authority_field(
        help_text=_("Empty: the authority that approved the project.")
    )
    signer_title = signer_title_field()
    signer_name = signer_name_field()

    class Meta:
        model = CarryForward
        fields = ["plan", "project", "decision_no", "decision_date", "amount", "note"]

    def clean(self) -> dict:
        data = super().clean()
        for problem in services.carry_forward_problems(
            plan=data.get("plan"),
            project=data.get("project"),
            decision_no=data.get("decision_no", ""),
            decision_date=data.get("decision_date"),
            amount=data.get("amount"),
        ):
            self.add_error(None, problem)
        return data


@admin.register(CarryForward)
class CarryForwardAdmin(SimpleHistoryAdmin):
    """Carry-forward decisions (chuyển nguồn) are recorded here by the
    administrator, checked by the service's rules; once recorded they are
    read-only, since payments may rest on them."""

    form = CarryForwardForm
    list_display = ["plan", "project", "decision_no", "decision_date", "amount"]
    list_filter = ["plan__programme__source", "plan__year"]
    list_select_related = ["plan__programme", "project"]
    raw_id_fields = ["project"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        recorded = services.carry_forward_record(
            plan=obj.plan,
            project=obj.project,
            decision_no=obj.decision_no,
            decision_date=obj.decision_date,
            amount=obj.amount,
            note=obj.note,
            by=request.user,
            authority=form.cleaned_data.get("authority"),
            signer_title=form.cleaned_data.get("signer_title", ""),
            signer_name=form.cleaned_data.get("signer_name", ""),
        )
        obj.pk = recorded.pk


@admin.register(IssuingAuthority)
class IssuingAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "signer_title", "active"]
    list_filter = ["level", "active"]


class RouteStepFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if route_in_use(self.instance) and any(f.has_changed() for f in self.forms):
            raise forms.ValidationError(IN_USE)


class RouteStepInline(admin.TabularInline):
    model = RouteStep
    formset = RouteStepFormSet
    extra = 0


IN_USE = _(
    "Projects were submitted on this version of the route: save your changes "
    "as a new version (“Save as new”) with a later valid-from date, so that "
    "they keep the route they were submitted on."
)


def route_in_use(route: Route) -> bool:
    return bool(route.pk) and route.projects.exists()


class RouteForm(forms.ModelForm):
    class Meta:
        model = Route
        fields = ["source", "valid_from", "name", "authority", "legal_basis"]

    def clean(self) -> dict:
        data = super().clean()
        if route_in_use(self.instance) and self.has_changed():
            raise forms.ValidationError(IN_USE)
        authority = data.get("authority")
        if authority is not None and not authority.active:
            self.add_error("authority", _("Choose an issuing authority in use."))
        return data


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    """A route version is edited until a project is submitted on it; after
    that a change is saved as a new version, valid from a later day."""

    form = RouteForm
    save_as = True
    list_display = ["name", "source", "valid_from", "authority"]
    list_filter = ["source"]
    inlines = [RouteStepInline]
