"""INApas, the government's single sign-on, through django-allauth's OpenID Connect provider.

allauth does the discovery, the state and PKCE; this adds the nonce (sent on the authorization
request, kept in the state, compared with the ID token's in adapter.pre_social_login) and pins
the issuer to OIDC_ISSUER, so an ID token from another issuer is refused even if a discovery
document claims it.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.utils.crypto import get_random_string

PROVIDER_ID = "inapas"


class InapasProvider(OpenIDConnectProvider):
    package = "allauth.socialaccount.providers.openid_connect"  # its login and callback URLs

    def redirect(self, request: Any, process: Any, next_url: Any = None, data: Any = None, **kwargs: Any) -> Any:
        nonce = get_random_string(32)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = dict(self.get_auth_params() if auth_params is None else auth_params)
        auth_params["nonce"] = nonce
        return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)
