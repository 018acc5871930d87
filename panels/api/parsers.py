"""The API's JSON parser, with the nesting depth limited (issue 14, item 5).

DRF's JSONParser hands the body to ``json.load``, which raises RecursionError (a 500) on a
body nested tens of thousands of levels deep. This parser answers any body nested deeper
than ``panels.limits.JSON_MAX_DEPTH`` with a 400 that says so; no PanelHub request needs
more than three levels.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from panels.limits import JSON_MAX_DEPTH

TOO_DEEP = f"JSON parse error: the body is nested more than {JSON_MAX_DEPTH} levels deep."


def json_depth_exceeds(value, limit: int = JSON_MAX_DEPTH) -> bool:
    """Whether a parsed JSON value nests lists and objects more than ``limit`` deep
    (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class DepthLimitedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if json_depth_exceeds(data):
            raise ParseError(TOO_DEEP)
        return data
