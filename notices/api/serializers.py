from rest_framework import serializers

from notices.models import Breach, Notice


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "panel",
            "recipient_name",
            "channel",
            "channel_note",
            "title",
            "due_at",
            "deadline_on",
            "status",
            "attempts",
            "last_error",
            "sent_at",
        ]
        read_only_fields = fields


class BreachSerializer(serializers.ModelSerializer):
    class Meta:
        model = Breach
        fields = [
            "id",
            "panel",
            "rule",
            "subject_label",
            "due_on",
            "done_on",
            "rule_text",
            "source",
            "recorded_at",
        ]
        read_only_fields = fields
