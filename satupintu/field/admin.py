from django.contrib import admin

from satupintu.core.admin_records import RecordAdmin, RecordInline
from satupintu.field.models import FieldPhoto, FieldReport


class FieldPhotoInline(RecordInline):
    model = FieldPhoto
    readonly_fields = ("content_type", "size", "sha256")


@admin.register(FieldReport)
class FieldReportAdmin(RecordAdmin):
    """Verified or rejected on the Kankemenag's page (who and when are kept), not here."""

    list_display = ("pk", "category", "urgency", "regency_code", "office", "status", "received_at")
    list_filter = ("status", "category", "urgency")
    search_fields = ("regency_code", "district_code", "description")
    raw_id_fields = ("reporter", "verified_by", "item", "office")
    readonly_fields = ("client_id", "received_at", "submitted_at")
    inlines = [FieldPhotoInline]
