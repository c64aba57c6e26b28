"""The technical /admin/: keys show their prefix only; secrets and payloads are read-only."""

from django.contrib import admin

from satupintu.integrations.models import ApiKey, WebhookDelivery, WebhookEndpoint


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "prefix", "office", "rate_limit_per_minute", "created_at", "revoked_at")
    list_filter = ("office__level",)
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    autocomplete_fields = ("office",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "url", "office", "owner_key", "active", "failure_count", "disabled_at")
    list_filter = ("active",)
    exclude = ("secret",)
    readonly_fields = ("failure_count", "failing_since", "disabled_at", "disabled_reason", "created_at")
    autocomplete_fields = ("office",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("event_id", "event_type", "endpoint", "status", "status_code", "attempts", "attempted_at")
    list_filter = ("status", "event_type")
    # Payloads may carry personal data: read here, never edited.
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
