from panels.api.base import OrganisationReadOnlyViewSet
from panels.api.serializers import PanelSerializer
from panels.models import Panel
from panels.selectors import panel_list


class PanelViewSet(OrganisationReadOnlyViewSet):
    """Panels of the organisation."""

    serializer_class = PanelSerializer
    queryset = Panel.objects.none()  # for schema generation; requests use get_queryset

    def get_queryset(self):
        return panel_list(org=self.org)
