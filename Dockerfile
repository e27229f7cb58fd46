FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir -e . && useradd --create-home cadrecare
COPY . .
# Collecting static files needs no secrets: the base settings, for this step only.
RUN DJANGO_SETTINGS_MODULE=config.settings.base python manage.py collectstatic --noinput
USER cadrecare
EXPOSE 8000
# Threaded workers, one per core, keep-alive, bound to 0.0.0.0:8000: config/gunicorn_conf.py.
CMD ["gunicorn", "-c", "config/gunicorn_conf.py", "config.wsgi:application"]
