from rest_framework import serializers

from panels.models import Panel


class PanelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Panel
        fields = ["id", "slug", "name", "purpose", "reports_to", "is_public"]
