"""The meetings API. Reads for any role in the organisation; confidential items (and motions and
minutes about them) only for officers and members of the item's panel. Writes go through the
same services as the pages."""

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from meetings import selectors, services
from meetings.api.serializers import (
    AgendaItemSerializer,
    AttendanceCreateSerializer,
    AttendanceSerializer,
    MeetingScheduleSerializer,
    MeetingSerializer,
    MinutesSerializer,
    MotionSerializer,
)
from meetings.models import AgendaItem, Attendance, Meeting, MinuteEntry, Minutes, Motion
from members.models import Membership
from panels import permissions
from panels.api.base import OrganisationViewSetMixin
from panels.models import Panel
from panels.tenancy import get_for_org_or_404


def insider_panels(request, org) -> set | None:
    """Whose confidential items the user may see, per the permission matrix: None for every
    panel (officers), else the panels where the user holds a current seat (maybe none)."""
    viewer = permissions.viewer_of(request)
    scopes = permissions.scopes_of(roles=viewer.roles, subject="confidential_item", action="view")
    if permissions.Scope.ALL in scopes:
        return None
    if permissions.Scope.OWN_PANEL in scopes:
        return set(viewer.seat_panel_ids)
    return set()


class MeetingViewSet(
    OrganisationViewSetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    queryset = Meeting.objects.none()
    serializer_class = MeetingSerializer

    def get_queryset(self):
        return Meeting.objects.for_org(self.org).select_related("panel").order_by("date")

    def get_serializer_class(self):
        return MeetingScheduleSerializer if self.action == "create" else MeetingSerializer

    @extend_schema(request=MeetingScheduleSerializer, responses=MeetingSerializer)
    def create(self, request, *args, **kwargs):
        data = MeetingScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        panel = get_for_org_or_404(Panel, org=self.org, slug=values.pop("panel"))
        meeting = services.meeting_schedule(
            panel=panel, by=request.user, today=timezone.localdate(), **values
        )
        return Response(
            MeetingSerializer(meeting, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class AgendaItemViewSet(OrganisationViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = AgendaItem.objects.none()
    serializer_class = AgendaItemSerializer

    def get_queryset(self):
        items = AgendaItem.objects.for_org(self.org).order_by("meeting__date", "position")
        panels = insider_panels(self.request, self.org)
        if panels is not None:
            items = items.filter(Q(is_confidential=False) | Q(meeting__panel_id__in=panels))
        return items


class AttendanceViewSet(
    OrganisationViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Register lines: officers see every line; a member or Board member only their own
    (apology reasons can be health data). Recording: officers. (The permission matrix.)"""

    queryset = Attendance.objects.none()
    serializer_class = AttendanceSerializer
    write_roles = permissions.roles_for("attendance", "record")

    def get_queryset(self):
        lines = (
            Attendance.objects.for_org(self.org)
            .select_related("membership__person")
            .order_by("meeting_id", "id")
        )
        return permissions.rows(lines, permissions.viewer_of(self.request), "attendance", "view")

    @extend_schema(request=AttendanceCreateSerializer, responses=AttendanceSerializer)
    def create(self, request, *args, **kwargs):
        data = AttendanceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        meeting = get_for_org_or_404(Meeting, org=self.org, pk=values["meeting"])
        membership = Membership.objects.for_org(self.org).filter(pk=values["membership"]).first()
        line = services.attendance_record(
            meeting=meeting,
            membership=membership,
            status=values["status"],
            apology_reason=values["apology_reason"],
            today=timezone.localdate(),
            by=request.user,
        )
        return Response(
            AttendanceSerializer(line, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class MotionViewSet(OrganisationViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Motion.objects.none()
    serializer_class = MotionSerializer

    def get_queryset(self):
        motions = Motion.objects.for_org(self.org).order_by("meeting_id", "id")
        panels = insider_panels(self.request, self.org)
        if panels is not None:
            motions = motions.filter(
                Q(item__isnull=True)
                | Q(item__is_confidential=False)
                | Q(meeting__panel_id__in=panels)
            )
        return motions


class MinutesViewSet(OrganisationViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Minutes versions. Outside the panel: published versions only, public text only."""

    queryset = Minutes.objects.none()
    serializer_class = MinutesSerializer

    def get_queryset(self):
        from django.db.models import Prefetch

        minutes = (
            Minutes.objects.for_org(self.org)
            .select_related("meeting")
            .prefetch_related(
                Prefetch(
                    "entries", queryset=MinuteEntry.objects.for_org(self.org).select_related("item")
                )
            )
            .order_by("meeting_id", "version")
        )
        panels = insider_panels(self.request, self.org)
        if panels is not None:
            # Outside the panel: published versions only, and none where the ToR says
            # minutes are not public.
            withheld = selectors.withheld_meeting_ids(org=self.org)
            minutes = minutes.filter(
                (Q(published_on__isnull=False) & ~Q(meeting_id__in=withheld))
                | Q(meeting__panel_id__in=panels)
            )
        return minutes

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "org", None) is not None:
            context["insider_panels"] = insider_panels(self.request, self.org)
        return context
