# The portal's image: web (gunicorn), Celery worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=khuyencong.settings.base

# Pango for WeasyPrint, DejaVu for Vietnamese in PDFs, gettext for translations.
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN django-admin compilemessages --ignore=.venv -v 0 \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
    && useradd --system --uid 1000 --home /app khuyencong \
    && mkdir -p /data/media && chown -R khuyencong /data

USER khuyencong
EXPOSE 8000
CMD ["gunicorn", "khuyencong.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
