"""django-allauth, fitted to Satu Pintu: citizens' phone numbers live in CitizenPhone, codes go
out through our channels (accounts/delivery.py, the outbox), and staff accounts never sign in
here: they use /masuk/ with their password and second factor (core/staff_security.py)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection
from typing import Any

from allauth.account import stages
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from satupintu.accounts import delivery, emails
from satupintu.accounts.models import CitizenPhone
from satupintu.core.errors import DomainError
from satupintu.core.staff_security import is_staff_account
from satupintu.notifications.outbox import outbox_enqueue
from satupintu.services import identity

logger = logging.getLogger(__name__)

STAFF_REFUSED = "Akun petugas masuk lewat halaman Masuk petugas dengan kata sandi dan faktor kedua, " \
                "bukan dengan kode HP atau INApas."


CODE_LIMITED = gettext_noop("Kode untuk nomor ini baru saja dikirim atau sudah terlalu sering diminta. Tunggu "
                            "beberapa menit, lalu coba lagi.")


def refuse_staff(request: HttpRequest) -> HttpResponse:
    from allauth.account.internal.stagekit import clear_login

    clear_login(request)
    messages.error(request, _(STAFF_REFUSED))
    return redirect("/masuk/")


class PhoneNumberField(forms.CharField):
    """A mobile number typed any usual way; cleaned to E.164 by services.identity.clean_phone."""

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return value
        try:
            return identity.clean_phone(value)
        except DomainError as exc:
            raise forms.ValidationError(_(exc.message)) from None


class PhoneVerificationStage(stages.PhoneVerificationStage):
    """allauth's, except that an account without a phone (made with an e-mail address at
    /daftar/) passes: a phone is required to sign up here, not to sign in with an e-mail
    address (allauth would abort the sign-in of such an account, by password and code alike)."""

    def handle(self) -> tuple[HttpResponse | None, bool]:
        from allauth.account.internal.stagekit import clear_login
        from allauth.core.exceptions import RateLimited

        if self.login.user and CitizenPhone.objects.filter(user_id=self.login.user.pk).first() is None:
            return None, True
        try:
            return super().handle()  # type: ignore[no-any-return]
        except RateLimited:  # a code went to this number moments ago, or too many today: it was a 500
            clear_login(self.request)
            messages.error(self.request, _(CODE_LIMITED))
            return redirect("/akun/login/"), False


class CitizenAccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        return [f"{__name__}.PhoneVerificationStage" if path == "allauth.account.stages.PhoneVerificationStage"
                else path for path in super().get_login_stages()]

    def clean_phone(self, phone: str) -> str:
        try:
            return identity.clean_phone(phone)
        except DomainError as exc:
            raise forms.ValidationError(_(exc.message)) from None

    def clean_email(self, email: str) -> str:
        # allauth's e-mail field takes Django's 320 characters; the address is then stored or written
        # to in columns of 254 (EmailAddress.email, the outbox's recipient), which PostgreSQL enforces:
        # a 500 on sign-in, password reset and adding an address. The applicant's rule, said the same.
        try:
            identity.clean_email(email)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        return super().clean_email(email)  # type: ignore[no-any-return]

    def phone_form_field(self, **kwargs: Any) -> Any:
        # Typed the way people write it (0812..., +62 812-...): clean_phone makes it E.164.
        kwargs["label"] = _("Nomor HP")  # one name on every page (allauth's sign-up passes "Phone": "Telepon")
        kwargs.setdefault("help_text", _("Contoh: 0812 3456 7890."))
        return PhoneNumberField(max_length=30, widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}), **kwargs)

    def get_phone(self, user: AbstractBaseUser) -> tuple[str, bool] | None:
        row = CitizenPhone.objects.filter(user_id=user.pk).first()
        return (row.phone, row.verified) if row else None

    def set_phone_verified(self, user: AbstractBaseUser, phone: str) -> None:
        CitizenPhone.objects.filter(user_id=user.pk, phone=phone).update(verified=True)

    def set_phone(self, user: AbstractBaseUser, phone: str, verified: bool) -> None:
        # A number nobody proved is nobody's: whoever signs up with it takes it from an account that
        # only typed it (else that account, made by someone else, would be where the owner lands).
        CitizenPhone.objects.filter(phone=phone, verified=False).exclude(user_id=user.pk).delete()
        CitizenPhone.objects.update_or_create(user_id=user.pk, defaults={"phone": phone, "verified": verified})

    def get_user_by_phone(self, phone: str) -> AbstractBaseUser | None:
        # Only a proved number names an account: anyone can sign up with someone else's number and an
        # e-mail of their own; signing in with the phone's code must not land the owner in that account.
        row = CitizenPhone.objects.select_related("user").filter(phone=phone, verified=True).first()
        return row.user if row else None

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts wrong passwords per e-mail or username; a phone number with a password
        # fell into one key shared by every phone in the country ("site:").
        if credentials.get("phone") and not credentials.get("email"):
            return super()._get_login_attempts_cache_key(request, username=f"phone:{credentials['phone']}")
        return super()._get_login_attempts_cache_key(request, **credentials)  # type: ignore[no-any-return]

    def get_client_ip(self, request: HttpRequest) -> str:
        # The citizen's address behind our proxy (TRUSTED_PROXIES), as every other limit here: allauth's
        # own reading is the proxy's, which put the whole country in one sign-in rate limit.
        from satupintu.core.ratelimit import client_ip

        return client_ip(request) or super().get_client_ip(request)

    def send_verification_code_sms(self, user: AbstractBaseUser, phone: str, code: str, **kwargs: Any) -> None:
        delivery.send_sign_in_code(phone, code)

    def send_unknown_account_sms(self, phone: str, **kwargs: Any) -> None:
        delivery.send_no_account_notice(phone)

    def send_account_already_exists_sms(self, phone: str) -> None:
        delivery.send_number_taken_notice(phone)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:  # type: ignore[type-arg]
        # At most ACCOUNT_MAILS_PER_ADDRESS_DAY a day to one inbox ("+tags" and Gmail's dots count as
        # that inbox), past it silently: the page reads the same whether a mail went or not, and
        # anyone may type any address on the reset and sign-in-code pages.
        from satupintu.core import ratelimit

        if not ratelimit.take(ratelimit.ACCOUNT_MAILS_PER_ADDRESS_DAY, email.strip().lower()):
            return
        # Through the outbox like every other e-mail: retried, never lost, one per cause.
        message = self.render_mail(template_prefix, email, context)
        outbox_enqueue(channel="email", recipient=email, subject=str(message.subject), body=str(message.body),
                       dedupe_key=f"allauth:{uuid.uuid4().hex}")

    def pre_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> HttpResponse | None:
        if is_staff_account(user):
            return refuse_staff(request)
        return super().pre_login(request, user, **kwargs)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return "/akun/"


def drop_taken_phone(sociallogin: Any, *, owners: Collection[int | None] = ()) -> None:
    """Forget the number INApas gave when another account already has it.

    allauth would then show its sign-up form (the number is taken), the citizen would type
    another one, and saving the INApas account would still try to give this account the
    taken number too: a unique-constraint error, a 500 and a half-made account. The citizen
    keeps the number they typed; who holds the INApas number is for them to sort out."""
    if not sociallogin.phone:
        return
    # Only an account that proved the number holds it: one that merely typed it loses it to this
    # one when the number is saved (set_phone), as at any sign-up.
    holder = CitizenPhone.objects.filter(phone=sociallogin.phone, verified=True).values_list("user_id", flat=True).first()
    if holder is not None and holder not in owners:
        sociallogin.phone, sociallogin.phone_verified = None, False


class CitizenSocialAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        # Again here: the sign-up form may be sent long after the callback checked.
        drop_taken_phone(sociallogin)
        return super().save_user(request, sociallogin, form)

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        from allauth.socialaccount.helpers import render_authentication_error
        from allauth.socialaccount.providers.base import AuthError

        # The nonce sent on the authorization request must come back in the ID token.
        expected = (sociallogin.state or {}).get("nonce")
        got = (sociallogin.account.extra_data or {}).get("id_token", {}).get("nonce")
        if expected is not None and expected != got:
            raise ImmediateHttpResponse(render_authentication_error(
                request, sociallogin.provider, error=AuthError.DENIED, extra_context={"reason": "nonce"}))
        user = sociallogin.user
        if user is not None and user.pk and is_staff_account(user):
            raise ImmediateHttpResponse(refuse_staff(request))
        if not sociallogin.is_existing and any(is_staff_account(u) for u in _users_with_emails(sociallogin)):
            # A staff member's address: staff sign in at /masuk/ with their second factor, never
            # through INApas (and no citizen account is made beside theirs).
            raise ImmediateHttpResponse(refuse_staff(request))
        # Before allauth decides between signing up at once and its form, and before connecting
        # INApas to the signed-in account (which would give that account the number too).
        owners = {user.pk if user is not None else None, getattr(request.user, "pk", None)}
        drop_taken_phone(sociallogin, owners=owners)
        # An address INApas vouches for is this citizen's: an account that only typed it loses it, so
        # allauth neither calls it taken nor asks the citizen to sign in to that account to link INApas.
        keep = next((pk for pk in owners if pk is not None), None)
        for address in sociallogin.email_addresses:
            if address.verified and address.email:
                emails.release(address.email, keep_user_id=keep)

    def on_authentication_error(self, request: HttpRequest, provider: Any, error: Any = None,
                                exception: Any = None, extra_context: dict[str, Any] | None = None) -> None:
        # The error page (socialaccount/authentication_error.html) says which of these happened.
        if extra_context is not None:
            extra_context.setdefault("reason", _error_reason(exception, extra_context))
            logger.warning("INApas sign-in failed: %s (%s)", extra_context["reason"], exception.__class__.__name__
                           if exception else error)


def _users_with_emails(sociallogin: Any) -> list[Any]:
    from allauth.account.utils import filter_users_by_email

    emails = {a.email for a in sociallogin.email_addresses if a.email}
    return [u for email in emails for u in filter_users_by_email(email)]


def _error_reason(exception: Any, extra_context: dict[str, Any]) -> str:
    """One word for the template: state, provider_down, provider_refused, expired, issuer, token or unknown."""
    import jwt
    from requests import RequestException

    if exception is None:
        # No state stashed for the `state` that came back: forged, replayed or from another browser.
        return "state" if "callback_view" in extra_context and extra_context.get("state") is None else "unknown"
    if isinstance(exception, RequestException):
        return "provider_down"  # not reachable, timed out, or a broken answer
    if "Error retrieving access token" in str(exception):
        return "provider_refused"  # the token endpoint answered, but no token (busy, or the code refused)
    cause = exception.__cause__
    if isinstance(cause, jwt.ExpiredSignatureError):
        return "expired"
    if isinstance(cause, jwt.InvalidIssuerError):
        return "issuer"
    if isinstance(cause, jwt.PyJWTError):
        return "token"
    return "unknown"
