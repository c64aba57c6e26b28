from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from satupintu.organization.models import JointLeaveDay, Office, StaffRole, Unit


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "timezone", "opens_at", "closes_at", "working_weekdays"]
    list_filter = ["level", "timezone"]
    search_fields = ["code", "name", "region_name"]
    raw_id_fields = ["parent", "merged_into"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        """Hours, days or zone changed here too: open work is rescheduled, as from the office's own
        settings page (services.office_setup)."""
        from django.db import transaction

        from satupintu.organization.working_calendar import WorkingCalendar
        from satupintu.services.office_setup import reschedule_open_work

        clock_fields = {"opens_at", "closes_at", "working_weekdays", "timezone"}
        if not change or not clock_fields & set(form.changed_data):
            return super().save_model(request, obj, form, change)
        with transaction.atomic():
            before = WorkingCalendar.for_office(Office.objects.select_for_update().get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            reschedule_open_work(obj, before=before)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "unit", "role"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "office__code", "office__name"]
    raw_id_fields = ["user", "office"]
    list_select_related = ["user", "office", "unit"]


@admin.register(JointLeaveDay)
class JointLeaveDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "office"]
    raw_id_fields = ["office"]


class AccountAdmin(UserAdmin):
    """Django's user admin, without deleting staff. A staff account's deletion took the person off
    meeting attendance lists (and their CSV) and turned their approvals and signatures in documents'
    histories into "Sistem"; staff who leave are deactivated ("active" off), which ends their access
    and keeps who did what. Citizens' accounts may still be deleted (their applications stay)."""

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is None:
            return False  # no "delete selected" on the list: one account at a time, judged below
        return not (obj.is_staff or obj.is_superuser or obj.staff_roles.exists())


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AccountAdmin)
