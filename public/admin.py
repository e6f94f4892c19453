from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Withholding


@admin.register(Withholding)
class WithholdingAdmin(SimpleHistoryAdmin):
    list_display = ["project", "field", "reason", "decided_by", "decided_at"]
    list_filter = ["field"]
    search_fields = ["project__code", "project__title", "reason"]
    raw_id_fields = ["project"]
    readonly_fields = ["decided_by", "decided_at"]

    def save_model(self, request, obj, form, change) -> None:
        obj.decided_by = request.user
        super().save_model(request, obj, form, change)
