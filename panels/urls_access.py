from django.urls import path

from panels.views.access_officer import AccessView

app_name = "access"

urlpatterns = [path("", AccessView.as_view(), name="manage")]
