"""The criteria are edited here by the administrator: a new rule is a new set
with a later "valid from" date (councils keep the set they were created with)."""

from django.contrib import admin

from .models import CriteriaSet, Criterion


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "name", "max_score", "basis"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_from", "threshold", "basis"]
    inlines = [CriterionInline]
