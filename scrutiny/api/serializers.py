from rest_framework import serializers

from scrutiny.models import (
    BoardResponse,
    ImprovementAction,
    Measure,
    MeasureResult,
    Recommendation,
    ServiceReview,
)
from scrutiny.performance import rag_status


class MeasureSerializer(serializers.ModelSerializer):
    panel = serializers.SlugRelatedField(slug_field="slug", read_only=True)

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


class MeasureResultSerializer(serializers.ModelSerializer):
    rag = serializers.SerializerMethodField()

    class Meta:
        model = MeasureResult
        fields = ["id", "measure", "period_start", "value", "source", "note", "rag"]
        read_only_fields = ["source", "rag"]
        extra_kwargs = {"measure": {"read_only": True}}

    def get_rag(self, result) -> str:
        measure = result.measure
        return rag_status(
            value=result.value,
            target=measure.target,
            tolerance=measure.tolerance,
            polarity=measure.polarity,
        )


class MeasureResultCreateSerializer(serializers.Serializer):
    measure = serializers.IntegerField()
    period_start = serializers.DateField()
    value = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(max_length=300, required=False, default="")


class ServiceReviewSerializer(serializers.ModelSerializer):
    panel = serializers.SlugRelatedField(slug_field="slug", read_only=True)

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


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["id", "review", "number", "text", "response_due_on"]


class BoardResponseSerializer(serializers.ModelSerializer):
    was_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = BoardResponse
        fields = ["id", "recommendation", "decision", "reasons", "responded_on", "was_late"]


class BoardResponseCreateSerializer(serializers.Serializer):
    recommendation = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=BoardResponse._meta.get_field("decision").choices)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    responded_on = serializers.DateField()


class ImprovementActionSerializer(serializers.ModelSerializer):
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
        extra_kwargs = {"recommendation": {"read_only": True}}


class ImprovementActionCreateSerializer(serializers.Serializer):
    recommendation = serializers.IntegerField()
    description = serializers.CharField()
    owner = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
