from django.contrib import admin

from satupintu.citizen.models import NotificationPreferences, VerifiedPhone


@admin.register(VerifiedPhone)
class VerifiedPhoneAdmin(admin.ModelAdmin):
    list_display = ("user", "phone", "verified_at")
    search_fields = ("user__username", "phone")
    readonly_fields = ("verified_at",)


@admin.register(NotificationPreferences)
class NotificationPreferencesAdmin(admin.ModelAdmin):
    list_display = ("user", "whatsapp", "email", "updated_at")
