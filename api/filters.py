"""Filters of the API's lists that no page has (the others reuse the pages')."""

from __future__ import annotations

import django_filters

from enterprises.models import Commune
from projects.models import Plan
from reports.models import ReportJob


class PlanFilter(django_filters.FilterSet):
    source = django_filters.CharFilter(field_name="programme__source")

    class Meta:
        model = Plan
        fields = ["year", "programme"]


class CommuneFilter(django_filters.FilterSet):
    class Meta:
        model = Commune
        fields = ["province", "region", "division_type"]


class ReportJobFilter(django_filters.FilterSet):
    class Meta:
        model = ReportJob
        fields = ["kind", "status"]
