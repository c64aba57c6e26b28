from django.contrib import admin

from satupintu.field.models import FieldPhoto, FieldReport


class FieldPhotoInline(admin.TabularInline):
    model = FieldPhoto
    extra = 0
    readonly_fields = ("content_type", "size", "sha256")


@admin.register(FieldReport)
class FieldReportAdmin(admin.ModelAdmin):
    list_display = ("pk", "category", "urgency", "regency_code", "office", "status", "received_at")
    list_filter = ("status", "category", "urgency")
    search_fields = ("regency_code", "district_code", "description")
    raw_id_fields = ("reporter", "verified_by", "item", "office")
    readonly_fields = ("client_id", "received_at", "submitted_at")
    inlines = [FieldPhotoInline]
