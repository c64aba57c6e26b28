"""Satu Pintu: one door for Kemenag's public services."""

from satupintu.celery import app as celery_app

__all__ = ["celery_app"]
