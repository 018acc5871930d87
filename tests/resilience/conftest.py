from tests.meetings.conftest import panel_with  # noqa: F401  (the meetings panel fixture)
