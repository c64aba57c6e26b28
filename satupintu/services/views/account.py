"""Optional citizen accounts: nobody needs one to apply, but with one your applications
are listed in one place and open without typing phone digits."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from satupintu.core.errors import DomainError
from satupintu.core.forms import DomainForm
from satupintu.core.ratelimit import account_mail_allowed
from satupintu.services import citizen_accounts


def _password_hints() -> str:
    return " ".join(password_validators_help_texts())


class SignupForm(DomainForm):
    first_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=True,
                                 widget=forms.TextInput(attrs={"autocomplete": "name"}))
    # The address is the sign-in name, which holds at most 150 characters.
    email = forms.EmailField(label=_("Email"), max_length=150, required=True,
                             help_text=_("Dipakai untuk masuk; tautan aktivasi dikirim ke sini."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    # In the page's language: the validators' texts are translated when they are asked for.
    password1 = forms.CharField(label=_("Kata sandi"), strip=False, required=True,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=lazy(_password_hints, str)())
    password2 = forms.CharField(label=_("Ulangi kata sandi"), strip=False, required=True,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        for name in ("first_name", "email", "password1", "password2"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("'%(label)s' wajib diisi.") % {"label": self.fields[name].label})
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        if p1:  # said together with a mismatch: one round trip for both
            # Checked against what the account would hold, so a password like the address or name is refused.
            email = (data.get("email") or "").strip().lower()
            candidate = get_user_model()(username=email, email=email, first_name=data.get("first_name", ""))
            try:
                validate_password(p1, candidate)
            except ValidationError as e:
                self.add_error("password1", e)
        return data


@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not account_mail_allowed(request):
            return render(request, "services/signup.html", {"form": SignupForm(), "limited": True}, status=429)
        if form.is_valid():
            citizen_accounts.signup_request(name=form.cleaned_data["first_name"], email=form.cleaned_data["email"],
                                            password=form.cleaned_data["password1"])
            return render(request, "services/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "services/signup.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = citizen_accounts.activate(uidb64, token)
    except DomainError as e:
        return render(request, "services/signup_sent.html", {"error": e.message}, status=e.status)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("/akun/")
