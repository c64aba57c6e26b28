from django.contrib import admin

from satupintu.core.admin_records import RecordAdmin, RecordInline
from satupintu.documents.models import DocumentEvent, DocumentTemplate, IssuedDocument, OfficeSigning


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "service", "office", "classification", "is_active")
    list_filter = ("is_active",)
    search_fields = ("title", "service__name")
    raw_id_fields = ("service", "office")


@admin.register(OfficeSigning)
class OfficeSigningAdmin(admin.ModelAdmin):
    list_display = ("office", "letter_code", "signer", "signer_title")
    raw_id_fields = ("office", "signer")


class EventInline(RecordInline):
    model = DocumentEvent
    readonly_fields = ("at", "action", "actor", "ip", "note")


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(RecordAdmin):
    """Read-only: documents change only through issuing.py (signing, revocation are audited); a
    delete took the events with it and /verifikasi/ said "not found" for a letter people hold."""

    list_display = ("token", "title", "office", "state", "signed_at")
    list_filter = ("state", "kind", "source")
    search_fields = ("token", "letter_number", "application__tracking_code")
    inlines = [EventInline]
