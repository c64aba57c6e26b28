"""Rate limits (issue #11, point 7): the client behind our own proxy, atomic counting,
a cap on guesses per application that never locks the owner out, and limits on
applications, reports and sign-ups."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.feedback.models import Report
from satupintu.services import unlock
from tests.conftest import VALID_PHONE, valid_submission

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # the TLS proxy of the deployment guide, on the same machine


@pytest.fixture
def behind_proxy(settings):  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXIES = ["127.0.0.1/32", "::1/128"]


def _via_proxy(client_address: str, forwarded: str = "") -> dict[str, str]:
    """What the web process sees from the proxy: its own address, the client appended."""
    chain = f"{forwarded}, {client_address}" if forwarded else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


# --- the client's address ------------------------------------------------------------------

def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings):  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert ratelimit.client_ip(request) == "198.51.100.7"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert ratelimit.client_ip(request) == "198.51.100.7"  # the peer is not one of our proxies


def test_the_right_most_untrusted_address_is_the_client(behind_proxy, settings):  # type: ignore[no-untyped-def]
    rf = RequestFactory()
    assert ratelimit.client_ip(rf.get("/", **_via_proxy("198.51.100.7"))) == "198.51.100.7"
    # Whatever the client wrote itself (left of what our proxy appended) is not believed.
    forged = rf.get("/", **_via_proxy("198.51.100.7", forwarded="1.2.3.4, 127.0.0.1"))
    assert ratelimit.client_ip(forged) == "198.51.100.7"
    # Two proxies of ours in a row (a load balancer, then nginx): both skipped.
    settings.TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/8"]
    chained = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.1.2.3")
    assert ratelimit.client_ip(chained) == "198.51.100.7"
    # Junk in the header never becomes a key (or a value for an inet column).
    junk = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="<script>, 10.1.2.3")
    assert ratelimit.client_ip(junk) == "10.1.2.3"
    assert ratelimit.client_ip(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY


def test_a_malformed_trusted_proxies_setting_stops_start_up():  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    env = {**os.environ, "TRUSTED_PROXIES": "10.0.0.0/8,not-a-network", "DJANGO_SETTINGS_MODULE": "satupintu.settings"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0 and "TRUSTED_PROXIES" in done.stderr


# --- reports behind the proxy ------------------------------------------------------------------

def _report(i: int, **extra: str) -> dict[str, str]:
    return {"kind": "complaint", "category": "service_quality", "office": "73.22", "title": f"Antrean lama {i}",
            "text": f"Antrean di loket PTSP lebih dari tiga jam tanpa nomor antrean, kejadian nomor {i}.",
            "name": "Warga", "anonymous": "false", **extra}


def test_behind_the_proxy_citizens_do_not_share_one_report_limit(behind_proxy):  # type: ignore[no-untyped-def]
    c = Client()
    limit = ratelimit.REPORTS_PER_CLIENT.limit
    for i in range(limit + 1):  # more than one address's hourly limit, from as many citizens
        response = c.post("/api/v1/reports", _report(i), **_via_proxy(f"198.51.100.{i + 1}"))
        assert response.status_code == 201, (i, response.content)
    # One citizen is still limited, whatever they write in X-Forwarded-For themselves.
    for i in range(limit):
        forged = f"203.0.113.{i + 1}"
        assert c.post("/api/v1/reports", _report(100 + i), **_via_proxy("192.0.2.9", forged)).status_code == 201
    refused = c.post("/api/v1/reports", _report(999), **_via_proxy("192.0.2.9", "203.0.113.250"))
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_reports"
    assert Report.objects.count() == 2 * limit + 1


def test_a_refused_report_does_not_use_up_the_limit():  # type: ignore[no-untyped-def]
    c = Client()
    assert c.post("/api/v1/reports", _report(1, phone="081234567890")).status_code == 201
    for _ in range(5):  # the same text again: a duplicate, refused, not counted
        assert c.post("/api/v1/reports", _report(1, phone="081234567890")).status_code == 409
    for i in (2, 3):
        assert c.post("/api/v1/reports", _report(i, phone="081234567890")).status_code == 201
    assert c.post("/api/v1/reports", _report(4, phone="081234567890")).status_code == 429  # 3 per phone a day


# --- tracking: guesses capped per application, the owner never locked out ----------------------

def test_behind_the_proxy_a_strangers_wrong_digits_do_not_lock_the_owner(submit, behind_proxy):  # type: ignore[no-untyped-def]
    app = submit()
    stranger, owner = Client(), Client()
    url = f"/lacak/{app.tracking_code}/"
    for _ in range(ratelimit.UNLOCK_PER_CLIENT.limit):
        assert stranger.post(url, {"phone_last4": "1111"}, **_via_proxy("203.0.113.5")).status_code == 400
    assert stranger.post(url, {"phone_last4": "1111"}, **_via_proxy("203.0.113.5")).status_code == 429
    response = owner.post(url, {"phone_last4": VALID_PHONE[-4:]}, **_via_proxy("198.51.100.20"))
    assert response.status_code == 302
    assert "Andi Rahmawati" in owner.get(url, **_via_proxy("198.51.100.20")).content.decode()


def test_guesses_are_capped_per_application_whoever_sends_them(submit):  # type: ignore[no-untyped-def]
    app = submit()
    url = f"/api/v1/applications/{app.tracking_code}"
    c = Client()
    codes = [c.get(url, {"phone_last4": f"{n:04d}"}, REMOTE_ADDR=f"203.0.113.{n + 1}").json()["code"]
             for n in range(40)]  # 40 addresses, one guess each, none of them right
    cap = ratelimit.UNLOCK_PER_APPLICATION.limit
    assert codes[:cap] == ["phone_mismatch"] * cap
    assert set(codes[cap:]) == {"full_phone_required"}
    # Past the cap even the right digits are not enough (else guessing would go on) ...
    past = c.get(url, {"phone_last4": VALID_PHONE[-4:]}, REMOTE_ADDR="198.51.100.20")
    assert past.status_code == 429 and past.json()["code"] == "full_phone_required"
    assert "details" not in past.json()
    # ... but the owner is never locked out: the whole number, in any usual spelling, opens it.
    opened = c.get(url, {"phone": "+62 812-3456-7890"}, REMOTE_ADDR="198.51.100.20")
    assert opened.status_code == 200 and opened.json()["details"]["applicant_name"] == "Andi Rahmawati"
    # And on the web page, which then asks for the whole number.
    web = Client()
    page = web.post(f"/lacak/{app.tracking_code}/", {"phone_last4": VALID_PHONE[-4:]}, REMOTE_ADDR="198.51.100.20")
    assert page.status_code == 429 and 'name="phone"' in page.content.decode()
    assert web.post(f"/lacak/{app.tracking_code}/", {"phone": VALID_PHONE}).status_code == 302
    assert "Andi Rahmawati" in web.get(f"/lacak/{app.tracking_code}/").content.decode()


def test_the_whole_number_cannot_be_sprayed_from_one_address(submit):  # type: ignore[no-untyped-def]
    app = submit()
    c = Client()
    url = f"/api/v1/applications/{app.tracking_code}"
    for n in range(unlock.FULL_PHONE_PER_CLIENT.limit):
        assert c.get(url, {"phone": f"08123456{n:04d}"}).json()["code"] == "phone_mismatch"
    assert c.get(url, {"phone": "081234560000"}).json()["code"] == "too_many_attempts"


def test_an_owners_right_answer_uses_up_no_guesses(submit):  # type: ignore[no-untyped-def]
    app = submit()
    for _ in range(3 * ratelimit.UNLOCK_PER_APPLICATION.limit):
        unlock.check_last4(app, VALID_PHONE[-4:], client="198.51.100.20")
    assert not unlock.needs_full_phone(app)


def _parallel_guesses(app, n: int = 40) -> list[str]:  # type: ignore[no-untyped-def]
    start = threading.Barrier(n)

    def guess(i: int) -> str:
        start.wait()
        try:
            unlock.check_last4(app, f"{i:04d}", client=f"203.0.113.{i % 3}")
        except DomainError as exc:
            return exc.code
        return "unlocked"

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(guess, range(n)))


def test_parallel_guesses_get_at_most_the_cap_locmem(submit):  # type: ignore[no-untyped-def]
    app = submit()
    results = _parallel_guesses(app)
    checked = results.count("phone_mismatch")
    assert checked <= ratelimit.UNLOCK_PER_APPLICATION.limit, results
    assert checked == ratelimit.UNLOCK_PER_APPLICATION.limit  # and the cap is not under-counted either


def test_parallel_takes_count_exactly_locmem():  # type: ignore[no-untyped-def]
    limit = ratelimit.Limit("test-parallel", 7, 60, "")
    start = threading.Barrier(40)

    def one(_: int) -> bool:
        start.wait()
        return ratelimit.take(limit, "k")

    with ThreadPoolExecutor(max_workers=40) as pool:
        assert sum(pool.map(one, range(40))) == 7
    assert ratelimit.used(limit, "k") == 40


# --- the real Redis ---------------------------------------------------------------------------

REDIS_TEST_URL = os.environ.get("RATELIMIT_REDIS_URL", "redis://127.0.0.1:6379/6")


@pytest.fixture
def real_redis(settings):  # type: ignore[no-untyped-def]
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            pass
    except OSError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379 (CI must start it)")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"uji-{uuid.uuid4().hex[:8]}"  # our own keys only: nothing else in the database is touched
    settings.CACHES = {"default": {"BACKEND": "satupintu.core.cache.ResilientRedisCache",
                                   "LOCATION": REDIS_TEST_URL, "KEY_PREFIX": prefix}}
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    caches["default"].close()


@pytest.mark.redis
def test_parallel_guesses_get_at_most_the_cap_redis(submit, real_redis):  # type: ignore[no-untyped-def]
    app = submit()
    results = _parallel_guesses(app)
    assert results.count("phone_mismatch") == ratelimit.UNLOCK_PER_APPLICATION.limit, results
    keys = list(real_redis.scan_iter(f"{caches['default'].key_prefix}:*rl:unlock-app:*"))
    assert len(keys) == 1
    ttl = real_redis.ttl(keys[0])
    assert 0 < ttl <= ratelimit.UNLOCK_PER_APPLICATION.window  # never a counter without its expiry
    assert int(real_redis.get(keys[0])) == ratelimit.UNLOCK_PER_APPLICATION.limit  # over-cap guesses given back


@pytest.mark.redis
def test_parallel_takes_count_exactly_redis(real_redis):  # type: ignore[no-untyped-def]
    limit = ratelimit.Limit("test-parallel", 7, 60, "")
    start = threading.Barrier(40)

    def one(_: int) -> bool:
        start.wait()
        return ratelimit.take(limit, "k")

    with ThreadPoolExecutor(max_workers=40) as pool:
        assert sum(pool.map(one, range(40))) == 7
    assert ratelimit.used(limit, "k") == 40
    ratelimit.refund(limit, "k")
    assert ratelimit.used(limit, "k") == 39


# --- applications and sign-ups -----------------------------------------------------------------

def test_applications_are_limited_per_email_address(submit):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from satupintu.services.applications import DUPLICATE_WINDOW, application_submit

    later = [timezone.now() + DUPLICATE_WINDOW * 2 * i for i in range(ratelimit.APPLICATIONS_PER_EMAIL.limit + 1)]
    for i in range(ratelimit.APPLICATIONS_PER_EMAIL.limit):  # not duplicates of each other: far apart
        submit(now=later[i], email="korban@contoh.id", client=f"198.51.100.{i}")
    with pytest.raises(DomainError) as exc:
        application_submit(valid_submission(email="Korban@Contoh.id", client="198.51.100.99"), now=later[-1])
    assert exc.value.code == "too_many_applications" and exc.value.status == 429


def test_applications_are_limited_per_phone_number(submit):  # type: ignore[no-untyped-def]
    """Each application texts or messages its phone: a stranger filing for a victim's number from
    many addresses and e-mail addresses is stopped at the number."""
    from django.utils import timezone

    from satupintu.services.applications import DUPLICATE_WINDOW, application_submit

    later = [timezone.now() + DUPLICATE_WINDOW * 2 * i for i in range(ratelimit.APPLICATIONS_PER_PHONE.limit + 1)]
    for i in range(ratelimit.APPLICATIONS_PER_PHONE.limit):
        submit(now=later[i], email=f"orang{i}@contoh.id", client=f"198.51.100.{i}")
    with pytest.raises(DomainError) as exc:
        application_submit(valid_submission(email="lagi@contoh.id", client="198.51.100.99"), now=later[-1])
    assert exc.value.code == "too_many_applications" and exc.value.status == 429 and "nomor ponsel" in exc.value.message


def test_refused_posts_count_too_before_their_files_are_read(db):
    """A refused application or complaint (a field wrong) had its files checked, up to 30 MB of PDFs
    read, and counted nowhere: posts are counted per client whatever their outcome."""
    from tests.conftest import SERVICE
    from tests.feedback.test_reports_public import _form as report_form

    c = Client(REMOTE_ADDR="198.51.100.60")
    sub = valid_submission()
    wrong = {"service": SERVICE, "office": "73.22", "name": sub.name, "nik": "123", "phone": sub.phone,
             "email": "lain@contoh.id", **sub.fields, **sub.files}
    assert c.post("/api/v1/applications", wrong).status_code == 400
    assert ratelimit.used(ratelimit.APPLICATION_POSTS_PER_CLIENT, "198.51.100.60") == 1
    for _ in range(ratelimit.APPLICATION_POSTS_PER_CLIENT.limit - 1):
        ratelimit.take(ratelimit.APPLICATION_POSTS_PER_CLIENT, "198.51.100.60")
    refused = c.post("/api/v1/applications", {**wrong, **valid_submission().files})
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_applications"
    assert c.post("/api/v1/reports", report_form(title="")).status_code == 400
    assert ratelimit.used(ratelimit.REPORT_POSTS_PER_CLIENT, "198.51.100.60") == 1


def test_applications_are_limited_per_client_on_the_web_and_the_api(submit):  # type: ignore[no-untyped-def]
    for _ in range(ratelimit.APPLICATIONS_PER_CLIENT.limit):
        ratelimit.take(ratelimit.APPLICATIONS_PER_CLIENT, "198.51.100.50")
    from tests.conftest import SERVICE

    c = Client(REMOTE_ADDR="198.51.100.50")
    sub = valid_submission()
    body = {"service": SERVICE, "office": "73.22", "name": sub.name, "nik": sub.nik, "phone": sub.phone,
            "email": "lain@contoh.id", **sub.fields, **sub.files}
    refused = c.post("/api/v1/applications", body)
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_applications"
    web_body = {**{k: v for k, v in body.items() if k != "service"}, **valid_submission().files}
    page = c.post(f"/layanan/{SERVICE}/ajukan/?office=73.22", web_body)
    assert page.status_code == 429 and "Terlalu banyak permohonan" in page.content.decode()
    # Another citizen is not affected.
    other = Client(REMOTE_ADDR="198.51.100.51")
    sub = valid_submission()
    ok = other.post("/api/v1/applications", {**body, **sub.files})
    assert ok.status_code == 201, ok.content


def test_signups_are_limited_per_client(settings):  # type: ignore[no-untyped-def]
    c = Client(REMOTE_ADDR="198.51.100.60")
    for i in range(settings.ACCOUNT_MAIL_LIMIT_PER_HOUR):  # probing which e-mails are taken: every try counts
        assert c.post("/daftar/", {"username": f"u{i}", "email": "bad"}).status_code == 400
    new_account = {"first_name": "Warga Baru", "email": "baru@contoh.id", "password1": "sandi-panjang-sekali-42",
                   "password2": "sandi-panjang-sekali-42"}
    refused = c.post("/daftar/", new_account)
    assert refused.status_code == 429 and "Terlalu banyak pendaftaran" in refused.content.decode()
    ok = Client(REMOTE_ADDR="198.51.100.61").post("/daftar/", new_account)
    assert ok.status_code == 200 and "baru@contoh.id" in ok.content.decode()  # "check your e-mail"


def test_limits_still_hold_per_process_while_redis_is_away(settings):  # type: ignore[no-untyped-def]
    with socket.socket() as s:  # a port where no Redis answers
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": "satupintu.core.cache.ResilientRedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    limit = ratelimit.Limit("test-down", 3, 60, "")
    assert [ratelimit.take(limit, "k") for _ in range(5)] == [True, True, True, False, False]
    assert ratelimit.used(limit, "k") == 5
    caches["default"].close()


def test_one_person_varying_what_they_can_counts_as_one():  # type: ignore[no-untyped-def]
    """A phone on a mobile network has a whole IPv6 /64 to pick addresses from, and every
    "+tag" (or, at Gmail, every placement of dots) of an address reaches the same inbox."""
    limit = ratelimit.Limit(f"uji-{uuid.uuid4().hex[:8]}", 2, 3600, "Terlalu sering.")
    for spellings in (["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::9"],
                      ["korban@contoh.id", "korban+1@contoh.id", "KORBAN+lagi@Contoh.ID"],
                      ["k.o.r.b.a.n@gmail.com", "korban@googlemail.com", "korban+x@gmail.com"]):
        ratelimit.charge((limit, (spellings[0],)))
        ratelimit.charge((limit, (spellings[1],)))
        with pytest.raises(DomainError):
            ratelimit.charge((limit, (spellings[2],)))
    # Other people are other people: the next /64, another mailbox, an IPv4 address.
    for other in ("2001:db8:1:3::1", "korban2@contoh.id", "198.51.100.7", "::ffff:198.51.100.8"):
        ratelimit.charge((limit, (other,)))


def test_filling_the_shared_cache_does_not_reset_the_counters(settings, client):
    """The counters live in a cache of their own: when the shared cache was full (a page cached per
    random search), evicting its oldest entries took an exhausted unlock counter with them."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared-small",
                    "OPTIONS": {"MAX_ENTRIES": 60}},
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "counters-own"},
    }
    limit = ratelimit.UNLOCK_PER_APPLICATION
    for _ in range(limit.limit):
        ratelimit.take(limit, "K7Q2M-XR4TB")
    assert ratelimit.exhausted(limit, "K7Q2M-XR4TB")
    for i in range(400):  # what a full page cache does to its oldest entries
        caches["default"].set(f"page:{i}", "x")
    assert ratelimit.exhausted(limit, "K7Q2M-XR4TB")


def test_a_typed_search_is_not_kept_in_the_cache(settings, client, db):
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "search-pages"}}
    assert client.get("/layanan/").status_code == 200
    kept = len(caches["default"]._cache)  # type: ignore[attr-defined]
    for i in range(5):
        assert client.get(f"/layanan/?q=acak{i}&unit=tak-ada-{i}").status_code == 200
        assert client.get(f"/layanan/?unit=tak-ada-{i}").status_code == 200
    assert len(caches["default"]._cache) == kept  # type: ignore[attr-defined]
