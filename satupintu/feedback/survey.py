"""Taking survey answers: after a completed application (one-time link), at an office's
kiosk, or typed in from paper."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy, gettext_noop

from satupintu.core.errors import Conflict, DomainError, ValidationErrors
from satupintu.feedback.elements import (
    AGE_CHOICES,
    EDUCATION_CHOICES,
    ELEMENT_CODES,
    ELEMENTS,
    OCCUPATION_CHOICES,
    SEX_CHOICES,
)
from satupintu.feedback.models import Channel, KioskDevice, SurveyResponse
from satupintu.integrations import events as integration_events
from satupintu.organization.models import Office
from satupintu.organization.working_calendar import office_today
from satupintu.services.models import Application, Service, Status

_SALT = "skm-invitation"
INVITATION_MAX_AGE = 90 * 24 * 3600
PROFILE_FIELDS = {
    "sex": dict(SEX_CHOICES), "age_group": dict(AGE_CHOICES),
    "education": dict(EDUCATION_CHOICES), "occupation": dict(OCCUPATION_CHOICES),
}


def invitation_token(app: Application) -> str:
    return signing.dumps(app.tracking_code, salt=_SALT)


def invitation_url(app: Application) -> str:
    return f"{settings.SITE_URL}/survei/{invitation_token(app)}/"


def application_for_invitation(token: str) -> Application:
    try:
        code = signing.loads(token, salt=_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError("survey_link_expired", "Tautan survei sudah kedaluwarsa.", status=410) from None
    except signing.BadSignature:
        raise DomainError("survey_link_invalid", "Tautan survei tidak valid.", status=404) from None
    app = Application.objects.select_related("office", "service", "unit").filter(tracking_code=code).first()
    if app is None:
        raise DomainError("survey_link_invalid", "Tautan survei tidak valid.", status=404)
    return app


def clean_answers(raw: Mapping[str, object]) -> dict[str, int]:
    """u1..u9 as integers 1-4. Otherwise ValidationErrors: one error per element that is missing
    or wrong (for a form), its message naming them all (for an import report)."""
    answers: dict[str, int] = {}
    errors: list[DomainError] = []
    for element in ELEMENTS:
        value = raw.get(element.code)
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 4:
            # The element's name read (like the message) in the language of whoever reads it.
            errors.append(DomainError("invalid_answer", "Pilih salah satu jawaban untuk unsur '%(element)s'.",
                                      field=element.code, params={"element": gettext_lazy(element.name)}))  # noqa: INT001
            continue
        answers[element.code] = number
    if errors:
        raise ValidationErrors(errors, **_summary(errors))
    return answers


def clean_profile(raw: Mapping[str, object]) -> dict[str, str]:
    profile: dict[str, str] = {}
    errors: list[DomainError] = []
    for name, allowed in PROFILE_FIELDS.items():
        value = str(raw.get(name) or "").strip()
        if value and value not in allowed:
            errors.append(DomainError("invalid_profile", "Pilihan '%(value)s' untuk %(name)s tidak dikenal.",
                                      field=name, params={"value": value, "name": name}))
        profile[name] = value
    if errors:
        raise ValidationErrors(errors)
    return profile


def survey_submit(
    *, office: Office, channel: str, answers: Mapping[str, object], profile: Mapping[str, object] | None = None,
    comment: str = "", service: Service | None = None, application: Application | None = None,
    answered_on: date | None = None, import_key: str | None = None, kiosk: KioskDevice | None = None,
) -> SurveyResponse:
    """Store one respondent's answers. They count in the IKM (``verified``) when they come
    after a completed application, from a registered kiosk of this office (``kiosk``, found
    by feedback/kiosks.device_for), or from paper typed in by staff; anything else is kept
    as feedback outside the index."""
    errors: list[DomainError] = []
    clean: dict[str, int] = {}
    prof: dict[str, str] = {}
    try:
        clean = clean_answers(answers)
    except ValidationErrors as exc:
        errors += exc.errors
    try:
        prof = clean_profile(profile or {})
    except ValidationErrors as exc:
        errors += exc.errors
    comment = (comment or "").strip()
    if len(comment) > 2000:
        errors.append(DomainError("comment_too_long", "Komentar maksimal 2000 karakter.", field="comment"))
    if errors:  # every problem at once; the message of the first kind names all its elements
        raise ValidationErrors(errors, **_summary(errors))
    if application is not None:
        if application.status != Status.COMPLETED:
            raise DomainError("survey_not_open", "Survei dibuka setelah permohonan selesai.", status=409)
        office, service = application.office, application.service
    if kiosk is not None and kiosk.office_id != office.pk:
        kiosk = None
    if channel == Channel.ONLINE:
        verified = application is not None
    elif channel == Channel.KIOSK:
        verified = kiosk is not None
    else:  # paper, typed in by staff
        verified = True
    # The office's day: at 00:30 WIT on 1 January it is still 31 December in Jakarta.
    answered_on = answered_on or office_today(office)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                office=office, service=service, unit=service.unit if service else None, application=application,
                channel=channel, answered_on=answered_on, comment=comment,
                import_key=import_key, verified=verified, kiosk=kiosk, **clean, **prof,
            )
            integration_events.survey_event(response)  # webhooks, in this same transaction
            return response
    except IntegrityError:
        if application is not None:
            raise Conflict("survey_already_answered", "Survei untuk permohonan ini sudah diisi. Terima kasih.") from None
        raise Conflict("duplicate_survey", "Jawaban ini sudah tercatat sebelumnya.") from None


class _Joined:
    """Names joined with commas when the message is read (each a lazy translation)."""

    def __init__(self, names: list) -> None:  # type: ignore[type-arg]
        self.names = names

    def __str__(self) -> str:
        return ", ".join(str(n) for n in self.names)


def _summary(errors: list[DomainError]) -> dict:  # type: ignore[type-arg]
    """The message over all the errors: the first kind's, naming every element answered wrongly
    (in the language of whoever reads it, as the message itself)."""
    wrong = {e.field for e in errors if e.code == "invalid_answer"}
    if answers := [gettext_lazy(element.name) for element in ELEMENTS if element.code in wrong]:  # noqa: INT001
        return {"message": gettext_noop("Jawab setiap unsur dengan nilai 1-4. Belum benar: %(elements)s."),
                "params": {"elements": _Joined(answers)}}
    return {}


__all__ = ["Channel", "ELEMENT_CODES", "survey_submit", "invitation_url", "application_for_invitation"]
