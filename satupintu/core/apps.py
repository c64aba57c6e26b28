from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "satupintu.core"
    verbose_name = "Inti"

    def ready(self) -> None:
        # Web processes publish tasks too (the outbox kicks a delivery after each commit), so
        # the handler that puts the request id on a task must be connected here, not only in
        # the worker.
        from satupintu.core.logs import connect_task_signals

        connect_task_signals()
        # Staff sessions are stamped at sign-in (for the idle and absolute limits).
        from satupintu.core import staff_security  # noqa: F401
