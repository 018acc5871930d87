"""People, applications and seats, with the same services (and refusals) as the pages.
Personal data: officers and admins only."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from members import selectors, services
from members.api import serializers as s
from members.models import Application, Membership, Person
from panels.access import STAFF
from panels.api.base import OrganisationViewSetMixin
from panels.models import Panel
from panels.tenancy import get_for_org_or_404


class PersonViewSet(
    OrganisationViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Person.objects.none()
    serializer_class = s.PersonSerializer
    read_roles = STAFF

    def get_queryset(self):
        return selectors.person_list(org=self.org)

    def perform_create(self, serializer):
        serializer.instance = services.person_create(
            org=self.org, by=self.request.user, **serializer.validated_data
        )

    @extend_schema(parameters=[s.EligibilityQuerySerializer], responses=s.EligibilitySerializer)
    @action(detail=True, methods=["get"])
    def eligibility(self, request, *args, **kwargs):
        """Every reason the person may not sit on a panel, from the ToR in force on the date."""
        person = self.get_object()
        query = s.EligibilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        panel = get_for_org_or_404(Panel, org=self.org, pk=query.validated_data["panel"])
        reasons = selectors.person_eligibility(
            person=person,
            panel=panel,
            on=query.validated_data.get("on") or timezone.localdate(),
            seat_role=query.validated_data.get("seat_role"),
        )
        return Response(
            {
                "eligible": not reasons,
                "reasons": [
                    {"code": r.code, "message": r.message, "field": r.field, "source": r.source}
                    for r in reasons
                ],
            }
        )


class ApplicationViewSet(
    OrganisationViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Application.objects.none()
    serializer_class = s.ApplicationSerializer
    read_roles = STAFF

    def get_queryset(self):
        return selectors.application_queue(org=self.org)

    @extend_schema(request=s.ApplicationEnterSerializer, responses=s.ApplicationSerializer)
    def create(self, request, *args, **kwargs):
        payload = s.ApplicationEnterSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        panel = get_for_org_or_404(Panel, org=self.org, pk=data.pop("panel"))
        person = get_for_org_or_404(Person, org=self.org, pk=data.pop("person"))
        application = services.application_enter(
            panel=panel, person=person, by=request.user, **data
        )
        return Response(s.ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class MembershipViewSet(
    OrganisationViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Membership.objects.none()
    serializer_class = s.MembershipSerializer
    read_roles = STAFF

    def get_queryset(self):
        return (
            Membership.objects.for_org(self.org)
            .select_related("person", "panel")
            .order_by("panel__name", "person__last_name", "id")
        )

    def _done(self, membership, code=status.HTTP_200_OK):
        membership.refresh_from_db()
        return Response(s.MembershipSerializer(membership).data, status=code)

    @extend_schema(request=s.AppointSerializer, responses=s.MembershipSerializer)
    def create(self, request, *args, **kwargs):
        """Appoint a person to a panel (eligibility, maximum, tenure caps, household)."""
        payload = s.AppointSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        panel = get_for_org_or_404(Panel, org=self.org, pk=data.pop("panel"))
        person = get_for_org_or_404(Person, org=self.org, pk=data.pop("person"))
        membership = services.membership_appoint(
            panel=panel, person=person, by=request.user, **data
        )
        return self._done(membership, status.HTTP_201_CREATED)

    @extend_schema(request=s.ExtendSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, *args, **kwargs):
        membership = self.get_object()  # another organisation's seat: 404 before anything
        payload = s.ExtendSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.membership_extend(membership=membership, by=request.user, **payload.validated_data)
        return self._done(membership)

    @extend_schema(request=s.LeaveSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, *args, **kwargs):
        membership = self.get_object()  # another organisation's seat: 404 before anything
        payload = s.LeaveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.leave_grant(membership=membership, by=request.user, **payload.validated_data)
        return self._done(membership)

    @extend_schema(request=s.StepDownSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"], url_path="step-down")
    def step_down(self, request, *args, **kwargs):
        membership = self.get_object()  # another organisation's seat: 404 before anything
        payload = s.StepDownSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.membership_step_down(
            membership=membership, by=request.user, **payload.validated_data
        )
        return self._done(membership)
