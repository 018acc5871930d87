"""Server-side request timing for benchmarks (bench/load.py), off unless REQUEST_TIMING is on.

Each response gets a standard ``Server-Timing`` header: the time the request spent in
Django (every middleware and the view, from the first middleware in to the response out)
and the time and number of its SQL queries, e.g.

    Server-Timing: app;dur=41.2, db;dur=12.9;desc="27 queries"

A load generator reads it beside its own (client) time for the same request, so both are
measured on the same requests in the same run, whichever replica served it. With
REQUEST_TIMING_LOG set, one line per request also goes to that file (method, path, status,
milliseconds, queries) for a look afterwards.

Off by default in every environment: timings tell an outsider how much work a request
caused, which production should not say.
"""

from __future__ import annotations

import logging
import time

from django.db import connections

logger = logging.getLogger("panelhub.timing")


class QueryTimer:
    """Counts the SQL statements of one request and the time spent in them."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        queries = QueryTimer()
        with connections["default"].execute_wrapper(queries):
            response = self.get_response(request)
        app_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (
            f"app;dur={app_ms:.1f}, db;dur={queries.seconds * 1000:.1f};"
            f'desc="{queries.count} queries"'
        )
        logger.info(
            "%s %s %s %.1f ms %d queries",
            request.method,
            request.path,
            response.status_code,
            app_ms,
            queries.count,
        )
        return response
