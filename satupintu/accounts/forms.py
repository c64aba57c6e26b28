"""The citizens' sign-in form at /akun/login/ (django-allauth's, ACCOUNT_FORMS["login"]).

allauth shows a password on its login form only when its sign-up asks for one
(ACCOUNT_SIGNUP_FIELDS "password1"); ours asks for a phone only, yet citizens who made an account
with an e-mail address and a password (/daftar/) must be able to use it. So the password is here
and optional: filled, allauth checks it (an e-mail address or a phone number with its password);
empty, allauth sends a one-time code to the address or number, as without the field. Staff
accounts are refused either way (accounts/adapter.py pre_login).

A code or a password-reset link goes only to an account that proved the address (accounts/emails.py):
these forms, given as ACCOUNT_FORMS, drop an account that only typed it."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.app_settings import LoginMethod
from allauth.account.forms import LoginForm, PasswordField, RequestLoginCodeForm, ResetPasswordForm, SignupForm
from allauth.utils import set_form_field_order
from django.utils.translation import gettext_lazy as _

from satupintu.accounts import emails
from satupintu.services import identity


def _login_method(login: str) -> LoginMethod:
    """allauth's reading of what the sign-in box holds: an e-mail address, a phone number, ..."""
    from allauth.account.internal.flows.login import derive_login_method

    return derive_login_method(login)  # type: ignore[no-any-return]


class CitizenLoginForm(LoginForm):
    user: Any  # set by allauth's clean

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"] = PasswordField(
            label=_("Kata sandi"), required=False, autocomplete="current-password",
            help_text=_("Kosongkan untuk menerima kode masuk."))
        self.fields["password"].widget.attrs["placeholder"] = _("Kata sandi (opsional)")
        set_form_field_order(self, ["login", "password", "remember"])
        # allauth's "Masuk" (Login) and "Ingat Saya": the box takes a number or an address.
        self.fields["login"].label = _("Nomor HP atau email")
        self.fields["remember"].label = _("Ingat saya di perangkat ini")

    def clean_login(self) -> str:
        # A number typed the usual way ("0812 3456 7890") is the account's E.164 number: allauth
        # compared it as typed, so a password never matched and codes went to the raw text.
        login = super().clean_login()
        method = _login_method(login)
        if method == LoginMethod.PHONE:
            return identity.clean_phone(login)
        if method == LoginMethod.EMAIL:  # allauth does not ask its adapter here (its length rule)
            return get_adapter().clean_email(login)  # type: ignore[no-any-return]
        return login  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Without a password allauth sends a code to the account it found by the address
        # (RequestLoginCodeForm inside); to none if the account only typed it: allauth then writes
        # to the address that it has no account, as for any unknown one.
        login = (self.cleaned_data.get("login") or "").strip()
        if self.user is not None and _login_method(login) == LoginMethod.EMAIL and not self.cleaned_data.get("password"):
            self.user = emails.account_for(login)
        return cleaned  # type: ignore[no-any-return]


class CitizenLoginCodeForm(RequestLoginCodeForm):
    """/akun/login/code/: a code by e-mail only to an account that proved the address."""

    _user: Any  # set by allauth's clean_email

    def clean_email(self) -> str:
        if self.cleaned_data.get("email"):  # allauth does not ask its adapter on this form (its length rule)
            self.cleaned_data["email"] = get_adapter().clean_email(self.cleaned_data["email"])
        email = super().clean_email()
        if email and self._user is not None:
            self._user = emails.account_for(email)
        return email  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Both fields are optional when either may sign in; sent empty, allauth went on to send a
        # code to nobody (a 500). Said next to the first field, with the error summary.
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            self.add_error("phone" if "phone" in self.fields else "email", _("Isi nomor HP atau email."))
        return cleaned  # type: ignore[no-any-return]


class CitizenResetPasswordForm(ResetPasswordForm):
    """/akun/password/reset/: the reset link only to accounts that proved the address."""

    users: list[Any]  # set by allauth's clean_email

    def clean_email(self) -> str:
        email = super().clean_email()
        self.users = emails.holders(self.users, email)
        return email  # type: ignore[no-any-return]


class CitizenSignupForm(SignupForm):
    """/akun/signup/: an address another account only typed does not stop a sign-up (allauth would
    call it taken); whichever account proves it first keeps it (emails.release)."""

    def validate_unique_email(self, value: str) -> str:
        from allauth.account.adapter import get_adapter
        from allauth.account.internal.userkit import filter_users_by_email

        if not emails.holders(filter_users_by_email(value), value):
            self.account_already_exists = False
            return get_adapter().validate_unique_email(value)  # type: ignore[no-any-return]
        return super().validate_unique_email(value)  # type: ignore[no-any-return]
