# The portal's image: web (gunicorn), Celery worker and beat all run from it.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 DJANGO_ENV=production
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY --from=assets /build/node_modules ./node_modules
COPY . .
# Static files and translations are built into the image; the key here is for this step only.
RUN SECRET_KEY=build-only-not-used-at-run-time-0123456789abcdefghijklmnopqrstuvwxyz \
    python manage.py compile_translations && \
    SECRET_KEY=build-only-not-used-at-run-time-0123456789abcdefghijklmnopqrstuvwxyz \
    python manage.py collectstatic --noinput && \
    mkdir -p /app/private-media && useradd --system --uid 1000 portal && chown -R portal /app
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "portal.gunicorn_logging.RedactingLogger"]
