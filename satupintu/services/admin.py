"""The catalog is data an administrator edits here: services, requirements, form fields,
and each office's overrides. Applications are shown read-only: they change only through
the workflow, so the timeline stays the audit trail."""

from django.contrib import admin

from satupintu.services.models import Application, Event, FormField, OfficeService, Requirement, Service


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["order", "code", "name", "name_en", "mandatory", "office"]
    raw_id_fields = ["office"]


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0
    fields = ["order", "name", "label", "label_en", "type", "required", "choices", "choices_en"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "audience", "working_days", "fee", "is_active"]
    list_filter = ["unit", "audience", "is_active"]
    search_fields = ["name", "slug", "keywords"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RequirementInline, FormFieldInline]


@admin.register(OfficeService)
class OfficeServiceAdmin(admin.ModelAdmin):
    list_display = ["office", "service", "enabled", "working_days"]
    list_filter = ["enabled"]
    search_fields = ["office__code", "office__name", "service__name"]
    raw_id_fields = ["office", "service"]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "from_status", "to_status", "actor_label", "note", "public"]
    fields = tuple(readonly_fields)

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "service", "office", "status", "submitted_at", "due_at"]
    list_filter = ["status"]
    search_fields = ["tracking_code"]
    inlines = [EventInline]
    exclude = ["nik", "phone", "email"]  # personal data is viewed, audited, in the back office

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [f.name for f in Application._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
