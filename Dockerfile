# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libmariadb-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
COPY requirements/ requirements/
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmariadb3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 shop \
 && mkdir -p /tmp/prometheus /var/lib/beat \
 && chown shop:shop /tmp/prometheus /var/lib/beat
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
COPY --chown=shop:shop . .
RUN mkdir -p media && chown shop:shop media
ENV DJANGO_DEBUG=0 PYTHONUNBUFFERED=1
RUN SECRET_KEY=build ALLOWED_HOSTS=build python manage.py collectstatic --noinput
# Every gunicorn worker (and Celery pool process) writes its metrics here; gunicorn empties it at start.
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
USER 10001
EXPOSE 8000
# Traffic only to a process that is ready: /readyz is 503 without the database (200 "degraded" without Redis).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=3)"]
# gunicorn's workers and threads come from GUNICORN_WORKERS and GUNICORN_THREADS (deploy/gunicorn.conf.py).
# Migrations are not run here: once per deploy, as their own step (`python manage.py migrate`; the compose file's
# migrate service, the CD workflow), never at the start of every replica.
CMD ["gunicorn", "config.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
