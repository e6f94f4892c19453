from django.contrib import admin

from .models import ReportJob, ReportSchedule


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
