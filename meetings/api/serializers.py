from rest_framework import serializers

from meetings.models import AgendaItem, Attendance, Meeting, Minutes, Motion
from panels import permissions
from panels.limits import ApiDateField, LimitedModelSerializer


def _viewer(serializer):
    request = serializer.context.get("request")
    return permissions.viewer_of(request) if request is not None else None


class MeetingSerializer(LimitedModelSerializer):
    """The video link only for the panel's own members and officers (permission matrix);
    anyone else gets an empty string."""

    panel = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    def to_representation(self, meeting):
        data = super().to_representation(meeting)
        viewer = _viewer(self)
        if viewer is None or not permissions.may(viewer, "meeting_link", "view", meeting):
            data["virtual_link"] = ""
        return data

    class Meta:
        model = Meeting
        fields = [
            "id",
            "panel",
            "title",
            "date",
            "start_time",
            "end_time",
            "place",
            "virtual_link",
            "status",
            "notice_given_on",
            "papers_issued_on",
            "minutes_published_on",
            "key_messages_published_on",
            "presiding_basis",
        ]


class MeetingScheduleSerializer(serializers.Serializer):
    panel = serializers.SlugField()
    date = ApiDateField()
    start_time = serializers.TimeField(required=False, allow_null=True)
    end_time = serializers.TimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, default="")
    virtual_link = serializers.URLField(required=False, allow_blank=True, default="")
    late_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        help_text="Why the meeting is scheduled although its notice or papers deadline has "
        "passed or cannot be met; refused without it in that case (recorded on the breach).",
    )


class AgendaItemSerializer(LimitedModelSerializer):
    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "position",
            "title",
            "description",
            "owner",
            "minutes_allotted",
            "is_confidential",
            "source",
            "chair_accepted_late",
        ]


class AttendanceSerializer(LimitedModelSerializer):
    """An apology reason only for those the matrix gives it to (officers, the member)."""

    person = serializers.CharField(source="membership.person.full_name", read_only=True)
    role = serializers.CharField(source="membership.role", read_only=True)

    def to_representation(self, line):
        data = super().to_representation(line)
        viewer = _viewer(self)
        if viewer is None or not permissions.may(viewer, "apology_reason", "view", line):
            data["apology_reason"] = ""
        return data

    class Meta:
        model = Attendance
        fields = [
            "id",
            "meeting",
            "membership",
            "person",
            "role",
            "status",
            "apology_reason",
            "reason_accepted",
            "arrived_at",
            "left_at",
            "acting_for",
        ]
        # Times and "acting for" are recorded through the console's register form, whose
        # checks (departure after arrival, within the meeting, votes) they need.
        read_only_fields = ["reason_accepted", "arrived_at", "left_at", "acting_for"]


class AttendanceCreateSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    membership = serializers.IntegerField()
    status = serializers.CharField()
    apology_reason = serializers.CharField(required=False, allow_blank=True, default="")


class MotionSerializer(LimitedModelSerializer):
    carried = serializers.BooleanField(read_only=True)

    class Meta:
        model = Motion
        fields = [
            "id",
            "meeting",
            "item",
            "kind",
            "text",
            "mover",
            "consensus",
            "votes_for",
            "votes_against",
            "abstentions",
            "chair_casting_vote_for",
            "outcome",
            "carried",
            "method",
            "explanation",
            "decided_at",
        ]


class MinutesSerializer(LimitedModelSerializer):
    entries = serializers.SerializerMethodField()

    class Meta:
        model = Minutes
        fields = [
            "id",
            "meeting",
            "version",
            "correction_note",
            "approved_on",
            "published_on",
            "entries",
        ]

    def get_entries(self, minutes) -> list[dict]:
        """Insiders (officers, the panel's members) get every entry; anyone else only the
        public text frozen at publication."""
        insider_panels = self.context.get("insider_panels")
        if insider_panels is None or minutes.meeting.panel_id in insider_panels:
            return [
                {
                    "item": e.item_id,
                    "title": e.item.title,
                    "is_confidential": e.item.is_confidential,
                    "audience": e.audience,
                    "text": e.text,
                }
                for e in minutes.entries.all()
            ]
        return list(minutes.public_entries)
