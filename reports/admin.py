from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .documents import TEMPLATE_KEYS
from .models import (
    DocumentTemplate,
    OfficialSettings,
    RegisterEntry,
    ReportJob,
    ReportSchedule,
)


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ["kind", "frequency", "source", "active", "created_at"]
    list_filter = ["active", "frequency", "kind"]
    list_editable = ["active"]


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are created by users and schedules, changed by workers."""

    list_display = ["pk", "kind", "status", "progress", "created_at", "requested_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]
    readonly_fields = [f.name for f in ReportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OfficialSettings)
class OfficialSettingsAdmin(admin.ModelAdmin):
    """The one row: symbols of the register, signers, recipients."""

    list_display = ["__str__", "report_symbol", "dossier_symbol", "signer_title"]

    def has_add_permission(self, request) -> bool:
        return not OfficialSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    """The register is written by "Ban hành" only; read here."""

    list_display = ["reference", "year", "series", "issued_on", "issued_by", "subject"]
    list_filter = ["year", "series"]
    list_select_related = ["issued_by"]
    readonly_fields = [f.name for f in RegisterEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DocumentTemplateForm(forms.ModelForm):
    key = forms.ChoiceField(
        label=_("document"), choices=[(k, k) for k in TEMPLATE_KEYS]
    )

    class Meta:
        model = DocumentTemplate
        fields = ["key", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = getattr(upload, "name", "") or ""
        if not name.lower().endswith(".docx"):
            raise forms.ValidationError(_("Upload a Word file (.docx)."))
        return upload


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["key", "file", "uploaded_at"]
