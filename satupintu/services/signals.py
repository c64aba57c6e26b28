"""Cache invalidation: whatever changes an application or the catalog drops what was cached
from it, once the change is committed (so a rolled-back change drops nothing)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from satupintu.organization.models import Office, Unit
from satupintu.services import catalog, tracking
from satupintu.services.models import Application, Event, FormField, OfficeService, Requirement, Service


@receiver(post_save, sender=Application)
def _application_changed(sender, instance: Application, **kwargs) -> None:  # type: ignore[no-untyped-def]
    code = instance.tracking_code
    transaction.on_commit(lambda: tracking.forget_public_status(code))


@receiver(post_save, sender=Event)
def _event_added(sender, instance: Event, **kwargs) -> None:  # type: ignore[no-untyped-def]
    code = instance.application.tracking_code
    transaction.on_commit(lambda: tracking.forget_public_status(code))


def _catalog_changed(sender, **kwargs) -> None:  # type: ignore[no-untyped-def]
    transaction.on_commit(catalog.bump_catalog_version)


for model in (Service, Requirement, FormField, OfficeService, Unit, Office):
    post_save.connect(_catalog_changed, sender=model, dispatch_uid=f"catalog-{model.__name__}-save")
    post_delete.connect(_catalog_changed, sender=model, dispatch_uid=f"catalog-{model.__name__}-delete")
