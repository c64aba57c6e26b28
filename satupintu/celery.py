"""The Celery application. Broker and schedules come from settings (CELERY_*)."""

import os

from celery import Celery

from satupintu.core import broker
from satupintu.core.logs import connect_task_signals

broker.register()  # "filesystem://" (the embedded default) is ours: messages written whole

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")

app = Celery("satupintu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Request ids follow a request into its tasks, and the worker's log lines carry them.
connect_task_signals()
