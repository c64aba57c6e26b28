"""The catalog's cached pages list these entries too: a change to one drops them."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from satupintu.bridge.models import ExternalApp
from satupintu.services import catalog


def _catalog_changed(sender, **kwargs) -> None:  # type: ignore[no-untyped-def]
    transaction.on_commit(catalog.bump_catalog_version)


post_save.connect(_catalog_changed, sender=ExternalApp, dispatch_uid="catalog-ExternalApp-save")
post_delete.connect(_catalog_changed, sender=ExternalApp, dispatch_uid="catalog-ExternalApp-delete")
