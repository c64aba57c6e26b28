from django.contrib import admin

from satupintu.citizen.models import LockerDocument, NotificationPreferences, VerifiedPhone


@admin.register(VerifiedPhone)
class VerifiedPhoneAdmin(admin.ModelAdmin):
    list_display = ("user", "phone", "verified_at")
    search_fields = ("user__username", "phone")
    readonly_fields = ("verified_at",)


@admin.register(NotificationPreferences)
class NotificationPreferencesAdmin(admin.ModelAdmin):
    list_display = ("user", "whatsapp", "email", "updated_at")


@admin.register(LockerDocument)
class LockerDocumentAdmin(admin.ModelAdmin):
    # The papers themselves (KTP, KK...) are personal: the admin lists them, never opens them.
    list_display = ("user", "kind", "size", "uploaded_at")
    exclude = ("file",)
    readonly_fields = ("user", "kind", "original_name", "content_type", "size", "sha256", "uploaded_at")
