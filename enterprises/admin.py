from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Commune,
    CraftVillage,
    EligibilityRule,
    Establishment,
    Province,
    Sector,
)
from .models.supported import supported_follow


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["name", "codename"]

    def has_add_permission(self, request) -> bool:
        return False  # official list, loaded by `load_admin_units`

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "division_type",
        "province",
        "region",
        "legacy_urban_ward",
    ]
    list_filter = ["region", "division_type", "legacy_urban_ward", "province"]
    list_editable = ["region", "legacy_urban_ward"]
    list_select_related = ["province"]
    search_fields = ["name", "codename", "code"]
    readonly_fields = ["code", "name", "division_type", "codename", "province"]
    list_per_page = 200

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(CraftVillage)
class CraftVillageAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "recognition"]
    search_fields = ["name"]
    autocomplete_fields = ["commune"]


@admin.register(Establishment)
class EstablishmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "tax_code", "commune", "is_active"]
    list_filter = ["kind", "women_owned", "is_active"]
    search_fields = ["name", "tax_code", "representative_name"]
    autocomplete_fields = ["commune", "craft_village"]
    filter_horizontal = ["sectors"]
    list_select_related = ["commune__province"]

    def save_model(self, request, obj, form, change) -> None:
        obj.refresh_search_text()
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            # The board counts it with its flags and commune as they are now.
            supported_follow(establishment_ids=[obj.pk])

    def delete_model(self, request, obj) -> None:
        pk = obj.pk
        with transaction.atomic():
            super().delete_model(request, obj)
            supported_follow(establishment_ids=[pk])

    def delete_queryset(self, request, queryset) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            supported_follow(establishment_ids=ids)


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    """Who may be supported, one row per version of the decree."""

    list_display = [
        "valid_from",
        "valid_to",
        "kinds",
        "location",
        "max_workers",
        "max_yearly_revenue",
        "legal_basis",
        "verified",
    ]
    list_filter = ["verified", "location"]
