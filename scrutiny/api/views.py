"""The scrutiny API. Reads: any role in the organisation. Writes: officers (responses:
Board members too). Every row is looked up in the organisation of the URL, so another
organisation's recommendation or measure is a 404."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from panels.api.base import BOARD_OR_STAFF, OrganisationViewSetMixin
from scrutiny import selectors, services
from scrutiny.api import serializers as s
from scrutiny.models import (
    BoardResponse,
    ImprovementAction,
    Measure,
    MeasureResult,
    Recommendation,
    ServiceReview,
)


class ReadOnly(OrganisationViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


def _create_schema(serializer, parent: str):
    """A POST that records one row: 201 with it, 400 with every reason, 404 for a parent
    that is not in this organisation."""
    return extend_schema(
        request=serializer,
        responses={
            201: serializer,
            400: OpenApiResponse(
                s.RefusalSerializer,
                description="Refused by a rule: every reason with its code, message, field "
                "and source document (input that does not parse answers field errors).",
            ),
            404: OpenApiResponse(
                description=f"No such {parent} in this organisation (another "
                "organisation's row answers the same)."
            ),
        },
    )


class MeasureViewSet(ReadOnly):
    """Performance measures agreed by the organisation's panels."""

    serializer_class = s.MeasureSerializer
    queryset = Measure.objects.none()

    def get_queryset(self):
        return selectors.measure_list(org=self.org)


class MeasureResultViewSet(mixins.CreateModelMixin, ReadOnly):
    """Results per period, with their RAG status. POST records one result."""

    serializer_class = s.MeasureResultSerializer
    queryset = MeasureResult.objects.none()

    def get_queryset(self):
        return selectors.result_list(org=self.org)

    @_create_schema(s.MeasureResultSerializer, "measure")
    def create(self, request, *args, **kwargs):
        incoming = s.MeasureResultSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        measure = selectors.access_measure(org=self.org, measure_id=data.pop("measure_id"))
        result = services.result_record(
            measure=measure, by=request.user, today=timezone.localdate(), **data
        )
        return Response(s.MeasureResultSerializer(result).data, status=status.HTTP_201_CREATED)


class ServiceReviewViewSet(ReadOnly):
    """Service reviews of the organisation's panels, with each stage's date."""

    serializer_class = s.ServiceReviewSerializer
    queryset = ServiceReview.objects.none()

    def get_queryset(self):
        return selectors.review_list(org=self.org)


class RecommendationViewSet(ReadOnly):
    """Recommendations of the reviews, numbered per review, with the response due date."""

    serializer_class = s.RecommendationSerializer
    queryset = Recommendation.objects.none()

    def get_queryset(self):
        return Recommendation.objects.for_org(self.org).order_by("review_id", "number")


class BoardResponseViewSet(mixins.CreateModelMixin, ReadOnly):
    """The Board's written responses. POST records one (Board members and officers)."""

    serializer_class = s.BoardResponseSerializer
    queryset = BoardResponse.objects.none()
    write_roles = BOARD_OR_STAFF

    def get_queryset(self):
        return selectors.response_list(org=self.org).order_by("-responded_on", "pk")

    @_create_schema(s.BoardResponseSerializer, "recommendation")
    def create(self, request, *args, **kwargs):
        incoming = s.BoardResponseSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        recommendation = selectors.access_recommendation(
            org=self.org, recommendation_id=data.pop("recommendation_id")
        )
        response = services.response_record(recommendation=recommendation, by=request.user, **data)
        return Response(s.BoardResponseSerializer(response).data, status=status.HTTP_201_CREATED)


class ImprovementActionViewSet(mixins.CreateModelMixin, ReadOnly):
    """Improvement-plan actions. POST adds one to an accepted recommendation."""

    serializer_class = s.ImprovementActionSerializer
    queryset = ImprovementAction.objects.none()

    def get_queryset(self):
        return selectors.action_list(org=self.org, today=timezone.localdate())

    @_create_schema(s.ImprovementActionSerializer, "recommendation")
    def create(self, request, *args, **kwargs):
        incoming = s.ImprovementActionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        recommendation = selectors.access_recommendation(
            org=self.org, recommendation_id=data.pop("recommendation_id")
        )
        action = services.action_add(recommendation=recommendation, by=request.user, **data)
        return Response(s.ImprovementActionSerializer(action).data, status=status.HTTP_201_CREATED)
