"""Suara publik in the admin: deadlines per category are set here. Reports and survey
answers are read-only; reporters' contacts are not shown (they are personal data and, for
anonymous reports, secret)."""

from django.contrib import admin

from satupintu.core.admin_records import RecordAdmin
from satupintu.feedback.models import CategoryDeadline, Dialogue, KioskDevice, Report, SurveyResponse


@admin.register(CategoryDeadline)
class CategoryDeadlineAdmin(admin.ModelAdmin):
    list_display = ["category", "working_days"]


@admin.register(Dialogue)
class DialogueAdmin(admin.ModelAdmin):
    list_display = ["title", "office", "venue_type", "starts_at", "published", "attendees"]
    list_filter = ["venue_type", "published"]
    raw_id_fields = ["office"]


@admin.register(Report)
class ReportAdmin(RecordAdmin):
    list_display = ["tracking_code", "title", "kind", "category", "office", "status", "integrity", "submitted_at"]
    list_filter = ["kind", "category", "status", "integrity"]
    search_fields = ["tracking_code", "title"]
    exclude = ["reporter_name", "reporter_email", "reporter_phone"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(RecordAdmin):
    list_display = ["answered_on", "office", "service", "channel", "verified"]
    list_filter = ["channel", "verified"]
    raw_id_fields = ["office"]


@admin.register(KioskDevice)
class KioskDeviceAdmin(admin.ModelAdmin):
    """Registered in the office settings (/petugas/kantor/kios/); here to find and revoke one."""

    list_display = ["name", "office", "created_by", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    raw_id_fields = ["office", "created_by"]
    readonly_fields = ["created_by", "created_at"]
