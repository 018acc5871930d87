#!/usr/bin/env bash
# The production topology of docker-compose.yml on this one machine, without containers:
# nginx (Debian's package, deploy/nginx/panelhub.conf) in front of two gunicorn instances
# (the Dockerfile's worker configuration), two Celery workers and one beat, all sharing
# one PostgreSQL database and one Redis database, on loopback ports only. Then it runs
# the load benchmark (bench/load.py) through nginx and the exactly-once notice check
# (bench/scaleout_exactly_once.py) against the workers, and stops everything it started.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ph_scale \
#   REDIS_URL=redis://127.0.0.1:6379/4 bash bench/scaleout.sh
#
# Environment: PORT_BASE (default 8100: nginx there, web replicas on +1 and +2),
# WEB_REPLICAS (2; 1 gives the Dockerfile's single gunicorn behind the same nginx),
# LOAD_USERS (50), LOAD_DURATION (120 s), LOAD_THINK ("1 5"), GUNICORN_WORKERS (3, as the
# Dockerfile), SKIP_LOAD=1 / SKIP_EXACTLY_ONCE=1, KEEP_LOGS=1 (keep the run's directory).
# It seeds the database with seed_scale's defaults first if no scale organisation exists.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
BIN="$ROOT/.venv/bin"

: "${DATABASE_URL:?set DATABASE_URL=postgres://... (the seed_scale database)}"
: "${REDIS_URL:?set REDIS_URL=redis://127.0.0.1:6379/<db>}"
PORT_BASE=${PORT_BASE:-8100}
NGINX_PORT=$PORT_BASE
WEB1_PORT=$((PORT_BASE + 1))
WEB2_PORT=$((PORT_BASE + 2))
GUNICORN_WORKERS=${GUNICORN_WORKERS:-3}
WEB_REPLICAS=${WEB_REPLICAS:-2}
case "$WEB_REPLICAS" in 1) WEB_PORTS=("$WEB1_PORT");; 2) WEB_PORTS=("$WEB1_PORT" "$WEB2_PORT");; *)
  echo "scaleout: WEB_REPLICAS must be 1 or 2"; exit 2;;
esac
LOAD_USERS=${LOAD_USERS:-50}
LOAD_DURATION=${LOAD_DURATION:-120}
read -r THINK_MIN THINK_MAX <<<"${LOAD_THINK:-1 5}"

case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *)
  echo "scaleout: DATABASE_URL must be PostgreSQL (the replicas share it)"; exit 2;;
esac
for host in "${DATABASE_URL#*@}" "${REDIS_URL#*://}"; do
  case "$host" in 127.0.0.1*|localhost*|\[::1\]*) ;; *)
    echo "scaleout: $host is not on this machine; refusing"; exit 2;;
  esac
done

if ! command -v nginx >/dev/null 2>&1; then
  echo "scaleout: installing nginx from Debian's packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light
fi

RUN=$(mktemp -d /tmp/panelhub-scaleout.XXXXXX)
mkdir -p "$RUN/mail" "$RUN/var" "$RUN/nginx"
PIDS=()
NGINX_PID_FILE="$RUN/nginx/nginx.pid"

cleanup() {
  local status=$?
  echo "scaleout: stopping what it started"
  if [ -f "$NGINX_PID_FILE" ]; then kill "$(cat "$NGINX_PID_FILE")" 2>/dev/null || true; fi
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "scaleout: logs kept in $RUN"; else rm -rf "$RUN"; fi
  exit $status
}
trap cleanup EXIT INT TERM

export DJANGO_SETTINGS_MODULE=panelhub.settings.bench
export SECRET_KEY
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(48))')
# Plain http on loopback: no secure-only cookies, no redirect to https.
export SECURE_COOKIES=false SECURE_SSL_REDIRECT=false
# nginx is the one proxy in front: the client's address is the last X-Forwarded-For entry
# (sign-in limits count per client, not per proxy).
export TRUSTED_PROXY_COUNT=1
export ALLOWED_HOSTS=127.0.0.1,localhost
export EMAIL_URL="file://$RUN/mail"
export PANELHUB_VAR_DIR="$RUN/var"
export MAIL_DIR="$RUN/mail"

echo "scaleout: migrate, collectstatic, seed (run directory $RUN)"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py seed_scale
# seed_scale loads results in bulk, past the services that have a worker draw each panel's
# charts when its results change: draw them as those would have.
"$PY" manage.py draw_charts

echo "scaleout: $WEB_REPLICAS web replica(s) (gunicorn, $GUNICORN_WORKERS workers each) on ${WEB_PORTS[*]}"
for port in "${WEB_PORTS[@]}"; do
  "$BIN/gunicorn" panelhub.wsgi:application --bind "127.0.0.1:$port" \
    --workers "$GUNICORN_WORKERS" --access-logfile "$RUN/web-$port.log" \
    --error-logfile "$RUN/web-$port.err" &
  PIDS+=($!)
done
echo "scaleout: two Celery workers and one beat"
for name in worker1 worker2; do
  "$BIN/celery" -A panelhub worker -n "$name@%h" --concurrency=2 --loglevel=INFO \
    --logfile "$RUN/$name.log" &
  PIDS+=($!)
done
"$BIN/celery" -A panelhub beat --loglevel=INFO --logfile "$RUN/beat.log" \
  --pidfile "$RUN/beat.pid" &
PIDS+=($!)

echo "scaleout: nginx on 127.0.0.1:$NGINX_PORT in front of the replica(s)"
drop_second=""
if [ "$WEB_REPLICAS" = 1 ]; then drop_second="/web2:8000/d"; fi
sed -e "$drop_second" -e "s/web1:8000/127.0.0.1:$WEB1_PORT/" -e "s/web2:8000/127.0.0.1:$WEB2_PORT/" \
    -e "s/listen 80;/listen 127.0.0.1:$NGINX_PORT;/" deploy/nginx/panelhub.conf \
    >"$RUN/nginx/panelhub.conf"
cat >"$RUN/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $NGINX_PID_FILE;
error_log $RUN/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log $RUN/nginx/access.log;
    client_body_temp_path $RUN/nginx/body;
    proxy_temp_path $RUN/nginx/proxy;
    fastcgi_temp_path $RUN/nginx/fastcgi;
    uwsgi_temp_path $RUN/nginx/uwsgi;
    scgi_temp_path $RUN/nginx/scgi;
    include $RUN/nginx/panelhub.conf;
}
EOF
nginx -t -q -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx"
nginx -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx"

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$NGINX_PORT/healthz/ping" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$NGINX_PORT/healthz" && echo

status=0
if [ "${SKIP_LOAD:-0}" != 1 ]; then
  echo "scaleout: load benchmark through nginx"
  "$PY" bench/load.py --host "http://127.0.0.1:$NGINX_PORT" --users "$LOAD_USERS" \
    --duration "$LOAD_DURATION" --think "$THINK_MIN" "$THINK_MAX" || status=1
  for port in "${WEB_PORTS[@]}"; do
    echo "scaleout: replica $port served $(wc -l <"$RUN/web-$port.log") requests"
  done
fi
if [ "${SKIP_EXACTLY_ONCE:-0}" != 1 ]; then
  echo "scaleout: exactly-once check against the two workers"
  "$PY" bench/scaleout_exactly_once.py || status=1
  for name in worker1 worker2; do
    echo "scaleout: $name ran $(grep -c 'notices.dispatch.*succeeded' "$RUN/$name.log" || true) dispatcher task(s)"
  done
fi
exit $status
