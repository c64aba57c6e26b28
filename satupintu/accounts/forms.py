"""The citizens' sign-in form at /akun/login/ (django-allauth's, ACCOUNT_FORMS["login"]).

allauth shows a password on its login form only when its sign-up asks for one
(ACCOUNT_SIGNUP_FIELDS "password1"); ours asks for a phone only, yet citizens who made an account
with an e-mail address and a password (/daftar/) must be able to use it. So the password is here
and optional: filled, allauth checks it (an e-mail address or a phone number with its password);
empty, allauth sends a one-time code to the address or number, as without the field. Staff
accounts are refused either way (accounts/adapter.py pre_login)."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm, PasswordField
from allauth.utils import set_form_field_order
from django.utils.translation import gettext_lazy as _


class CitizenLoginForm(LoginForm):
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
