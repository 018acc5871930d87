"""Health of what PanelHub depends on, for /healthz."""

from django.conf import settings
from django.db import DatabaseError

from notices.selectors import dispatcher_health


def database_state(connection) -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "vendor": connection.vendor, "error": str(exc).splitlines()[0]}
    return {"ok": True, "vendor": connection.vendor}


def broker_state() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL:
        return {"ok": True, "mode": "eager"}
    import redis

    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
        client.ping()
    except redis.RedisError as exc:
        return {"ok": False, "mode": "redis", "error": str(exc)}
    return {"ok": True, "mode": "redis"}


def notices_state() -> dict:
    """Age of the notice dispatcher's last heartbeat and of the oldest due, unsent notice;
    not ok when either is past its threshold (notices.selectors.dispatcher_health)."""
    try:
        return dispatcher_health()
    except DatabaseError as exc:
        return {"ok": False, "error": str(exc).splitlines()[0]}
