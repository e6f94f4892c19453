"""The JSON API, /api/v1/: read endpoints for the portal's records, writes
for establishments and report requests, the national exchange file.

Each endpoint names its model (`queryset`) so that RolePermission applies the
user's model permissions, and lists only what the pages would show the user
(Project.objects.visible_to). Lists are cursor pages over the primary key,
with a constant number of queries whatever the page size (prefetches).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.filters import EstablishmentFilter
from enterprises.models import Commune, Establishment
from enterprises.xlsx import XLSX_CONTENT_TYPE
from projects.filters import ProjectFilter
from projects.models import (
    Disbursement,
    EquipmentInvestment,
    Plan,
    Programme,
    Project,
    ProjectFunding,
)
from public.filters import PublicFilter
from public.publication import public_rows, published_projects
from reports.models import ReportJob
from reports.periods import Period

from . import exchange
from .filters import CommuneFilter, PlanFilter, ReportJobFilter
from .rows import project_rows, project_values
from .serializers import (
    CommuneSerializer,
    EstablishmentSerializer,
    PlanSerializer,
    ProgrammeSerializer,
    ProjectSerializer,
    PublicProjectSerializer,
    ReportJobSerializer,
)
from .throttling import AnonThrottle


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Programmes (chương trình khuyến công)."""

    queryset = Programme.objects.all()
    serializer_class = ProgrammeSerializer
    filterset_fields = ["source"]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Yearly plans with their money from the read-model."""

    queryset = Plan.objects.with_money().select_related("programme")
    serializer_class = PlanSerializer
    filterset_class = PlanFilter


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects the user may see, with fundings (money from the read-model),
    beneficiaries, equipment, disbursements and acceptance."""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return (
            Project.objects.visible_to(self.request.user)
            .select_related("acceptance")
            .prefetch_related(
                Prefetch(
                    "fundings",
                    queryset=ProjectFunding.objects.with_money()
                    .select_related("plan")
                    .order_by("source"),
                ),
                Prefetch(
                    "beneficiaries",
                    queryset=Establishment.objects.only(
                        "pk", "name", "kind", "tax_code", "commune_id"
                    ),
                ),
                Prefetch(
                    "equipment", queryset=EquipmentInvestment.objects.order_by("pk")
                ),
                Prefetch(
                    "disbursements",
                    queryset=Disbursement.objects.live()
                    .select_related("funding")
                    .order_by("date", "pk"),
                ),
            )
        )

    def list(self, request, *args, **kwargs):
        # The same JSON as ProjectSerializer, from values() rows (api.rows):
        # the nested serializers cost five times the page's budget.
        projects = self.filter_queryset(Project.objects.visible_to(request.user))
        page = self.paginate_queryset(project_values(projects))
        return self.get_paginated_response(project_rows(page))


class EstablishmentViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """The establishment registry; create and update with the registry form's
    validation (a read-write key and the add/change permission needed)."""

    queryset = Establishment.objects.all()
    serializer_class = EstablishmentSerializer
    filterset_class = EstablishmentFilter

    def get_queryset(self):
        return Establishment.objects.prefetch_related("sectors")


class CommuneViewSet(viewsets.ReadOnlyModelViewSet):
    """Communes, wards and special zones (official codes)."""

    queryset = Commune.objects.all()
    serializer_class = CommuneSerializer
    filterset_class = CommuneFilter


class ReportJobViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Report jobs: ask for a report (through the reports service) and follow
    it; download links once done. Project dossiers are not listed here (they
    carry a project's documents; their pages check the project)."""

    queryset = ReportJob.objects.all()
    serializer_class = ReportJobSerializer
    filterset_class = ReportJobFilter

    def get_queryset(self):
        return ReportJob.objects.exclude(kind="dossier")


class PublicProjectViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """What the public page publishes, for anyone, without a key: approved
    and later projects, withheld fields null, withheld projects absent
    (public.publication). Filters as on the page."""

    queryset = Project.objects.none()
    serializer_class = PublicProjectSerializer
    filterset_class = PublicFilter
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle]

    def get_queryset(self):
        return published_projects()

    def list(self, request, *args, **kwargs):
        projects = self.filter_queryset(self.get_queryset()).only("pk")
        page = self.paginate_queryset(projects)
        rows = public_rows([p.pk for p in page])
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class ExchangeView(APIView):
    """The national exchange file of the home province for a period."""

    queryset = Project.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, required=True, description="2018-H1"),
            OpenApiParameter(
                "output",
                str,
                enum=["json", "xlsx"],
                description="json (default) or xlsx",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        try:
            period = Period.parse(request.query_params.get("period", ""))
        except DjangoValidationError as exc:
            raise ValidationError({"period": exc.messages}) from exc
        data = exchange.exchange_export(period=period)
        if request.query_params.get("output") == "xlsx":
            response = HttpResponse(
                exchange.exchange_xlsx(data), content_type=XLSX_CONTENT_TYPE
            )
            response["Content-Disposition"] = (
                f'attachment; filename="trao-doi-{period.code}.xlsx"'
            )
            return response
        return Response(data)
