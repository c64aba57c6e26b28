"""Optional citizen accounts: nobody needs one to apply, but with one your applications
are listed in one place and open without typing phone digits."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from satupintu.core import ratelimit
from satupintu.organization import access
from satupintu.services.models import Application


class SignupForm(UserCreationForm):
    email = forms.EmailField(label="Email")
    first_name = forms.CharField(label="Nama lengkap", max_length=150)

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]  # the stubs do not declare Meta
        model = get_user_model()
        fields = ("username", "first_name", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Email ini sudah terdaftar. Silakan masuk.")
        return email


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        try:  # every try counts: probing for taken names and e-mails is what the limit stops
            ratelimit.charge((ratelimit.SIGNUPS_PER_CLIENT, (ratelimit.client_ip(request),)), code="too_many_signups")
        except ratelimit.RateLimited as exc:
            return render(request, "services/signup.html", {"form": SignupForm(), "limit_error": exc.message},
                          status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        return redirect("/akun/")
    return render(request, "services/signup.html", {"form": form}, status=400 if form.errors else 200)


def my_applications(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("/masuk/?next=/akun/")
    if access.is_staff_member(request.user):
        return redirect("/petugas/")
    apps = Application.objects.select_related("service", "office").filter(user=request.user)
    return render(request, "services/my_applications.html", {"applications": apps})
