"""Admin pages for execution and money records: read-only with history.

Writes go through the portal's pages, which call the model layer that holds
the money invariants; the admin is for looking things up.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Acceptance,
    Disbursement,
    EquipmentInvestment,
    Inspection,
    ProgressUpdate,
)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
