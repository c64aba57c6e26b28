"""Settings for Satu Pintu, read from environment variables.

Nothing set means the embedded default: SQLite and a file-system broker under
SATUPINTU_DATA_DIR (default ./var), so a fresh clone runs with no server. Production sets
DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis), SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import ipaddress
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

from satupintu.core.broker import filesystem_options
from satupintu.core.env import (
    ConfigError,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    secret_key_file,
    site_url_from_bind,
    webauthn_relying_party,
)
from satupintu.core.storage import upload_storage
from satupintu.schedule import beat_schedule


def _response_hours(raw: str) -> dict[str, int]:
    """SITUATION_RESPONSE_HOURS: zone -> working hours; a typo fails at start-up."""
    import json

    hours = {"merah": 4, "kuning": 16, "hijau": 40}
    try:
        given = json.loads(raw) if raw.strip() else {}
    except ValueError as exc:
        raise ConfigError(f"SITUATION_RESPONSE_HOURS must be JSON, got {raw!r}") from exc
    if not isinstance(given, dict) or not set(given) <= set(hours) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 2000 for v in given.values()):
        raise ConfigError('SITUATION_RESPONSE_HOURS must map hijau/kuning/merah to whole hours (1-2000), '
                          f'e.g. {{"merah": 4, "kuning": 16, "hijau": 40}}; got {raw!r}')
    return {**hours, **given}


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("SATUPINTU_DATA_DIR", "var")).resolve()
try:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
except OSError as _exc:
    raise ConfigError(f"SATUPINTU_DATA_DIR={str(DATA_DIR)!r} cannot be used as a folder: {_exc}") from _exc

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:  # the embedded default: a random key kept in the data dir (core/env.py)
    SECRET_KEY = secret_key_file(DATA_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "satupintu.core.views.csrf_failure"  # branded, bilingual, a way back to the form
# Where `satupintu serve/run --bind` listens; the CLI exports its --bind here for every process.
BIND = env_str("BIND", "127.0.0.1:8000")
# Absolute address of the site, printed on receipts (QR code) and in e-mails; unset, it follows BIND.
SITE_URL = (env_str("SITE_URL", "") or site_url_from_bind(BIND)).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "csp",
    "axes",  # sign-in throttling (also /admin/login/)
    "django_otp",
    "django_otp.plugins.otp_totp",  # staff second factor: TOTP apps
    "django_otp_webauthn",  # staff second factor: passkeys and security keys (WebAuthn)
    # Citizens' sign-in (accounts/): phone + one-time code, INApas (OpenID Connect), e-mail.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "ninja",  # ships Swagger UI files, so /api/v1/docs loads nothing from a CDN
    "satupintu.core",
    "satupintu.organization",
    "satupintu.services",
    "satupintu.feedback",
    "satupintu.situation",
    "satupintu.field",
    "satupintu.rakor",
    "satupintu.notifications",
    "satupintu.whatsapp",
    "satupintu.integrations",
    "satupintu.bridge",
    "satupintu.citizen",
    "satupintu.api",
    "satupintu.accounts",
    "satupintu.documents",
    "satupintu.humas",
    "satupintu.reform",
]

MIDDLEWARE = [
    # Outermost, so the id, the access line and the latency cover every other layer's answer
    # (redirects, static files, errors).
    "satupintu.core.logs.RequestIdMiddleware",
    "satupintu.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "satupintu.core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "satupintu.core.middleware.LanguageMiddleware",
    # Every /api/ error as JSON {"code","message"}; then too-large bodies and NUL/control
    # characters refused before anything reads the body or reaches the database.
    "satupintu.core.request_guard.ApiErrorMiddleware",
    "satupintu.core.request_guard.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "satupintu.core.headers.PrivateAnswersMiddleware",  # what a signed-in person sees: kept by no cache
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "satupintu.core.staff_security.StaffSecurityMiddleware",  # second factor and session limits for staff
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into its page
]

ROOT_URLCONF = "satupintu.urls"
WSGI_APPLICATION = "satupintu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "satupintu.core.context_processors.staff_links",
            ],
            # |when (a time as the page's language writes its clock) without a {% load %} in every page
            "builtins": ["satupintu.core.templatetags.clock"],
        },
    }
]

# SQLite has no INCLUDE columns: the room's covering indexes are plain partial indexes there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
                                                      conn_health_checks=True)}
    except ValueError:
        # Neither the URL nor the parser's message: they hold the database password.
        raise ConfigError("DATABASE_URL cannot be read: write postgres://user:password@host:5432/name") from None
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast while PostgreSQL restarts: a request waits seconds, not minutes, and gets
        # the 503 page (core/outage.py); persistent connections are checked before reuse.
        DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 3)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "satupintu.sqlite3"),
            # Kept between requests: opening and closing the WAL file on every request (closing the
            # last connection checkpoints it) cost 3.1 ms CPU and 8.5 ms wall each (bench/README.md).
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "OPTIONS": {
                # Web, worker and scheduler share the file: WAL lets readers go on while one
                # writes, IMMEDIATE transactions queue writers instead of failing with "locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
if DATABASES["default"]["ENGINE"] not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ConfigError("DATABASE_URL must point to PostgreSQL (or be empty for SQLite)")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters at least (ASVS 2.1.1); Django's default is 8.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The throttling backend first (django-axes): it refuses a locked-out sign-in before any password check.
AUTHENTICATION_BACKENDS = ["satupintu.core.auth_backends.ThrottledBackend", "django.contrib.auth.backends.ModelBackend",
                           "allauth.account.auth_backends.AuthenticationBackend"]
# Sign-in throttling: 5 wrong passwords for one account from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Account and address together: a colleague's typos behind the same office NAT lock nobody else out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # the right password clears the count (before the lock only)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client address: REMOTE_ADDR, or behind our TLS proxy the address it appends last (never one a client sent).
AXES_CLIENT_IP_CALLABLE = "satupintu.core.auth_backends.client_ip"
# The account an attempt names: a username, or a citizen's e-mail address or phone number.
AXES_USERNAME_CALLABLE = "satupintu.core.auth_backends.client_username"
# Staff (officers, heads, administrators) must pass a second factor: a TOTP code or a passkey.
# On by default with a database server (production); off in the embedded SQLite demo, whose
# accounts sign in with the password only. Set STAFF_2FA_REQUIRED=0/1 to choose.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", bool(DATABASE_URL))
# Staff sessions end after this long without a request, and this long after sign-in whatever happens.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 12)
# Name the authenticator app shows next to the six digits.
OTP_TOTP_ISSUER = "Satu Pintu Kemenag"
# Passkeys and security keys (WebAuthn, django-otp-webauthn), the other second factor. A key is
# bound to the relying party ID: SITE_URL's host unless WEBAUTHN_RP_ID names it (a parent domain
# lets one key serve its subdomains); changing it later means every key is registered again.
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = webauthn_relying_party(
    SITE_URL, env_str("WEBAUTHN_RP_ID", ""), env_list("WEBAUTHN_ALLOWED_ORIGINS", []))
OTP_WEBAUTHN_RP_NAME = env_str("WEBAUTHN_RP_NAME", OTP_TOTP_ISSUER)  # what the browser's prompt names
# A key is the factor after the password, never a way in without it.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Sign-ups and password-reset requests one address may send per hour (both send e-mail).
ACCOUNT_MAIL_LIMIT_PER_HOUR = env_int("ACCOUNT_MAIL_LIMIT_PER_HOUR", 5)
LOGIN_URL = "/masuk/"

# Citizens sign in at /akun/login/ (django-allauth, accounts/): a phone number and a one-time code
# (WhatsApp where the national line is set and the number opted in, else SMS), e-mail and a code
# or password, or INApas. Staff accounts are refused there (accounts/adapter.py).
ACCOUNT_ADAPTER = "satupintu.accounts.adapter.CitizenAccountAdapter"
SOCIALACCOUNT_ADAPTER = "satupintu.accounts.adapter.CitizenSocialAdapter"
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
# The password is optional on the sign-in form (empty: a code is sent); see accounts/forms.py.
# Codes and reset links by e-mail go only to an account that proved the address (accounts/emails.py).
ACCOUNT_FORMS = {"login": "satupintu.accounts.forms.CitizenLoginForm",
                 "request_login_code": "satupintu.accounts.forms.CitizenLoginCodeForm",
                 "reset_password": "satupintu.accounts.forms.CitizenResetPasswordForm",
                 "signup": "satupintu.accounts.forms.CitizenSignupForm"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "email"]
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}  # six digits, easy to type from an SMS
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
# A code lives this long and allows this many wrong tries; allauth's rate limits (per address,
# per account) sit on top.
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = env_int("SIGN_IN_CODE_MINUTES", 10) * 60
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = ACCOUNT_LOGIN_BY_CODE_TIMEOUT
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = env_int("SIGN_IN_CODE_MAX_ATTEMPTS", 3)
ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS = ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS
# Per number, a day: ten codes (thirty guesses at a six-digit code; the SMS bill bounded too), on top
# of allauth's per-minute limits, which alone let one phone be sent 90 codes in half an hour.
ACCOUNT_RATE_LIMITS = {"request_login_code": "20/m/ip,3/m/key,10/d/key", "verify_phone": "1/30s/key,3/m/ip,10/d/key"}
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Satu Pintu: "
# INApas (OpenID Connect): discovery from OIDC_ISSUER, PKCE, state and nonce checked; the ID token
# must come from OIDC_ISSUER. Unset: no INApas button.
OIDC_ISSUER = env_str("OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {"openid_connect": {
    "provider_class": "satupintu.accounts.inapas.InapasProvider",
    "OAUTH_PKCE_ENABLED": True,
    "SCOPE": ["openid", "profile", "email", "phone"],  # "phone": the number becomes the account's
    "APPS": [{"provider_id": "inapas", "name": "INApas", "client_id": OIDC_CLIENT_ID, "secret": OIDC_CLIENT_SECRET,
              "settings": {"server_url": OIDC_ISSUER, "oauth_pkce_enabled": True,
                           "openid_configuration_overrides": {"issuer": OIDC_ISSUER}}}] if OIDC_ISSUER else [],
}}
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
# SMS (notifications/channels/sms.py): a generic HTTP gateway. Unset URL: texts stay in the outbox;
# with SIGN_IN_DEMO_CODES on (the embedded demo) the last sign-in codes show at /akun/kode-demo/.
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_BODY = env_str("SMS_GATEWAY_BODY", '{"to": "{to}", "text": "{text}"}')
SMS_GATEWAY_CONTENT_TYPE = env_str("SMS_GATEWAY_CONTENT_TYPE", "application/json")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10)
SIGN_IN_DEMO_CODES = env_bool("SIGN_IN_DEMO_CODES", not DATABASE_URL and not SMS_GATEWAY_URL)
LOGIN_REDIRECT_URL = "/akun/"  # citizens see their applications; staff go on to /petugas/
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    # Uploads live outside the web root and are only ever served by views that check
    # who is asking (the views that check access); there is deliberately no MEDIA_URL route.
    "default": upload_storage(DATA_DIR),
    # Hashed, compressed, cached-forever names once `collectstatic` has run (production
    # and `satupintu serve`); plain names before that (tests, a shell).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if (STATIC_ROOT / "staticfiles.json").exists() and not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# Whole request body, files included: refused from Content-Length before it is read (413).
# Keep the proxy's client_max_body_size at least this large (deploy guide).
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 30 * 1024 * 1024)
# Body without files (form fields, JSON): refused early too when Content-Length exceeds it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# How long files sent with a form that had errors are kept for the citizen's next try (seconds).
UPLOAD_STASH_SECONDS = env_int("UPLOAD_STASH_SECONDS", 2 * 3600)
# Public applications an hour from one client address, and for one e-mail address (each one
# e-mails that address from the ministry's sender).
APPLICATIONS_PER_CLIENT_PER_HOUR = env_int("APPLICATIONS_PER_CLIENT_PER_HOUR", 30)
APPLICATIONS_PER_EMAIL_PER_HOUR = env_int("APPLICATIONS_PER_EMAIL_PER_HOUR", 5)
APPLICATIONS_PER_PHONE_PER_HOUR = env_int("APPLICATIONS_PER_PHONE_PER_HOUR", 5)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail: the embedded default writes every message as a file under var/mail so a
# developer can read what citizens would receive. Production sets EMAIL_HOST etc.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Satu Pintu Kemenag <noreply@satupintu.local>")
# A worker that claims an outbox message holds it this long, renewing while it sends; if the
# worker dies, another one takes the message over when the lease runs out.
OUTBOX_CLAIM_LEASE_SECONDS = env_int("OUTBOX_CLAIM_LEASE_SECONDS", 60)

# Outbound webhooks (integrations/): how long one delivery may take, and when an endpoint
# that keeps failing is disabled (this many failures in a row, or failing this many hours).
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 20)
WEBHOOK_DISABLE_AFTER_HOURS = env_int("WEBHOOK_DISABLE_AFTER_HOURS", 24)

# Celery. Embedded default: a file-system broker in the data dir, so `satupintu run`
# needs no server; production: CELERY_BROKER_URL=redis://...
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":  # messages written whole (core/broker.py)
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_options(DATA_DIR / "broker")
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Separate queues so that a flood of news to analyse never delays a citizen's e-mail; a worker
# started without --queues takes them all (the embedded default).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_QUEUES_ALL = ("default", "notifications", "ingestion", "analysis")
CELERY_TASK_ROUTES = {
    "satupintu.notifications.tasks.*": {"queue": "notifications"},
    "satupintu.whatsapp.tasks.*": {"queue": "notifications"},
    "satupintu.situation.tasks.fetch_due_sources": {"queue": "ingestion"},
    "satupintu.situation.tasks.sync_internal_reports": {"queue": "ingestion"},
    "satupintu.situation.tasks.run_import": {"queue": "ingestion"},
    "satupintu.situation.tasks.resume_imports": {"queue": "ingestion"},
    "satupintu.situation.tasks.detect_trends": {"queue": "analysis"},
    "satupintu.situation.tasks.send_briefs": {"queue": "analysis"},
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic jobs: satupintu/schedule.py (django-celery-beat mirrors them into the DB).
CELERY_BEAT_SCHEDULE = beat_schedule()
# Situation Room: a larger local sentiment model (a .skops file or a transformer directory on
# disk) instead of the shipped one. Empty: the shipped model.
SITUATION_SENTIMENT_MODEL = env_str("SITUATION_SENTIMENT_MODEL", "")
# Situation Room fetching: how we identify ourselves and how gently we ask each host.
if env_str("SITUATION_USER_AGENT", ""):
    SITUATION_USER_AGENT = env_str("SITUATION_USER_AGENT", "")
SITUATION_FETCH_HOST_INTERVAL = env_float("SITUATION_FETCH_HOST_INTERVAL", 1.0)
SITUATION_FETCH_READ_TIMEOUT = env_float("SITUATION_FETCH_READ_TIMEOUT", 15.0)
# Early warning (kewaspadaan dini, situation/warning.py documents every key): points per signal
# as a JSON object merged over the defaults (e.g. '{"news": 4, "field_urgency": {"critical": 50}}'),
# the kuning and merah thresholds of the 0-100 index, the window and the half-life of a signal.
try:
    SITUATION_WARNING_WEIGHTS: dict[str, Any] = json.loads(env_str("SITUATION_WARNING_WEIGHTS", "") or "{}")
except ValueError as exc:
    raise ConfigError(f"SITUATION_WARNING_WEIGHTS must be a JSON object: {exc}") from exc
SITUATION_WARNING_THRESHOLDS = env_str("SITUATION_WARNING_THRESHOLDS", "25,60")
SITUATION_WARNING_WINDOW_DAYS = env_int("SITUATION_WARNING_WINDOW_DAYS", 14)
SITUATION_WARNING_HALF_LIFE_DAYS = env_float("SITUATION_WARNING_HALF_LIFE_DAYS", 7.0)
# Situation Room responses: working hours (of the acting office) to respond, by the region's
# early-warning zone, as JSON, e.g. {"merah": 4, "kuning": 16, "hijau": 40}; missing zones keep
# these defaults. The same hours again at each level of escalation.
SITUATION_RESPONSE_HOURS = _response_hours(env_str("SITUATION_RESPONSE_HOURS", ""))
# Outbound requests a user can steer (sources, webhooks) never reach loopback/private/link-local
# addresses or ports other than 80/443, except these: CIDRs, each optionally ":port"
# (e.g. "10.1.0.0/16,127.0.0.1/32:8089"). See core/netguard.py.
OUTBOUND_ALLOWED_NETWORKS = env_str("OUTBOUND_ALLOWED_NETWORKS", "")

# WhatsApp Layanan on the WhatsApp Business Platform (Cloud API); see whatsapp/ and the README.
# One national number (WHATSAPP_PHONE_NUMBER_ID) and/or numbers per office (configured in the
# admin, WhatsApp numbers). Events are routed by the number they came to.
WHATSAPP_GRAPH_URL = env_str("WHATSAPP_GRAPH_URL", "https://graph.facebook.com").rstrip("/")
WHATSAPP_API_VERSION = env_str("WHATSAPP_API_VERSION", "v21.0")
WHATSAPP_PHONE_NUMBER_ID = env_str("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_ACCESS_TOKEN = env_str("WHATSAPP_ACCESS_TOKEN", "")
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET", "")
WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN", "")
# The simulator (/wa-simulator/): a phone-like chat and a local stand-in of the Graph API, so the
# channel works without Meta. On by default only on the embedded default (no DATABASE_URL):
# anyone using it can pretend to be any phone number. When it is on and no real token is set,
# the channel talks to the stand-in with demo credentials.
WHATSAPP_SIMULATOR = env_bool("WHATSAPP_SIMULATOR", not DATABASE_URL)
if WHATSAPP_SIMULATOR and not WHATSAPP_ACCESS_TOKEN:
    WHATSAPP_GRAPH_URL = SITE_URL + "/wa-simulator/graph"
    WHATSAPP_PHONE_NUMBER_ID = WHATSAPP_PHONE_NUMBER_ID or "100000000000001"
    WHATSAPP_ACCESS_TOKEN = "simulator-token"
    WHATSAPP_APP_SECRET = WHATSAPP_APP_SECRET or "simulator-app-secret"
    WHATSAPP_VERIFY_TOKEN = WHATSAPP_VERIFY_TOKEN or "simulator-verify-token"
# The bridge simulator (/bridge-simulator/, bridge/simulator.py): a stand-in of SIMKAH's status
# API served by this server, and a demo connector pointing at it, so the demo shows a case in
# another app moving. On by default only on the embedded default (no DATABASE_URL); while it is on
# the outbound guard lets connections through to this server's own loopback port (SITE_URL's),
# and nothing else (core/netguard.py). `check --deploy` refuses it.
BRIDGE_SIMULATOR = env_bool("BRIDGE_SIMULATOR", not DATABASE_URL)
# Approved message templates for business-initiated messages (outside the 24-hour window):
# JSON {"purpose": {"name": "...", "language": "id"}}; purposes: status_update, reply_later, sign_in_code and
# one_time_code ("authentication" templates whose one parameter is the code), assisted_receipt.
WHATSAPP_TEMPLATES = env_str("WHATSAPP_TEMPLATES", "")
WHATSAPP_MEDIA_MAX_BYTES = env_int("WHATSAPP_MEDIA_MAX_BYTES", 10 * 1024 * 1024)
try:
    from satupintu.core.netguard import parse_allowances

    parse_allowances(OUTBOUND_ALLOWED_NETWORKS)
except ValueError as _exc:
    raise ConfigError(str(_exc)) from _exc
# Backups (core/backup_crypto.py): age public keys (age1..., comma-separated) that `satupintu backup`
# encrypts every archive to; the private key stays off the servers. Empty: plain tar (a warning in `check`).
BACKUP_RECIPIENTS = env_list("BACKUP_RECIPIENTS", [])
try:
    from satupintu.core.backup_crypto import parse_recipients

    parse_recipients(BACKUP_RECIPIENTS)
except ValueError as _exc:
    raise ConfigError(f"BACKUP_RECIPIENTS: {_exc}") from _exc
# Issued documents (documents/): who signs them. "local" (default): the demo's own CA, created
# at first use in DOCUMENT_SIGNING_LOCAL_DIR (outside the uploads, never under the web root) and trusted by
# nobody else; "bsre": the national CA's signing service (BSrE, BSSN) at DOCUMENT_SIGNING_BSRE_URL with the
# application's account; "pkcs11": a key in an HSM or token (DOCUMENT_SIGNING_PKCS11_*). See documents/signers.py.
# (DOCUMENT_-prefixed: Django's own SIGNING_BACKEND is the cookie signer's class.)
DOCUMENT_SIGNING_BACKEND = env_str("DOCUMENT_SIGNING_BACKEND", "local").strip().lower()
if DOCUMENT_SIGNING_BACKEND not in ("local", "bsre", "pkcs11"):
    raise ConfigError(f"DOCUMENT_SIGNING_BACKEND must be local, bsre or pkcs11, got {DOCUMENT_SIGNING_BACKEND!r}")
DOCUMENT_SIGNING_LOCAL_DIR = Path(env_str("DOCUMENT_SIGNING_LOCAL_DIR", "") or DATA_DIR / "signing").resolve()
DOCUMENT_SIGNING_BSRE_URL = env_str("DOCUMENT_SIGNING_BSRE_URL", "").rstrip("/")
DOCUMENT_SIGNING_BSRE_USERNAME = env_str("DOCUMENT_SIGNING_BSRE_USERNAME", "")
DOCUMENT_SIGNING_BSRE_PASSWORD = env_str("DOCUMENT_SIGNING_BSRE_PASSWORD", "")
# Demo and stand-in only: in production the person signing types their own passphrase at approval.
DOCUMENT_SIGNING_BSRE_PASSPHRASE = env_str("DOCUMENT_SIGNING_BSRE_PASSPHRASE", "")
DOCUMENT_SIGNING_TIMEOUT_SECONDS = env_int("DOCUMENT_SIGNING_TIMEOUT_SECONDS", 60)
DOCUMENT_SIGNING_PKCS11_MODULE = env_str("DOCUMENT_SIGNING_PKCS11_MODULE", "")  # e.g. /usr/lib/softhsm/libsofthsm2.so
DOCUMENT_SIGNING_PKCS11_TOKEN = env_str("DOCUMENT_SIGNING_PKCS11_TOKEN", "")
DOCUMENT_SIGNING_PKCS11_KEY = env_str("DOCUMENT_SIGNING_PKCS11_KEY", "")  # label of the key and of its certificate
DOCUMENT_SIGNING_PKCS11_PIN = env_str("DOCUMENT_SIGNING_PKCS11_PIN", "")  # for an unattended seal; a person types theirs
DOCUMENT_SIGNING_PKCS11_CHAIN = env_list("DOCUMENT_SIGNING_PKCS11_CHAIN", [])  # PEM files of the issuers to embed
# Roots the verification page trusts besides the demo CA's (backend "local"): comma-separated
# PEM files, e.g. BSrE's root and the national root CA's in production.
DOCUMENT_SIGNING_TRUST_ROOTS = env_list("DOCUMENT_SIGNING_TRUST_ROOTS", [])
# Time stamps on signatures (PAdES B-T, documents/timestamps.py): an RFC 3161 TSA over HTTP, with basic
# auth where it asks, and its roots (PEM files, trusted for time stamps only). Unset: the demo CA stamps
# its own (backend "local"), no time stamp otherwise (BSrE stamps the signatures it makes).
DOCUMENT_SIGNING_TSA_URL = env_str("DOCUMENT_SIGNING_TSA_URL", "")
DOCUMENT_SIGNING_TSA_USERNAME = env_str("DOCUMENT_SIGNING_TSA_USERNAME", "")
DOCUMENT_SIGNING_TSA_PASSWORD = env_str("DOCUMENT_SIGNING_TSA_PASSWORD", "")
DOCUMENT_SIGNING_TSA_ROOTS = env_list("DOCUMENT_SIGNING_TSA_ROOTS", [])
DOCUMENT_SIGNING_TSA_TIMEOUT_SECONDS = env_int("DOCUMENT_SIGNING_TSA_TIMEOUT_SECONDS", 10)
# The largest PDF the verification page checks (bytes); pyHanko's decode limits bound the rest.
DOCUMENT_VERIFY_MAX_BYTES = env_int("DOCUMENT_VERIFY_MAX_BYTES", 20 * 1024 * 1024)

# The cache is shared by every web process: tracking answers, catalog fragments and the
# counters that limit guessing of phone digits live here. Production: CACHE_URL=redis://...
CACHE_URL = env_str("CACHE_URL", "")
CACHES: dict[str, dict[str, Any]]
if CACHE_URL.startswith(("redis://", "rediss://")):
    # Degrades to misses (and per-process guess counters) while Redis is away: core/cache.py.
    CACHES = {"default": {"BACKEND": "satupintu.core.cache.ResilientRedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": "satupintu"}}
elif CACHE_URL:
    raise ConfigError("CACHE_URL must be a redis:// address (or empty for the file cache)")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(DATA_DIR / "cache"), "OPTIONS": {"MAX_ENTRIES": 20000}}}
# The rate-limit counters (core/ratelimit.py) in a cache of their own, so that filling the shared one
# (pages cached per search, evictions) cannot reset them. RATELIMIT_CACHE_URL: a Redis of its own
# (eviction is per Redis server: "noeviction" there); by default the shared Redis under its own prefix.
RATELIMIT_CACHE_URL = env_str("RATELIMIT_CACHE_URL", CACHE_URL)
if RATELIMIT_CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES["ratelimit"] = {"BACKEND": "satupintu.core.cache.ResilientRedisCache", "LOCATION": RATELIMIT_CACHE_URL,
                           "KEY_PREFIX": "satupintu-rl"}
elif RATELIMIT_CACHE_URL:
    raise ConfigError("RATELIMIT_CACHE_URL must be a redis:// address (or empty)")
else:  # counters expire with their window: the cap only guards the disk
    CACHES["ratelimit"] = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                           "LOCATION": str(DATA_DIR / "ratelimit"), "OPTIONS": {"MAX_ENTRIES": 100_000}}

# Joint leave days (cuti bersama) are kept in the database (organization.JointLeaveDay);
# national holidays come from the `holidays` package.

SESSION_COOKIE_HTTPONLY = True
# Every session (a citizen's too, "Ingat saya" or not) ends this long after sign-in: ASVS 3.3.2 asks
# for a new sign-in at least every 12 hours; Django's default kept citizens in for two weeks. Staff
# have their own, shorter limits above (STAFF_SESSION_*).
SESSION_COOKIE_AGE = env_int("SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Over HTTPS the session cookie is a "__Host-" cookie (ASVS 3.4.4): browsers take it only from this
# host itself, Secure, for the whole site, so another site under the same parent domain cannot plant
# or overwrite it. Plain HTTP (the embedded demo) cannot carry a Secure cookie: its usual name there.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
# Proxies whose X-Forwarded-For is believed (comma-separated CIDRs); rate limits key on the
# client behind them (core/ratelimit.py). Default: the local proxy when BEHIND_TLS_PROXY is on.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1/32", "::1/128"] if SECURE_PROXY_SSL_HEADER else [])
try:
    [ipaddress.ip_network(_cidr, strict=False) for _cidr in TRUSTED_PROXIES]
except ValueError as _exc:
    raise ConfigError(f"TRUSTED_PROXIES must be comma-separated CIDRs: {_exc}") from None
X_FRAME_OPTIONS = "DENY"
# HTTPS only, when the site is served over TLS: plain-HTTP requests are redirected, except the
# probes and the scraper, which talk to each web process directly over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
# /health/ready believes a storage that worked for this long (core/health.py): probes every few
# seconds wrote a file each (three paid S3 requests). 0: every probe writes.
HEALTH_STORAGE_CHECK_SECONDS = env_int("HEALTH_STORAGE_CHECK_SECONDS", 30)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)


def _origin_of(url: str) -> str:
    """scheme://host[:port] of an http(s) URL, or "" (nothing to allow) for anything else."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return ""
    plain = all(c.isascii() and (c.isalnum() or c in ".-:") for c in host)  # no space or ";" in the header
    if parts.scheme not in ("http", "https") or not host or not plain:
        return ""
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


# Content-Security-Policy (django-csp): scripts only from our own static files (no inline script,
# no handlers), nothing from another origin. Inline style *attributes* stay allowed
# (style-src-attr): templates and the SVG charts size bars and colour swatches with them;
# <style> elements and style sheets from elsewhere stay refused. The same policy covers the
# Swagger UI at /api/v1/docs: django-ninja serves it from static files with no inline script.
# Forms post to this site only, and with INApas on, to the issuer's origin as well: allauth's
# "Continue" form posts to /akun/oidc/inapas/login/, which answers with a redirect to the
# issuer's authorize page, and browsers (Chromium, Safari) check form-action on that redirect.
FORM_ACTION_SOURCES = ["'self'", *filter(None, [_origin_of(OIDC_ISSUER)])]
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": FORM_ACTION_SOURCES,
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy: only the complaint form's "use my location" button needs a device feature.
PERMISSIONS_POLICY = {"geolocation": "(self)", "camera": "()", "microphone": "()", "payment": "()", "usb": "()",
                      "midi": "()", "magnetometer": "()", "gyroscope": "()", "accelerometer": "()",
                      "display-capture": "()"}

# Issued documents (documents/, issue #14). Letter numbers: {seq} the office's running number
# for the year, {office} its letter code (OfficeSigning.letter_code), {classification} the
# template's archive code, {month}, {year}.
DOCUMENT_NUMBER_FORMAT = env_str("DOCUMENT_NUMBER_FORMAT", "B-{seq}/{office}/{classification}/{month:02d}/{year}")
# Signing asks the signer's second factor again, an authenticator code or a passkey (on where staff need one).
# The electronic seal (receipts, products made elsewhere): with BSrE, the NIK of the seal's
# holder (the account the ministry registered for its system seal).
DOCUMENT_SIGNING_SEAL_NIK = env_str("DOCUMENT_SIGNING_SEAL_NIK", "")
# With BSrE, the signer's passphrase typed at approval is kept (encrypted, in the cache) this long
# for retries while the service is down; then the approval lapses and the signer is asked again.
DOCUMENT_SIGNING_PASSPHRASE_HOLD_MINUTES = env_int("DOCUMENT_SIGNING_PASSPHRASE_HOLD_MINUTES", 60)
DOCUMENT_SIGNING_SECOND_FACTOR = env_bool("DOCUMENT_SIGNING_SECOND_FACTOR", STAFF_2FA_REQUIRED)
# While the signing service is down, approved documents are tried again with backoff up to this.
DOCUMENT_SIGNING_RETRY_MAX_MINUTES = env_int("DOCUMENT_SIGNING_RETRY_MAX_MINUTES", 30)

# Logs: readable lines for the embedded run, one JSON object a line in production
# (LOG_FORMAT=json). Every line carries the request id (core/logs.py).
LOG_FORMAT = env_str("LOG_FORMAT", "plain").lower()
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}")
if LOG_FORMAT not in ("plain", "json"):
    raise ConfigError("LOG_FORMAT must be plain or json")
# /metrics answers scrapers on this machine, or anyone sending "Authorization: Bearer <token>".
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "satupintu.core.logs.RequestContextFilter"}},
    "formatters": {"plain": {"()": "satupintu.core.logs.PlainFormatter"},
                   "json": {"()": "satupintu.core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["request_context"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The file broker has no host name; kombu warns about that on every connection.
        "kombu.connection": {"level": "ERROR" if CELERY_BROKER_URL == "filesystem://" else "WARNING"},
        # The public verification page feeds pyHanko whatever is uploaded; a PDF signed by someone
        # else is an answer (documents/checks.py), not a warning with a traceback.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}
