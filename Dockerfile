# One image for web, worker and beat; the command chooses the role (see docker-compose.yml).
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app

# WeasyPrint draws the funder report PDF with Pango and HarfBuzz, loaded at run time, and
# needs at least one font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Every dependency pinned by hash: a package that changed upstream fails the build.
COPY requirements/base.txt requirements/base.txt
RUN python -m pip install --require-hashes -r requirements/base.txt

# The code belongs to root and is only readable by the app user, which cannot change it.
COPY . .

# Static files are collected into the image. collectstatic loads the production settings,
# which refuse to start without secrets, so it gets throwaway values that exist only for
# this one command: they are not in the image's environment and are never used at runtime.
RUN DJANGO_SECRET_KEY=build-time-only-collectstatic-never-used-at-runtime-0000000000 \
    MFA_ENCRYPTION_KEYS=build-time-only \
    FIELD_ENCRYPTION_KEYS=build-time-only \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    SECURITY_CONTACT=build.invalid \
    python manage.py collectstatic --noinput

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /tmp --shell /usr/sbin/nologin app
USER app:app

EXPOSE 8000
CMD ["gunicorn", "--config", "config/gunicorn.py", "config.wsgi"]
