from django.contrib import admin

from satupintu.core.models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The audit log is append-only, for superusers too: no add, change, delete or bulk action."""

    list_display = ["at", "user", "subject_type", "subject_ref", "what", "ip"]
    list_filter = ["subject_type"]
    search_fields = ["subject_ref", "user__username"]
    actions = None  # no "delete selected"

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
