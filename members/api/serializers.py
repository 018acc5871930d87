from django.urls import reverse
from rest_framework import serializers

from members.models import (
    Application,
    Declaration,
    DeclarationKind,
    ExpenseClaim,
    Membership,
    Person,
    SeatRole,
    TrainingKind,
    TrainingRecord,
)


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


class RoleChangeSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=SeatRole.choices)
    on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RemovalFlagDecideSerializer(serializers.Serializer):
    panel_decision = serializers.ChoiceField(
        choices=[("keep", "Keep the member"), ("remove", "Remove the member")]
    )
    on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    under_code_of_conduct = serializers.BooleanField(required=False, default=False)


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


class ReappointSerializer(serializers.Serializer):
    new_term_starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    decided_by = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DeclarationSerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = Declaration
        fields = [
            "id",
            "person",
            "kind",
            "applies_from",
            "applies_until",
            "note",
            "self_declared",
            "recorded_on",
            "recorded_by",
        ]
        read_only_fields = fields


class DeclarationCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeclarationKind.choices)
    applies_from = serializers.DateField()
    applies_until = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    self_declared = serializers.BooleanField(required=False, default=False)


class DeclarationEndSerializer(serializers.Serializer):
    applies_until = serializers.DateField()


class TrainingSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingRecord
        fields = ["id", "person", "kind", "title", "completed_on"]
        read_only_fields = fields


class TrainingCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TrainingKind.choices)
    title = serializers.CharField(max_length=200)
    completed_on = serializers.DateField()


class ExpenseClaimSerializer(serializers.ModelSerializer):
    has_receipt = serializers.SerializerMethodField()
    receipt_name = serializers.CharField(read_only=True)
    receipt_url = serializers.SerializerMethodField()

    class Meta:
        model = ExpenseClaim
        fields = [
            "id",
            "membership",
            "incurred_on",
            "description",
            "amount",
            "has_receipt",
            "receipt_name",
            "receipt_url",
            "status",
            "agreed_in_advance",
            "held_reason",
            "decided_on",
            "decision_reason",
        ]
        read_only_fields = fields

    def get_has_receipt(self, claim) -> bool:
        return bool(claim.receipt)

    def get_receipt_url(self, claim) -> str | None:
        """The download page, which checks the reader's right to the claim; never storage."""
        if not claim.receipt:
            return None
        request = self.context.get("request")
        org = getattr(request, "organisation", None) or claim.organisation
        url = reverse(
            "members:expense_receipt",
            kwargs={"org_slug": org.slug, "expense_claim_id": claim.pk},
        )
        return request.build_absolute_uri(url) if request is not None else url


class ExpenseClaimCreateSerializer(serializers.Serializer):
    membership = serializers.IntegerField()
    incurred_on = serializers.DateField()
    description = serializers.CharField(max_length=300)
    amount = serializers.DecimalField(max_digits=8, decimal_places=2)
    receipt = serializers.FileField(required=False, allow_null=True, default=None)
    agreed_in_advance = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Agreed with the officer before it was incurred; where the ToR says claims "
        "are usually agreed in advance, one that was not is held with the reason.",
    )


class ExpenseDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
