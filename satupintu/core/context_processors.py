"""Template context every page needs: whether to show the back-office links."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def staff_links(request):  # type: ignore[no-untyped-def]
    from django.conf import settings

    from satupintu.organization.access import is_staff_member
    from satupintu.whatsapp.access import works_on_whatsapp

    # Lazy: public pages that never show the menu for anonymous visitors pay no query.
    return {"sign_in_demo_codes": getattr(settings, "SIGN_IN_DEMO_CODES", False),
            "is_staff_member": SimpleLazyObject(lambda: is_staff_member(request.user)),
            "works_on_whatsapp": SimpleLazyObject(lambda: works_on_whatsapp(request.user)),
            "works_on_documents": SimpleLazyObject(lambda: _works_on_documents(request.user)),
            "works_on_humas": SimpleLazyObject(lambda: _works_on_humas(request.user)),
            "reads_room": SimpleLazyObject(lambda: _reads_room(request.user)),
            "field_reports_url": SimpleLazyObject(lambda: _field_reports_url(request.user))}


def _works_on_documents(user) -> bool:  # type: ignore[no-untyped-def]
    """Prepares products (the application queue) or signs an office's documents."""
    from satupintu.documents.access import offices_signed_by
    from satupintu.organization.access import works_on_applications

    return bool(user.is_authenticated and (works_on_applications(user) or offices_signed_by(user)))


def _works_on_humas(user) -> bool:  # type: ignore[no-untyped-def]
    from satupintu.humas.access import works_on_humas

    return bool(user.is_authenticated and works_on_humas(user))


def _reads_room(user) -> bool:  # type: ignore[no-untyped-def]
    from satupintu.situation.access import reads_room

    return bool(user.is_authenticated and reads_room(user))


def _field_reports_url(user) -> str:  # type: ignore[no-untyped-def]
    """Field reports in the menu: the queue for those who verify, the app for those who report."""
    from satupintu.field import access

    if not user.is_authenticated:
        return ""
    if access.works_on_verification(user):
        return "/petugas/lapangan/"
    return "/lapangan/" if access.may_report(user) else ""
