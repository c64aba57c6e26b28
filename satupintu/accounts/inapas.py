"""INApas, the government's single sign-on, through django-allauth's OpenID Connect provider.

allauth does the discovery, the state and PKCE; this adds the nonce (sent on the authorization
request, kept in the state, compared with the ID token's in adapter.pre_social_login), pins the
issuer to OIDC_ISSUER (settings: an ID token from another issuer is refused even if a discovery
document claims it), takes the citizen's phone number from the `phone_number` claim, and turns
a provider that cannot be reached into the clear error page instead of a server error.

allauth's calls to the provider (discovery, token, userinfo, JWKS) use `requests`, not
core.netguard's guarded client: the guard is for URLs a user can steer, and OIDC_ISSUER is set
by the operator, so an intranet INApas (or the tests' local provider) is reachable.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider, _pick_data
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.crypto import get_random_string
from requests import RequestException

from satupintu.core.errors import DomainError
from satupintu.services import identity

PROVIDER_ID = "inapas"


class InapasOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    @property
    def openid_config(self) -> dict[str, Any]:
        # allauth reads discovery outside its own error handling (a 500 when INApas is down).
        try:
            return super().openid_config  # type: ignore[no-any-return]
        except (RequestException, ValueError) as exc:
            raise ImmediateHttpResponse(render_authentication_error(
                self.request, self.get_provider(), exception=exc, extra_context={"reason": "provider_down"})) from exc


class InapasProvider(OpenIDConnectProvider):
    package = "allauth.socialaccount.providers.openid_connect"  # its login and callback URLs
    oauth2_adapter_class = InapasOAuth2Adapter

    def redirect(self, request: Any, process: Any, next_url: Any = None, data: Any = None, **kwargs: Any) -> Any:
        nonce = get_random_string(32)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = dict(self.get_auth_params() if auth_params is None else auth_params)
        auth_params["nonce"] = nonce
        return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)

    def extract_common_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        # The citizen's number (standard claim, "phone" scope): it becomes the account's phone,
        # so no form asks for it; without it (or with one that is no mobile number) the sign-up
        # form asks. In E.164 as every CitizenPhone is: "0812..." would never match "+62812...".
        # One that another account already has is dropped later (adapter.drop_taken_phone).
        fields: dict[str, Any] = super().extract_common_fields(data)
        claims = _pick_data(data)
        if claims.get("phone_number"):
            try:
                fields["phone"] = identity.clean_phone(str(claims["phone_number"]))
            except DomainError:
                return fields
            fields["phone_verified"] = bool(claims.get("phone_number_verified"))
        return fields


def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    """allauth's OpenID Connect callback with our adapter (its own view builds the stock one)."""
    try:
        view = OAuth2CallbackView.adapter_view(InapasOAuth2Adapter(request, provider_id))
        return view(request)  # type: ignore[no-any-return]
    except SocialApp.DoesNotExist:
        raise Http404 from None
