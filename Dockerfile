# khenthuong: one image for the web, worker and beat processes (docs/deployment.md).
# Not built or tested on the development machines (no container runtime there).
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation gettext \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 khenthuong
WORKDIR /srv/khenthuong
COPY pyproject.toml requirements.lock README.md ./
COPY . .
RUN pip install --no-cache-dir -c requirements.lock . \
 && DJANGO_SETTINGS_MODULE=config.settings.dev python manage.py collectstatic --noinput -v0
USER khenthuong
ENV DJANGO_SETTINGS_MODULE=config.settings.production PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-c", "deploy/gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
