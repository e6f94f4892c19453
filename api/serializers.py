"""What the API reads and writes. Money comes from the read-model
(Plan.objects.with_money(), ProjectFunding.objects.with_money()); the
establishment's validation is the registry form's (EstablishmentForm), so
the API accepts exactly what the page accepts."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enterprises.forms import EstablishmentForm
from enterprises.models import Commune, Establishment
from projects.models import (
    Acceptance,
    Disbursement,
    EquipmentInvestment,
    Plan,
    Programme,
    Project,
    ProjectFunding,
)
from reports.forms import ReportRequestForm
from reports.models import ReportFormat, ReportJob
from reports.services import report_parameters, report_request


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "id",
            "source",
            "name",
            "start_year",
            "end_year",
            "decision_no",
            "decision_date",
        ]


class PlanSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="programme.source", read_only=True)
    approved = serializers.IntegerField(source="approved_sum", read_only=True)
    committed = serializers.IntegerField(source="committed_sum", read_only=True)
    released = serializers.IntegerField(source="released_sum", read_only=True)
    disbursed = serializers.IntegerField(source="disbursed_sum", read_only=True)
    settled = serializers.IntegerField(source="settled_sum", read_only=True)
    to_pay = serializers.IntegerField(source="to_pay_sum", read_only=True)
    waiting = serializers.IntegerField(source="waiting_sum", read_only=True)
    carried = serializers.IntegerField(source="carried_sum", read_only=True)
    carried_forward = serializers.IntegerField(read_only=True)
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "programme",
            "source",
            "year",
            "allocated",
            "decision_no",
            "decision_date",
            "approved",
            "committed",
            "released",
            "disbursed",
            "settled",
            "to_pay",
            "waiting",
            "carried",
            "carried_forward",
            "remaining",
        ]


class FundingSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="plan.year", read_only=True)
    approved = serializers.IntegerField(source="approved_amount", read_only=True)
    approved_support = serializers.IntegerField(source="approved", read_only=True)
    disbursed = serializers.IntegerField(source="disbursed_amount", read_only=True)
    settled = serializers.IntegerField(source="settled_amount", read_only=True)
    released = serializers.IntegerField(source="released_amount", read_only=True)
    to_pay = serializers.IntegerField(source="to_pay_amount", read_only=True)

    class Meta:
        model = ProjectFunding
        fields = [
            "id",
            "source",
            "plan",
            "year",
            "requested",
            "approved_support",
            "approved",
            "advanced_total",
            "paid_total",
            "refunded_total",
            "disbursed",
            "settled",
            "released",
            "to_pay",
        ]


class BeneficiarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Establishment
        fields = ["id", "name", "kind", "tax_code", "commune"]


class EquipmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = EquipmentInvestment
        fields = [
            "id",
            "establishment",
            "item",
            "maker_origin",
            "supplier_name",
            "supplier_tax_code",
            "quantity",
            "unit_price",
            "total",
            "supported",
            "invoice_no",
            "invoice_date",
            "installation_date",
        ]


class DisbursementSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="funding.source", read_only=True)

    class Meta:
        model = Disbursement
        fields = ["id", "source", "kind", "state", "amount", "date", "voucher_no"]


class AcceptanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Acceptance
        fields = [
            "machines_achieved",
            "trainees_achieved",
            "products_achieved",
            "jobs_after",
            "revenue_after",
            "productivity_after",
            "energy_after_kwh",
            "lessons_learned",
        ]


class ProjectSerializer(serializers.ModelSerializer):
    fundings = FundingSerializer(many=True, read_only=True)
    beneficiaries = BeneficiarySerializer(many=True, read_only=True)
    equipment = EquipmentSerializer(many=True, read_only=True)
    disbursements = DisbursementSerializer(many=True, read_only=True)
    acceptance = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "status",
            "content",
            "support_variant",
            "commune",
            "is_group",
            "implementing_unit",
            "partner_unit",
            "start_date",
            "end_date",
            "total_cost",
            "support_requested",
            "counterpart",
            "other_sources",
            "target_machines",
            "target_trainees",
            "target_products",
            "submitted_on",
            "decision_no",
            "decision_date",
            "contract_no",
            "contract_date",
            "acceptance_date",
            "acceptance_minutes_no",
            "settled_on",
            "fundings",
            "beneficiaries",
            "equipment",
            "disbursements",
            "acceptance",
        ]

    @extend_schema_field(AcceptanceSerializer(allow_null=True))
    def get_acceptance(self, project: Project) -> dict[str, Any] | None:
        try:
            acceptance = project.acceptance
        except Acceptance.DoesNotExist:
            return None
        return AcceptanceSerializer(acceptance).data


class CommuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["code", "name", "division_type", "region", "province"]


ESTABLISHMENT_FIELDS = list(EstablishmentForm.Meta.fields)


class EstablishmentSerializer(serializers.ModelSerializer):
    """Written through the registry's own form: the same cleaning, the same
    checks (tax code format and uniqueness, kind rules, workers, craft
    village in the commune, a near-duplicate name in the commune unless
    `confirm_similar`), the same messages."""

    confirm_similar = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_(
            "Save even though a very similar name is registered in the commune."
        ),
    )

    class Meta:
        model = Establishment
        fields = [
            "id",
            *ESTABLISHMENT_FIELDS,
            "confirm_similar",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # The form validates; the serializer only carries the values.
        extra_kwargs = {
            name: {"validators": [], "required": False} for name in ESTABLISHMENT_FIELDS
        }

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send the establishment as a JSON object.")]}
            )
        unknown = set(data) - {*ESTABLISHMENT_FIELDS, "confirm_similar"}
        if unknown:
            raise serializers.ValidationError(
                {name: [_("There is no such field.")] for name in sorted(unknown)}
            )
        return dict(data)

    def _form(self, data: dict[str, Any], instance: Establishment | None):
        values: dict[str, Any] = {}
        if instance is not None:
            values = model_to_dict(instance, fields=ESTABLISHMENT_FIELDS)
            values["sectors"] = [s.pk for s in instance.sectors.all()]
        values.update(data)
        # CheckboxInput reads absent as False: keep the record's value.
        for name in ("women_owned", "ethnic_minority_owned", "is_active"):
            if values.get(name) is None:
                values[name] = name == "is_active"
            if not values[name]:
                values.pop(name)
        if values.get("yearly_revenue") is None:
            values.pop("yearly_revenue", None)
        form = EstablishmentForm(data=values, instance=instance)
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    ("non_field_errors" if k == "__all__" else k): v
                    for k, v in form.errors.items()
                }
            )
        return form

    def create(self, validated_data: dict[str, Any]) -> Establishment:
        form = self._form(validated_data, None)
        form.instance._history_user = self.context["request"].user
        return form.save()

    def update(
        self, instance: Establishment, validated_data: dict[str, Any]
    ) -> Establishment:
        form = self._form(validated_data, instance)
        form.instance._history_user = self.context["request"].user
        return form.save()


class ReportJobSerializer(serializers.ModelSerializer):
    period = serializers.CharField(
        write_only=True,
        help_text=_("2025, 2025-H1, 2025-Q3, 2025-07 or 2024..2025-H1"),
    )
    source = serializers.CharField(
        write_only=True, required=False, allow_blank=True, default=""
    )
    formats = serializers.ListField(
        child=serializers.ChoiceField(choices=ReportFormat.values),
        write_only=True,
        required=False,
    )
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "period",
            "source",
            "formats",
            "parameters",
            "status",
            "progress",
            "error",
            "created_at",
            "finished_at",
            "downloads",
        ]
        read_only_fields = [
            "id",
            "parameters",
            "status",
            "progress",
            "error",
            "created_at",
            "finished_at",
        ]
        extra_kwargs = {"kind": {"validators": []}}

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_downloads(self, job: ReportJob) -> dict[str, str]:
        from django.urls import reverse

        request = self.context.get("request")
        links = {}
        if job.status != ReportJob.Status.DONE:
            return links
        for fmt in ReportFormat.values:
            if job.file_for(fmt) is not None:
                url = reverse("reports:download", args=[job.pk, fmt])
                links[fmt] = request.build_absolute_uri(url) if request else url
        return links

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The request page's form: the same kinds, period syntax and sources.
        form = ReportRequestForm(
            data={
                "kind": attrs.get("kind", ""),
                "period": attrs.get("period", ""),
                "source": attrs.get("source", ""),
            }
        )
        if not form.is_valid():
            raise serializers.ValidationError(dict(form.errors.items()))
        return {**attrs, **form.cleaned_data}

    def create(self, validated_data: dict[str, Any]) -> ReportJob:
        return report_request(
            kind=validated_data["kind"],
            parameters=report_parameters(
                period=validated_data["period"],
                source=validated_data.get("source") or "",
                formats=validated_data.get("formats"),
            ),
            requested_by=self.context["request"].user,
        )


# --- the public page's data, for anyone (public.publication) ----------------------


class PublicFundingSerializer(serializers.Serializer):
    source = serializers.CharField()
    year = serializers.IntegerField()
    programme = serializers.CharField()
    approved = serializers.IntegerField(allow_null=True)


class PublicBeneficiarySerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    commune = serializers.CharField()
    tax_code = serializers.CharField()


class PublicResultsSerializer(serializers.Serializer):
    acceptance_date = serializers.DateField(allow_null=True)
    machines = serializers.IntegerField()
    trainees = serializers.IntegerField()
    products = serializers.IntegerField()
    jobs_after = serializers.IntegerField(allow_null=True)


class PublicProjectSerializer(serializers.Serializer):
    """A published project as the public page shows it: a withheld field is
    null (and named in `withheld`)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField()
    content = serializers.CharField()
    decision_no = serializers.CharField()
    decision_date = serializers.DateField(allow_null=True)
    commune = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    fundings = PublicFundingSerializer(many=True)
    beneficiaries = PublicBeneficiarySerializer(many=True, allow_null=True)
    approved = serializers.IntegerField(allow_null=True)
    results = PublicResultsSerializer(allow_null=True)
    withheld = serializers.ListField(child=serializers.CharField())
