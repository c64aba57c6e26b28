"""Sign-in pages beyond the password: the staff code and enrolment pages, the password reset."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetConfirmView, PasswordResetView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django_otp import user_has_device

from satupintu.core import security_notices, two_factor
from satupintu.core.errors import DomainError
from satupintu.core.ratelimit import account_mail_allowed
from satupintu.core.staff_security import ENROL_URL, VERIFY_URL, is_staff_account
from satupintu.notifications.outbox import outbox_enqueue


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/petugas/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return "/petugas/"
    return target


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The second factor after the password: six digits from the app, or the passkey (whichever
    the staff member has; the passkey's ceremony runs in the browser against core/passkeys.py)."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if request.user.is_verified():  # type: ignore[union-attr,attr-defined]  # django-otp adds it
        return redirect(_next(request))
    if not user_has_device(request.user):
        return redirect(f"{ENROL_URL}?next={_next(request)}")
    error = ""
    if request.method == "POST":
        try:
            two_factor.verify_session(request, request.POST.get("token", ""))
            return redirect(_next(request))
        except DomainError as e:
            error = e.message
    return render(request, "registration/otp_verify.html", {
        "error": error, "next": _next(request),
        "totp": two_factor.has_totp(request.user), "passkey": two_factor.has_passkey(request.user),
    }, status=400 if error else 200)


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Register a passkey or security key (in the browser, core/passkeys.py), or pair an
    authenticator app: scan the QR code (drawn here), type the first code."""
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={ENROL_URL}")
    if not is_staff_account(request.user):
        return redirect("/akun/")
    if not two_factor.may_enrol(request):
        return redirect(f"{VERIFY_URL}?next={ENROL_URL}")
    device = two_factor.pending_device(request.user)
    error = ""
    if request.method == "POST":
        try:
            two_factor.confirm_device(request, device, request.POST.get("token", ""))
            return redirect(_next(request))
        except DomainError as e:
            error = e.message
    return render(request, "registration/otp_enrol.html", {
        "error": error, "next": _next(request), "qr": two_factor.qr_data_uri(device),
        "secret": two_factor.secret_for_typing(device),
        "has_totp": two_factor.has_totp(request.user), "passkeys": two_factor.passkeys(request.user),
    }, status=400 if error else 200)


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail goes through the durable outbox: the page answers at
    once and alike whether the address has an account, and a mail server outage loses nothing.
    The link goes only to accounts that proved the address (accounts/emails.py)."""

    def get_users(self, email: str) -> Iterator[Any]:
        from satupintu.accounts import emails

        return (user for user in super().get_users(email) if emails.proved(user, email))

    def send_mail(self, subject_template_name: str, email_template_name: str, context: dict[str, Any],
                  from_email: str | None, to_email: str, html_email_template_name: str | None = None) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        outbox_enqueue(channel="email", recipient=to_email, subject=subject, body=body,
                       dedupe_key=f"password-reset:{uuid.uuid4().hex}")


class PasswordResetConfirm(PasswordResetConfirmView):
    """Django's; the owner then hears of the new password by e-mail (ASVS 2.2.3)."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        security_notices.notify_sign_in_change(form.user, security_notices.PASSWORD)
        return response


class PasswordReset(PasswordResetView):
    form_class = OutboxPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_extra_email_context(self) -> dict[str, Any]:
        return {"site_url": settings.SITE_URL}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not account_mail_allowed(request):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, gettext("Terlalu banyak permintaan dari alamat Anda. Coba lagi dalam satu jam."))
            return render(request, str(self.template_name), {"form": form, "limited": True}, status=429)
        self.extra_email_context = self.get_extra_email_context()
        return super().post(request, *args, **kwargs)
