"""Scrutiny API serializers. One component per resource for reading and writing: the
writable link to the parent row is its plain id (looked up in the URL's organisation by the
view), so a choice set appears under one component only and its enum keeps one name."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from panels.limits import LimitedModelSerializer
from scrutiny.models import (
    BoardResponse,
    ImprovementAction,
    Measure,
    MeasureResult,
    Rag,
    Recommendation,
    ServiceReview,
)
from scrutiny.performance import rag_status


class MeasureSerializer(LimitedModelSerializer):
    panel = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The panel's slug."
    )

    class Meta:
        model = Measure
        fields = [
            "id",
            "panel",
            "code",
            "name",
            "definition",
            "unit",
            "polarity",
            "target",
            "tolerance",
            "period",
            "is_active",
        ]


class MeasureResultSerializer(LimitedModelSerializer):
    measure = serializers.IntegerField(
        source="measure_id", help_text="The measure's id (in this organisation)."
    )
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    rag = serializers.SerializerMethodField(
        help_text="Red/amber/green against the measure's target and tolerance."
    )

    class Meta:
        model = MeasureResult
        fields = ["id", "measure", "period_start", "value", "source", "note", "rag"]
        read_only_fields = ["source"]
        validators = []  # the service decides (once per period), with its reasons

    @extend_schema_field(serializers.ChoiceField(choices=Rag.choices))
    def get_rag(self, result) -> str:
        measure = result.measure
        return rag_status(
            value=result.value,
            target=measure.target,
            tolerance=measure.tolerance,
            polarity=measure.polarity,
        )


class ServiceReviewSerializer(LimitedModelSerializer):
    panel = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The panel's slug."
    )

    class Meta:
        model = ServiceReview
        fields = [
            "id",
            "panel",
            "title",
            "service_area",
            "topic_source",
            "source_detail",
            "stage",
            "proposed_on",
            "scoping_on",
            "evidence_on",
            "findings_on",
            "recommendations_on",
            "reported_on",
            "reported_to",
        ]


class RecommendationSerializer(LimitedModelSerializer):
    review = serializers.IntegerField(source="review_id", read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "review", "number", "text", "response_due_on"]


class BoardResponseSerializer(LimitedModelSerializer):
    recommendation = serializers.IntegerField(
        source="recommendation_id", help_text="The recommendation's id (in this organisation)."
    )
    reasons = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required in writing when partly accepted or rejected.",
    )
    was_late = serializers.BooleanField(
        read_only=True, help_text="Answered after the response due date."
    )

    class Meta:
        model = BoardResponse
        fields = ["id", "recommendation", "decision", "reasons", "responded_on", "was_late"]
        validators = []


class ImprovementActionSerializer(LimitedModelSerializer):
    recommendation = serializers.IntegerField(
        source="recommendation_id",
        help_text="The accepted (or partly accepted) recommendation's id.",
    )

    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "recommendation",
            "description",
            "owner",
            "due_on",
            "status",
            "completed_on",
            "completion_evidence",
        ]
        read_only_fields = ["status", "completed_on", "completion_evidence"]
        validators = []


class RefusalReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable code, e.g. response.reasons_required.")
    message = serializers.CharField(help_text="What was refused, in plain English.")
    field = serializers.CharField(allow_null=True, help_text="The input it concerns, if any.")
    source = serializers.CharField(
        allow_blank=True, help_text="The document the rule comes from, e.g. the ToR version."
    )


class RefusalSerializer(serializers.Serializer):
    errors = RefusalReasonSerializer(many=True, help_text="Every reason at once.")
