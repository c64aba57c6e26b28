from django.contrib import admin

from satupintu.whatsapp.models import CannedAnswer, Number


@admin.register(Number)
class NumberAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("phone_number_id", "display_phone", "office")
    autocomplete_fields = ("office",)


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "office")
    list_filter = ("office__level",)
    autocomplete_fields = ("office",)
