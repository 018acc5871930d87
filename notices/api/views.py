from notices.api.serializers import BreachSerializer, NoticeSerializer
from notices.models import Breach, Notice
from notices.selectors import notice_list_for_officers
from panels.access import BOARD_OR_STAFF, STAFF
from panels.api.base import OrganisationReadOnlyViewSet


class NoticeViewSet(OrganisationReadOnlyViewSet):
    """The notice ledger (officers)."""

    serializer_class = NoticeSerializer
    queryset = Notice.objects.none()  # for schema generation; requests use get_queryset
    read_roles = STAFF

    def get_queryset(self):
        return notice_list_for_officers(org=self.org)


class BreachViewSet(OrganisationReadOnlyViewSet):
    """Breaches of the terms of reference (board and officers)."""

    serializer_class = BreachSerializer
    queryset = Breach.objects.none()
    read_roles = BOARD_OR_STAFF

    def get_queryset(self):
        return Breach.objects.for_org(self.org).select_related("panel").order_by("-due_on", "id")
