from django.contrib import admin

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


class EventInline(admin.TabularInline):
    model = DocumentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "action", "actor", "ip", "note")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents change only through issuing.py (signing, revocation are audited)."""

    list_display = ("token", "title", "office", "state", "signed_at")
    list_filter = ("state", "kind", "source")
    search_fields = ("token", "letter_number", "application__tracking_code")
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
