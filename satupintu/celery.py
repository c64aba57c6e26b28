"""The Celery application. Broker and schedules come from settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")

app = Celery("satupintu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
