from django.contrib import admin

from satupintu.organization.models import JointLeaveDay, Office, StaffRole, Unit


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "timezone", "opens_at", "closes_at", "working_weekdays"]
    list_filter = ["level", "timezone"]
    search_fields = ["code", "name", "region_name"]
    raw_id_fields = ["parent", "merged_into"]


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
