"""Panels, their terms-of-reference versions, and answers computed from the rules in force:
deadlines for a proposed meeting date, quorum for a count, eligibility for a person's facts."""

import datetime

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from panels import rules
from panels.access import STAFF
from panels.api import serializers as s
from panels.api.base import OrganisationReadOnlyViewSet
from panels.models import Panel, TermsOfReference
from panels.selectors import panel_list, terms_in_force, terms_versions, working_calendar

PANEL_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.STR, OpenApiParameter.PATH, description="The panel's id or slug."
)


class PanelViewSet(OrganisationReadOnlyViewSet):
    """Panels of the organisation, addressed by id or slug."""

    serializer_class = s.PanelSerializer
    queryset = Panel.objects.none()  # for schema generation; requests use get_queryset
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return panel_list(org=self.org)

    def get_object(self):
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        lookup = {"pk": int(value)} if value.isdigit() else {"slug": value}
        panel = self.get_queryset().filter(**lookup).first()
        if panel is None:
            raise Http404("No such panel.")
        self.check_object_permissions(self.request, panel)
        return panel

    def _terms_on(self, panel: Panel, on: datetime.date, field: str) -> TermsOfReference:
        terms = terms_in_force(panel=panel, on=on)
        if terms is None:
            raise ValidationError(
                {field: [f"No terms of reference are in force for this panel on {on:%d %B %Y}."]}
            )
        return terms

    @extend_schema(parameters=[PANEL_PARAMETER], responses=s.TermsOfReferenceSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def terms(self, request, *args, **kwargs):
        """Every version of the panel's terms of reference, newest first, with deadlines."""
        versions = terms_versions(panel=self.get_object())
        return Response(s.TermsOfReferenceSerializer(versions, many=True).data)

    @extend_schema(
        parameters=[PANEL_PARAMETER, s.DeadlinesQuerySerializer],
        responses=s.DeadlinesSerializer,
    )
    @action(detail=True, methods=["get"])
    def deadlines(self, request, *args, **kwargs):
        """The deadlines of the rules in force on a proposed meeting date (working days skip
        weekends, bank holidays and the organisation's closure days)."""
        panel = self.get_object()
        query = s.DeadlinesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        meeting_date = query.validated_data["date"]
        terms = self._terms_on(panel, meeting_date, "date")
        try:
            deadlines = rules.meeting_deadlines(
                deadline_rules=terms.deadlines.all(),
                meeting_date=meeting_date,
                calendar=working_calendar(org=self.org),
            )
        except rules.CalendarOutOfRange as error:
            raise ValidationError({"date": [str(error)]}) from None
        return Response(
            s.DeadlinesSerializer(
                {
                    "meeting_date": meeting_date,
                    "terms_version": terms.version,
                    "deadlines": deadlines,
                }
            ).data
        )

    @extend_schema(
        parameters=[PANEL_PARAMETER, s.QuorumQuerySerializer], responses=s.QuorumSerializer
    )
    @action(detail=True, methods=["get"])
    def quorum(self, request, *args, **kwargs):
        """Whether a meeting with ``present`` voting members out of ``members`` is quorate."""
        panel = self.get_object()
        query = s.QuorumQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        terms = self._terms_on(panel, data.get("on") or timezone.localdate(), "on")
        state = rules.quorum_state(
            terms=terms, membership=data["members"], present_voting=data["present"]
        )
        return Response(
            s.QuorumSerializer(
                {
                    "terms_version": terms.version,
                    "members": data["members"],
                    "present": state.present,
                    "required": state.required,
                    "stated": state.stated,
                    "is_quorate": state.is_quorate,
                    "message": state.message,
                    "short_by": state.short_by,
                    "rule_text": state.rule_text,
                    "source": state.source,
                }
            ).data
        )

    @extend_schema(
        parameters=[PANEL_PARAMETER],
        request=s.PersonFactsSerializer,
        responses=s.FactsEligibilitySerializer,
    )
    @action(detail=True, methods=["post"], write_roles=STAFF)
    def eligibility(self, request, *args, **kwargs):
        """Every reason a person with these facts may not sit on the panel (none: eligible).
        Computes only; nothing is stored."""
        panel = self.get_object()
        body = s.PersonFactsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        on = body.validated_data.get("on") or timezone.localdate()
        terms = self._terms_on(panel, on, "on")
        reasons = rules.eligibility_reasons(
            terms=terms,
            facts=body.facts(),
            today=on,
            seat_role=body.validated_data.get("seat_role"),
        )
        return Response(
            s.FactsEligibilitySerializer(
                {"terms_version": terms.version, "eligible": not reasons, "reasons": reasons}
            ).data
        )


class TermsOfReferenceViewSet(OrganisationReadOnlyViewSet):
    """Every terms-of-reference version of the organisation's panels (filter: ?panel=slug)."""

    serializer_class = s.TermsOfReferenceSerializer
    queryset = TermsOfReference.objects.none()

    def get_queryset(self):
        versions = (
            TermsOfReference.objects.for_org(self.org)
            .select_related("panel")
            .prefetch_related("deadlines")
            .order_by("panel__name", "-effective_from")
        )
        panel = self.request.query_params.get("panel")
        return versions.filter(panel__slug=panel) if panel else versions

    @extend_schema(
        parameters=[OpenApiParameter("panel", OpenApiTypes.STR, description="Panel slug.")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
