from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActivityContent, Plan, Programme, Project, SupportRule


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
    list_display = ["code", "name", "is_active"]
    list_editable = ["is_active"]


@admin.register(SupportRule)
class SupportRuleAdmin(admin.ModelAdmin):
    list_display = [
        "content",
        "variant",
        "share_cap",
        "absolute_cap",
        "cap_per_beneficiary",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["content"]
    list_select_related = ["content"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    """Read-only: projects move only through the lifecycle services."""

    list_display = ["code", "title", "status", "end_date"]
    list_filter = ["status"]
    search_fields = ["code", "title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


from . import admin_money  # noqa: E402,F401  (execution and money, issue 5)
