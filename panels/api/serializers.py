from dataclasses import fields as dataclass_fields

from rest_framework import serializers

from panels.limits import BIRTH, EVENT, ApiDateField, LimitedModelSerializer
from panels.models import DeadlineRule, Panel, TermsOfReference
from panels.rules import PersonFacts
from panels.terms_validation import SEAT_ROLES, TENURES


class PanelSerializer(LimitedModelSerializer):
    class Meta:
        model = Panel
        fields = ["id", "slug", "name", "purpose", "reports_to", "is_public"]


class DeadlineRuleSerializer(LimitedModelSerializer):
    class Meta:
        model = DeadlineRule
        fields = ["kind", "amount", "unit", "direction", "channel"]


class TermsOfReferenceSerializer(LimitedModelSerializer):
    """One version with every rule (unset rules are null, empty or blank: not stated)."""

    panel = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    deadlines = DeadlineRuleSerializer(many=True, read_only=True)

    class Meta:
        model = TermsOfReference
        exclude = ["organisation", "created_by", "source_file"]


class RuleReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    source = serializers.CharField()


class OnDateQuerySerializer(serializers.Serializer):
    on = ApiDateField(
        required=False, help_text="Whose rules: the version in force on this date (default today)."
    )


class DeadlinesQuerySerializer(serializers.Serializer):
    date = ApiDateField(help_text="The proposed meeting date, YYYY-MM-DD.")


class MeetingDeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    due_on = ApiDateField()
    last_working_day_on = ApiDateField(allow_null=True)
    direction = serializers.CharField()
    rule_text = serializers.CharField()
    channel = serializers.CharField()


class DeadlinesSerializer(serializers.Serializer):
    meeting_date = ApiDateField()
    terms_version = serializers.IntegerField()
    deadlines = MeetingDeadlineSerializer(many=True)


class QuorumQuerySerializer(OnDateQuerySerializer):
    present = serializers.IntegerField(
        min_value=0, help_text="Voting members present (for HFH: voting resident members)."
    )
    members = serializers.IntegerField(min_value=0, help_text="Voting members of the panel.")


class QuorumSerializer(serializers.Serializer):
    terms_version = serializers.IntegerField()
    members = serializers.IntegerField()
    present = serializers.IntegerField()
    required = serializers.IntegerField(allow_null=True)
    stated = serializers.BooleanField(help_text="False: the ToR sets no quorum.")
    is_quorate = serializers.BooleanField(
        allow_null=True, help_text="Null where the terms of reference set no quorum."
    )
    message = serializers.CharField()
    short_by = serializers.IntegerField()
    rule_text = serializers.CharField()
    source = serializers.CharField()


def _fact_field(name: str, default):
    if name in ("date_of_birth", "rejoin_barred_until"):
        limit = BIRTH if name == "date_of_birth" else EVENT
        return ApiDateField(limit=limit, required=False, allow_null=True, default=None)
    if name == "tenure_type":
        return serializers.ChoiceField(choices=sorted(TENURES), default=default)
    return serializers.BooleanField(default=default)


class PersonFactsSerializer(serializers.Serializer):
    """The facts the eligibility rules read (PersonFacts), a seat role and a date."""

    on = ApiDateField(required=False, help_text="Judge by the rules in force then.")
    seat_role = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The seat applied for (exemptions apply per role): "
        + ", ".join(sorted(SEAT_ROLES))
        + ".",
    )

    def validate_seat_role(self, value):
        if value and value not in SEAT_ROLES:
            raise serializers.ValidationError(f"Unknown seat role {value!r}.")
        return value

    def get_fields(self):
        fields = super().get_fields()
        for field in dataclass_fields(PersonFacts):
            fields[field.name] = _fact_field(field.name, field.default)
        return fields

    def facts(self) -> PersonFacts:
        names = {f.name for f in dataclass_fields(PersonFacts)}
        return PersonFacts(**{k: v for k, v in self.validated_data.items() if k in names})


class FactsEligibilitySerializer(serializers.Serializer):
    terms_version = serializers.IntegerField()
    eligible = serializers.BooleanField()
    reasons = RuleReasonSerializer(many=True)
