from rest_framework import serializers

from members.models import Application, Membership, Person, SeatRole


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "preferred_channel",
            "address",
            "postcode",
            "date_of_birth",
            "tenure_type",
            "household_reference",
            "customer_since",
            "customer_until",
            "payment_method",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    panel_slug = serializers.CharField(source="panel.slug", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "panel",
            "panel_slug",
            "person",
            "person_name",
            "role",
            "status",
            "starts_on",
            "first_started_on",
            "term_number",
            "term_ends_on",
            "ended_on",
            "rejoin_barred_until",
        ]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = [
            "id",
            "panel",
            "vacancy",
            "person",
            "seat_role",
            "submitted_on",
            "channel",
            "statement",
            "status",
            "eligibility_reasons",
            "override_reason",
            "outcome_reasons",
            "decided_on",
            "membership",
        ]
        read_only_fields = fields


class ApplicationEnterSerializer(serializers.Serializer):
    panel = serializers.IntegerField()
    person = serializers.IntegerField()
    submitted_on = serializers.DateField()
    seat_role = serializers.ChoiceField(choices=SeatRole.choices, default=SeatRole.RESIDENT)
    statement = serializers.CharField(required=False, allow_blank=True, default="")
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class AppointSerializer(serializers.Serializer):
    panel = serializers.IntegerField()
    person = serializers.IntegerField()
    role = serializers.ChoiceField(choices=SeatRole.choices, default=SeatRole.RESIDENT)
    starts_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ExtendSerializer(serializers.Serializer):
    extend_to = serializers.DateField()
    decided_by = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class LeaveSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class StepDownSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EligibilityQuerySerializer(serializers.Serializer):
    panel = serializers.IntegerField()
    on = serializers.DateField(required=False)
    seat_role = serializers.ChoiceField(choices=SeatRole.choices, required=False)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    source = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)
