from django.contrib import admin

from .models import FollowUpRule


@admin.register(FollowUpRule)
class FollowUpRuleAdmin(admin.ModelAdmin):
    """When follow-ups open after settlement and how often they are reminded."""

    list_display = (
        "months_after_settlement",
        "days_to_answer",
        "remind_every_days",
        "valid_from",
        "note",
    )
