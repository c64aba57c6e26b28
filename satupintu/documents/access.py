"""Who may prepare, sign, revoke and see the documents an office issues.

- prepare (from a template, or reissue): whoever may upload the application's product
  (the unit's officers and head), as before;
- sign: the person the office named (OfficeSigning.signer) while they still hold a staff role
  at that office, else the office's head;
- revoke: the office's head or its named signer;
- read the office's issued documents (the officer's list): the office's staff who handle
  applications, and the heads above (a Kanwil head reads its Kankemenags'). The public
  verification page needs no access: it shows masked data only.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from satupintu.documents.models import IssuedDocument, OfficeSigning
from satupintu.organization import access as org_access
from satupintu.organization.models import Office, Role, StaffRole


def _superuser(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(user, "is_superuser", False))


def may_prepare(user, app) -> bool:  # type: ignore[no-untyped-def]
    return org_access.can_act(user, app, "upload_product")


def _current_named_signers() -> QuerySet[OfficeSigning]:
    """Offices' named signers who still work there. Naming someone is not revoked when they
    leave (their StaffRole at the office removed, often while they stay staff elsewhere) or when
    their account is disabled (roles kept): from then on they no longer sign, revoke or see the
    office's documents, and its head signs again."""
    return OfficeSigning.objects.filter(signer__isnull=False, signer__is_active=True).filter(
        Exists(StaffRole.objects.filter(user_id=OuterRef("signer_id"), office_id=OuterRef("office_id"))))


def named_signer_id(office: Office) -> int | None:
    return _current_named_signers().filter(office=office).values_list("signer_id", flat=True).first()


def named_signer_left(signing: OfficeSigning) -> bool:
    """The office named a signer who no longer works there (see _current_named_signers)."""
    return signing.signer_id is not None and not StaffRole.objects.filter(
        user_id=signing.signer_id, office_id=signing.office_id, user__is_active=True).exists()


def may_sign(user, office: Office) -> bool:  # type: ignore[no-untyped-def]
    if not getattr(user, "is_authenticated", False):
        return False
    named = named_signer_id(office)
    if named is not None:
        return bool(user.pk == named)
    return any(r.office_id == office.pk and r.role == Role.HEAD_OF_OFFICE for r in org_access.staff_roles(user))


def may_revoke(user, doc: IssuedDocument) -> bool:  # type: ignore[no-untyped-def]
    if _superuser(user):
        return True
    return may_sign(user, doc.office) or any(
        r.office_id == doc.office_id and r.role == Role.HEAD_OF_OFFICE for r in org_access.staff_roles(user))


def offices_signed_by(user) -> list[Office]:  # type: ignore[no-untyped-def]
    """The offices whose documents wait for this person's signature."""
    if not getattr(user, "is_authenticated", False):
        return []
    named = set(_current_named_signers().filter(signer=user).values_list("office_id", flat=True))
    heads = {r.office_id for r in org_access.staff_roles(user) if r.role == Role.HEAD_OF_OFFICE}
    unnamed_heads = heads - set(_current_named_signers().filter(office_id__in=heads)
                                .values_list("office_id", flat=True))
    return list(Office.objects.filter(pk__in=named | unnamed_heads))


def visible(user, queryset: QuerySet[IssuedDocument]) -> QuerySet[IssuedDocument]:  # type: ignore[no-untyped-def]
    """Documents of applications the person may see, plus those of offices they sign for."""
    scope = org_access.application_scope(user)
    if scope is None:
        return queryset
    app_ids = org_access.visible(user, _applications()).values("pk")
    return queryset.filter(Q(application_id__in=app_ids) | Q(office__in=offices_signed_by(user)))


def may_view(user, doc: IssuedDocument) -> bool:  # type: ignore[no-untyped-def]
    return visible(user, IssuedDocument.objects.filter(pk=doc.pk)).exists()


def _applications():  # type: ignore[no-untyped-def]
    from satupintu.services.models import Application

    return Application.objects.all()
