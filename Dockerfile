# PanelHub image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=panelhub.settings.production PANELHUB_VAR_DIR=/app/var

# WeasyPrint needs Pango; fonts for the PDF reports.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY requirements ./requirements
COPY . .
RUN pip install --upgrade "pip>=25.3" \
    && pip install --build-constraint requirements/build-constraints.txt \
        -c requirements/constraints.txt . \
    && SECRET_KEY=build-only-collectstatic-key-000000000000 python manage.py collectstatic --noinput

RUN useradd --system --home /app panelhub && mkdir -p /app/var && chown -R panelhub /app/var
USER panelhub
EXPOSE 8000
CMD ["gunicorn", "panelhub.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
