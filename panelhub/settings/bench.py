"""Benchmarks (bench/load.py, bench/scaleout.sh): the production settings, plus

* request timing on (panelhub/timing.py: a Server-Timing header on every response), and
* sign-in limits high enough for one machine to sign fifty people in within a minute: the
  load generator signs everyone in from 127.0.0.1, which the production limit per address
  (django-allauth's, counted in the cache) would rightly refuse as an attack.

Everything else (DEBUG off, a real SECRET_KEY, WhiteNoise's manifest, database sessions,
the Redis cache) is production's, so the figures are production's.
"""

from panelhub.settings.production import *  # noqa: F403
from panelhub.settings.production import MIDDLEWARE

REQUEST_TIMING = True
if "panelhub.timing.ServerTimingMiddleware" not in MIDDLEWARE:
    MIDDLEWARE = ["panelhub.timing.ServerTimingMiddleware", *MIDDLEWARE]

# django-allauth merges these over its defaults (login 30/m per address, failed sign-ins
# 10/m per address and 5 per 5 minutes per account).
ACCOUNT_RATE_LIMITS = {
    "login": "1000/m/ip",
    "login_failed": "1000/m/ip,100/5m/key",
}
