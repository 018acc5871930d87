"""People, applications and seats, with the same services (and refusals) as the pages.
Personal data: officers and admins only."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from members import selectors, services
from members.api import serializers as s
from members.models import Application, Declaration, ExpenseClaim, Membership, Person
from panels import permissions
from panels.access import ANY_ROLE, STAFF
from panels.api.base import OrganisationViewSetMixin
from panels.api.parsers import DepthLimitedJSONParser
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

    @extend_schema(methods=["get"], responses=s.DeclarationSerializer(many=True), request=None)
    @extend_schema(
        methods=["post"], request=s.DeclarationCreateSerializer, responses=s.DeclarationSerializer
    )
    @action(detail=True, methods=["get", "post"])
    def declarations(self, request, *args, **kwargs):
        """A person's declarations (who recorded each and when); POST records one."""
        person = self.get_object()
        if request.method == "GET":
            rows = selectors.person_declarations(person=person)
            return Response(s.DeclarationSerializer(rows, many=True).data)
        payload = s.DeclarationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        declaration = services.declaration_record(
            person=person, by=request.user, **payload.validated_data
        )
        return Response(s.DeclarationSerializer(declaration).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=s.TrainingSerializer(many=True), request=None)
    @extend_schema(
        methods=["post"], request=s.TrainingCreateSerializer, responses=s.TrainingSerializer
    )
    @action(detail=True, methods=["get", "post"])
    def training(self, request, *args, **kwargs):
        """A person's training; POST records some (core training activates an awaiting seat
        where the ToR requires it first)."""
        person = self.get_object()
        if request.method == "GET":
            rows = selectors.person_training(person=person)
            return Response(s.TrainingSerializer(rows, many=True).data)
        payload = s.TrainingCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record = services.training_record(person=person, by=request.user, **payload.validated_data)
        return Response(s.TrainingSerializer(record).data, status=status.HTTP_201_CREATED)


class DeclarationViewSet(
    OrganisationViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Declaration.objects.none()
    serializer_class = s.DeclarationSerializer
    read_roles = STAFF

    def get_queryset(self):
        return selectors.declaration_list(org=self.org)

    @extend_schema(request=s.DeclarationEndSerializer, responses=s.DeclarationSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, *args, **kwargs):
        """Record the last day a declaration applied."""
        declaration = self.get_object()
        payload = s.DeclarationEndSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.declaration_end(declaration=declaration, by=request.user, **payload.validated_data)
        declaration.refresh_from_db()
        return Response(s.DeclarationSerializer(declaration).data)


class ExpenseClaimViewSet(
    OrganisationViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Officers see and decide every claim; a member sees and makes their own."""

    queryset = ExpenseClaim.objects.none()
    serializer_class = s.ExpenseClaimSerializer
    read_roles = ANY_ROLE
    write_roles = ANY_ROLE
    parser_classes = [MultiPartParser, FormParser, DepthLimitedJSONParser]

    def _is_staff(self) -> bool:
        return bool(set(self.request.org_roles) & STAFF)

    def get_queryset(self):
        return selectors.expense_claims_visible(
            org=self.org, viewer=permissions.viewer_of(self.request)
        )

    @extend_schema(request=s.ExpenseClaimCreateSerializer, responses=s.ExpenseClaimSerializer)
    def create(self, request, *args, **kwargs):
        """Claim expenses for a seat (your own, unless you are an officer), with the receipt
        as a multipart upload where the ToR requires receipts."""
        payload = s.ExpenseClaimCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        membership = selectors.membership_for_claim(
            org=self.org,
            membership_id=data.pop("membership"),
            user=request.user,
            is_staff=self._is_staff(),
        )
        claim = services.expense_claim_submit(membership=membership, by=request.user, **data)
        return Response(s.ExpenseClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ExpenseDecideSerializer, responses=s.ExpenseClaimSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        """Approve or refuse a claim (officers)."""
        claim = self.get_object()
        if not permissions.may(permissions.viewer_of(request), "expense_claim", "decide", claim):
            raise PermissionDenied("Only officers decide expense claims.")
        payload = s.ExpenseDecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        claim = services.expense_claim_decide(
            claim=claim, by=request.user, **payload.validated_data
        )
        return Response(s.ExpenseClaimSerializer(claim).data)


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

    @extend_schema(request=s.ReappointSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def reappoint(self, request, *args, **kwargs):
        """A further term within the ToR's terms and years; who decided is required."""
        membership = self.get_object()  # another organisation's seat: 404 before anything
        payload = s.ReappointSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.membership_reappoint(
            membership=membership, by=request.user, **payload.validated_data
        )
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

    @extend_schema(request=s.RoleChangeSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def role(self, request, *args, **kwargs):
        """Change the seat's role outside an election (chair and vice chair are elected)."""
        membership = self.get_object()  # another organisation's seat: 404 before anything
        payload = s.RoleChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.membership_change_role(
            membership=membership, by=request.user, **payload.validated_data
        )
        return self._done(membership)

    @extend_schema(request=s.RemovalFlagDecideSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"], url_path="absences-decide")
    def absences_decide(self, request, *args, **kwargs):
        """The panel's decision on the seat's open removal flag: keep or remove."""
        membership = self.get_object()  # another organisation's seat: 404 before anything
        flag = selectors.open_removal_flag(membership=membership)
        if flag is None:
            raise NotFound("No removal flag awaits a decision for this seat.")
        payload = s.RemovalFlagDecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        services.removal_flag_decide(
            flag=flag, decision=data.pop("panel_decision"), by=request.user, **data
        )
        return self._done(membership)
