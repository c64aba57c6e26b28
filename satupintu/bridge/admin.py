"""Adding another app to the catalog and connecting it is data, edited here (see the README,
"The bridge to other apps")."""

from django.contrib import admin

from satupintu.bridge.models import Connector, ExternalApp, ExternalCase


class ConnectorInline(admin.StackedInline):
    model = Connector
    extra = 0
    # push_secret_env's help text (the model's) says it: the HMAC key of the app's pushes, never the token.
    fields = ["url_template", "auth_kind", "auth_header", "secret_env", "push_secret_env", "state_path", "label_path",
              "updated_path", "state_map", "poll_minutes", "timeout_seconds", "is_active"]


@admin.register(ExternalApp)
class ExternalAppAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "operator", "audience", "office", "is_active"]
    list_filter = ["audience", "is_active"]
    search_fields = ["code", "name", "short_name", "keywords"]
    raw_id_fields = ["office"]
    inlines = [ConnectorInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Its followed cases go with it (citizens' cases vanished from their pages): an app people
        # follow cases in is switched off ("is_active"), not deleted.
        return obj is not None and not obj.cases.exists()


@admin.register(ExternalCase)
class ExternalCaseAdmin(admin.ModelAdmin):
    list_display = ["app", "reference", "last_status", "last_label", "checked_at", "error", "next_check_at"]
    list_filter = ["app", "last_status"]
    search_fields = ["reference"]
    readonly_fields = ["app", "reference", "phone", "last_status", "last_label", "their_updated_at", "checked_at",
                       "error", "failures", "created_at"]
