"""The load test's people (run by bench/load.sh; see bench/README.md, "Load test").

Citizens browse the catalog and offices, apply with uploads (public API and web form), track
their applications (page and API, with the last four phone digits), and officers work their
queues (front office verifies; unit officers process, upload the product and complete; heads
of unit watch the queue). Every response is checked: its status and a marker in its body,
so an error page counts as a failure.

Needs LOAD_FIXTURE: the JSON written by `bench/load_fixture.py create` (accounts, services,
existing tracking codes). Only ever aimed at 127.0.0.1.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import uuid
from urllib.parse import urlparse

from locust import FastHttpUser, between, constant, events, task

FIXTURE = json.loads(open(os.environ["LOAD_FIXTURE"], encoding="utf-8").read())
SERVICES = FIXTURE["services"]
OFFICES = FIXTURE["offices"]
EMAIL_DOMAIN = FIXTURE["email_domain"]
# Codes citizens track: the fixture's, and those made during the run (code, last4).
KNOWN = [(a["code"], a["last4"]) for a in FIXTURE["applications"]]
MADE: list[tuple[str, str]] = []
# Officer accounts that act are used by one simulated officer at a time (two people do not
# share a login); heads of unit only read, so they may be shared.
FREE_ACCOUNTS = {role: [a for a in FIXTURE["accounts"] if a["role"] == role]
                 for role in ("front_office", "unit_officer", "head_of_unit")}
for pool in FREE_ACCOUNTS.values():
    random.shuffle(pool)
READERS = list(FREE_ACCOUNTS["head_of_unit"])
# What citizens type, typos included, and the service that must come first or at least appear.
SEARCHES = [("legalisr ijasah", "legalisir-ijazah-madrasah"), ("duplikat ijazah", "duplikat-ijazah-madrasah"),
            ("arah kiblat", "pengukuran-arah-kiblat"), ("izin peneltian", "izin-penelitian"),
            ("id masjid", "pendaftaran-id-masjid"), ("konsultasi nikah", "konsultasi-perkawinan"),
            ("sertifikat muallaf", "sertifikat-muallaf"), ("rekomendasi pembangunan masjid", "rekomendasi-pembangunan-masjid")]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUEUE_CODE = re.compile(r'href="/petugas/permohonan/([A-Z0-9]{5}-[A-Z0-9]{5})/"')
ERROR_TEXT = re.compile(r'class="error"[^>]*>([^<]+)')
DOC_LINK = re.compile(r'href="(/petugas/permohonan/[A-Z0-9-]+/berkas/\d+/)"')


def _pdf(title: str) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=1)
    pdf.drawString(72, 760, title)
    pdf.drawString(72, 740, "Berkas uji beban Satu Pintu.")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


PDFS = [_pdf(f"Persyaratan {i}") for i in range(8)]
PRODUCT_PDF = _pdf("Produk layanan (uji beban)")


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


_niks: set[str] = set()


def new_person(office_code: str) -> dict[str, str]:
    """A new applicant: unique NIK of the office's region (district 20-99; the fixture uses 01)."""
    province, regency = office_code[:2], (office_code[3:5] or "01")
    while True:
        day = random.randint(1, 28) + random.choice((0, 40))
        nik = (f"{province}{regency}{random.randint(20, 99)}{day:02d}{random.randint(1, 12):02d}"
               f"{random.randint(60, 99):02d}{random.randint(1, 9999):04d}")
        if nik not in _niks:
            _niks.add(nik)
            break
    phone = f"0813{random.randrange(10**8):08d}"
    n = uuid.uuid4().hex[:10]
    return {"name": f"Warga Uji {n}", "nik": nik, "phone": phone, "email": f"warga.{n}@{EMAIL_DOMAIN}"}


# LOAD_TOUR=1 (the short run of tests/test_load_bench.py): each simulated person first does
# every one of its tasks once, in the order of its `tour`, and only then the weighted random
# mix. Locust picks tasks at random by weight, so in a few seconds a person would otherwise
# miss some of its work by chance; the tour makes the short run cover every request kind.
TOUR = os.environ.get("LOAD_TOUR") == "1"


def field_value(f: dict) -> str:
    # numbers: 2020 where the field's range (min/max from the API) allows it, else the nearest bound
    number = min(max(2020, f.get("min") if f.get("min") is not None else 2020), f.get("max") or 2020)
    return {"number": str(number), "date": "2024-07-01", "choice": (f.get("choices") or [""])[0],
            "textarea": "Mohon diproses. Terima kasih."}.get(f["type"], "Isian warga")


_forms: dict[tuple[str, str], dict] = {}


def expect(r, status: int, *markers: str) -> bool:  # type: ignore[no-untyped-def]
    """Mark the response failed unless it has this status and every marker; True if fine."""
    if r.status_code != status:
        r.failure(f"status {r.status_code}, expected {status}: {(r.text or '')[:160]!r}")
        return False
    body = r.text or ""
    for m in markers:
        if m not in body:
            r.failure(f"marker {m!r} missing")
            return False
    r.success()
    return True


def redirect_path(r) -> str:  # type: ignore[no-untyped-def]
    return urlparse(r.headers.get("Location") or r.headers.get("location") or "").path


class Citizen(FastHttpUser):
    abstract = True
    wait_time = between(1, 4)
    tour: tuple = ()  # this person's tasks in a fixed order, for LOAD_TOUR=1

    def on_start(self) -> None:
        if TOUR:
            for step in self.tour:
                step(self)

    def __init__(self, environment) -> None:  # type: ignore[no-untyped-def]
        # Each simulated citizen has an address of their own behind the proxy (load.sh trusts
        # loopback as the proxy), as in production: rate limits are per citizen, not per run.
        self.default_headers = {"X-Forwarded-For": f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"}
        super().__init__(environment)

    def track_code(self) -> tuple[str, str]:
        if MADE and random.random() < 0.4:
            return random.choice(MADE)
        return random.choice(KNOWN)

    def form(self, slug: str, office: str) -> dict:
        """What the mobile app reads to build the form (cached: the form does not change)."""
        key = (slug, office)
        if key not in _forms:
            with self.client.get(f"/api/v1/services/{slug}?office={office}", name="/api/v1/services/[slug]?office",
                                 catch_response=True) as r:
                if not expect(r, 200, slug):
                    return {}
                body = r.json()
                if body.get("slug") != slug or "requirements" not in body:
                    r.failure("not the service asked for")
                    return {}
                _forms[key] = body
        return _forms[key]

    def pick_service(self) -> tuple[dict, str, dict] | None:
        """A service and an office to apply at, with the service's form; None if it did not load."""
        s = random.choice(SERVICES)
        office = random.choice(OFFICES)["code"]
        form = self.form(s["slug"], office)
        return (s, office, form) if form else None


class Browser(Citizen):
    """Someone finding a service and an office: home, catalog, typo search, a service, an office."""

    weight = 38

    @task(2)
    def home(self) -> None:
        with self.client.get("/", catch_response=True) as r:
            expect(r, 200, "Satu Pintu", 'href="/layanan/')

    @task(3)
    def catalog(self) -> None:
        with self.client.get("/layanan/", catch_response=True) as r:
            expect(r, 200, "Katalog layanan", 'href="/layanan/legalisir-ijazah-madrasah/"')

    @task(4)
    def search(self) -> None:
        q, slug = random.choice(SEARCHES)
        with self.client.get(f"/layanan/?q={q.replace(' ', '+')}", name="/layanan/?q=[typo]", catch_response=True) as r:
            expect(r, 200, f'href="/layanan/{slug}/"')

    @task(1)
    def unit_filter(self) -> None:
        with self.client.get("/layanan/?unit=pendma&office=73.22", name="/layanan/?unit&office",
                             catch_response=True) as r:
            expect(r, 200, 'href="/layanan/legalisir-ijazah-madrasah/?office=73.22"')

    @task(4)
    def service(self) -> None:
        s = random.choice(SERVICES)
        suffix = f"?office={random.choice(OFFICES)['code']}" if random.random() < 0.5 else ""
        with self.client.get(f"/layanan/{s['slug']}/{suffix}", name="/layanan/[slug]/", catch_response=True) as r:
            expect(r, 200, s["name"])

    @task(2)
    def office(self) -> None:
        o = random.choice(OFFICES[:3] + [{"code": "73.22", "name": "Luwu Utara"}])
        with self.client.get(f"/kantor/{o['code']}/", name="/kantor/[code]/", catch_response=True) as r:
            expect(r, 200, o["name"])

    @task(1)
    def office_tree(self) -> None:
        with self.client.get("/kantor/?provinsi=73", name="/kantor/?provinsi", catch_response=True) as r:
            expect(r, 200, 'href="/kantor/73.22/"')

    tour = (home, catalog, search, unit_filter, service, office, office_tree)


class Tracker(Citizen):
    """Someone following an application: the page, the API, details with the phone digits."""

    weight = 28

    def __init__(self, environment) -> None:  # type: ignore[no-untyped-def]
        super().__init__(environment)
        self.unlocked: set[str] = set()  # codes this person has unlocked (the session remembers them)

    @task(4)
    def page(self) -> None:
        code, _ = self.track_code()
        with self.client.get(f"/lacak/{code}/", name="/lacak/[code]/", catch_response=True) as r:
            expect(r, 200, code)

    @task(4)
    def api(self) -> None:
        code, _ = self.track_code()
        with self.client.get(f"/api/v1/applications/{code}", name="/api/v1/applications/[code]",
                             catch_response=True) as r:
            if expect(r, 200, code) and r.json().get("tracking_code") != code:
                r.failure("another application")

    @task(1)
    def api_details(self) -> None:
        code, last4 = self.track_code()
        with self.client.get(f"/api/v1/applications/{code}?phone_last4={last4}",
                             name="/api/v1/applications/[code]?phone_last4", catch_response=True) as r:
            if expect(r, 200, code) and "details" not in r.json():
                r.failure("no details")

    def code_to_unlock(self) -> tuple[str, str]:
        """A code this person has not unlocked yet. Once unlocked, the page no longer asks for the
        digits (a POST just shows it again, 200): with few applications made during a short run,
        drawing the same one twice was likely, and counted as a failure by chance."""
        made = [c for c in MADE if c[0] not in self.unlocked]
        known = [c for c in KNOWN if c[0] not in self.unlocked] or KNOWN
        return random.choice(made) if made and random.random() < 0.4 else random.choice(known)

    @task(1)
    def unlock(self) -> None:
        code, last4 = self.code_to_unlock()
        with self.client.get(f"/lacak/{code}/", name="/lacak/[code]/", catch_response=True) as r:
            if not expect(r, 200, code):
                return
            token = CSRF.search(r.text)
        with self.client.post(f"/lacak/{code}/", data={"csrfmiddlewaretoken": token.group(1), "phone_last4": last4},
                              name="POST /lacak/[code]/ (phone digits)", allow_redirects=False,
                              catch_response=True) as r:
            if not expect(r, 302) or redirect_path(r) != f"/lacak/{code}/":
                r.failure(f"not unlocked: {r.status_code} {redirect_path(r)}")
                return
        self.unlocked.add(code)
        with self.client.get(f"/lacak/{code}/", name="/lacak/[code]/ (unlocked)", catch_response=True) as r:
            expect(r, 200, code, "Berkas terkirim")

    tour = (page, api, api_details, unlock)


class ApiApplicant(Citizen):
    """The mobile app: reads the form, sends the application with one PDF per requirement,
    tracks it and fetches the receipt. Filling a form takes a while: 5-20 s between."""

    weight = 8
    wait_time = between(5, 20)

    @task
    def apply(self) -> None:
        if (picked := self.pick_service()) is None:
            return
        s, office, form = picked
        person = new_person(office)
        fields = {"service": s["slug"], "office": office, **person}
        fields.update({f["name"]: field_value(f) for f in form["fields"]})
        files = {r["name"]: (f"{r['name']}.pdf", random.choice(PDFS)) for r in form["requirements"] if r["mandatory"]}
        body, content_type = multipart(fields, files)
        headers = {"Content-Type": content_type, "Idempotency-Key": f"load-{uuid.uuid4().hex}"}
        with self.client.post("/api/v1/applications", data=body, headers=headers, name="POST /api/v1/applications",
                              catch_response=True) as r:
            if not expect(r, 201, '"tracking_code"'):
                return
            created = r.json()
        code = created["tracking_code"]
        MADE.append((code, person["phone"][-4:]))
        with self.client.get(f"/api/v1/applications/{code}", name="/api/v1/applications/[code]",
                             catch_response=True) as r:
            expect(r, 200, code, '"submitted"')
        if random.random() < 0.5:
            receipt = urlparse(created["receipt_url"])
            with self.client.get(f"{receipt.path}?{receipt.query}", name="/lacak/[code]/bukti.pdf?t",
                                 catch_response=True) as r:
                if expect(r, 200) and not r.content.startswith(b"%PDF-"):
                    r.failure("not a PDF")

    tour = (apply,)


class WebApplicant(Citizen):
    """A citizen on the website: the service page, the form, the upload, the tracking page."""

    weight = 6
    wait_time = between(5, 20)

    @task
    def apply(self) -> None:
        if (picked := self.pick_service()) is None:  # the form's field types, to fill it sensibly
            return
        s, office, form = picked
        with self.client.get(f"/layanan/{s['slug']}/?office={office}", name="/layanan/[slug]/",
                             catch_response=True) as r:
            expect(r, 200, s["name"], f"/layanan/{s['slug']}/ajukan/?office={office}")
        url = f"/layanan/{s['slug']}/ajukan/?office={office}"
        with self.client.get(url, name="/layanan/[slug]/ajukan/", catch_response=True) as r:
            if not expect(r, 200, 'name="submission_key"'):
                return
            token = CSRF.search(r.text).group(1)
            key = re.search(r'name="submission_key" value="([^"]+)"', r.text).group(1)
        person = new_person(office)
        fields = {"csrfmiddlewaretoken": token, "office": office, "submission_key": key, **person}
        fields.update({f["name"]: field_value(f) for f in form["fields"]})
        files = {r["name"]: (f"{r['name']}.pdf", random.choice(PDFS)) for r in form["requirements"] if r["mandatory"]}
        body, content_type = multipart(fields, files)
        with self.client.post(url, data=body, headers={"Content-Type": content_type}, allow_redirects=False,
                              name="POST /layanan/[slug]/ajukan/", catch_response=True) as r:
            target = redirect_path(r)
            if r.status_code != 302 or not target.startswith("/lacak/"):
                errors = ERROR_TEXT.findall(r.text or "")[:3]
                r.failure(f"status {r.status_code} -> {target!r}: {errors}")
                return
            r.success()
        code = target.split("/")[2]
        MADE.append((code, person["phone"][-4:]))
        with self.client.get(f"/lacak/{code}/?baru=1", name="/lacak/[code]/?baru", catch_response=True) as r:
            expect(r, 200, code, "Berkas terkirim")

    tour = (apply,)


class Officer(FastHttpUser):
    """An officer at work. Front office: the submitted queue, a file, verify. Unit officer:
    the verified queue and process; the in-process queue, upload the product and complete.
    Head of unit (and anyone without a free acting account): the queue with filters, files."""

    weight = 10
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.account = None
        free = [a for role in ("front_office", "unit_officer") for a in FREE_ACCOUNTS[role]]
        if free:  # a free acting account of any role, each equally likely
            self.account = random.choice(free)
            FREE_ACCOUNTS[self.account["role"]].remove(self.account)
        self.acting = self.account is not None
        self.revealed = False  # the first file a front officer opens is revealed, then one in five
        if self.account is None:
            self.account = random.choice(READERS)
        self.login()
        if TOUR:
            self.work()

    def on_stop(self) -> None:
        if self.acting and self.account:
            FREE_ACCOUNTS[self.account["role"]].append(self.account)

    def login(self) -> None:
        with self.client.get("/masuk/?next=/petugas/", name="/masuk/", catch_response=True) as r:
            if not expect(r, 200, 'name="username"'):
                return
            token = CSRF.search(r.text).group(1)
        data = {"csrfmiddlewaretoken": token, "username": self.account["username"],
                "password": self.account["password"], "next": "/petugas/"}
        with self.client.post("/masuk/", data=data, allow_redirects=False, name="POST /masuk/",
                              catch_response=True) as r:
            if r.status_code != 302 or redirect_path(r) != "/petugas/":
                r.failure(f"login refused: {r.status_code}")
            else:
                r.success()

    def queue(self, query: str, name: str) -> list[str]:
        with self.client.get(f"/petugas/?{query}", name=f"/petugas/?{name}", catch_response=True) as r:
            if not expect(r, 200, "Antrean permohonan"):
                return []
            return QUEUE_CODE.findall(r.text)

    def open(self, code: str) -> str | None:
        with self.client.get(f"/petugas/permohonan/{code}/", name="/petugas/permohonan/[code]/",
                             catch_response=True) as r:
            return r.text if expect(r, 200, code) else None

    def act(self, code: str, page: str, action: str, **extra: str) -> bool:
        if f'value="{action}"' not in page:
            return False  # not open to this officer (any more)
        token = CSRF.search(page).group(1)
        fields = {"csrfmiddlewaretoken": token, "action": action, "do": action, "note": extra.pop("note", ""), **extra}
        files = {"product": ("produk.pdf", PRODUCT_PDF)} if action == "upload_product" else {}
        body, content_type = multipart(fields, files)
        with self.client.post(f"/petugas/permohonan/{code}/aksi/", data=body, headers={"Content-Type": content_type},
                              allow_redirects=False, name=f"POST /petugas/.../aksi/ {action}",
                              catch_response=True) as r:
            if r.status_code != 302 or redirect_path(r) != f"/petugas/permohonan/{code}/":
                r.failure(f"status {r.status_code} -> {redirect_path(r)!r}")
                return False
            r.success()
        with self.client.get(f"/petugas/permohonan/{code}/", name="/petugas/permohonan/[code]/ (after action)",
                             catch_response=True) as r:
            # The action's confirmation (its wording is the page's, per action): a success message shown.
            return expect(r, 200, code, '<ul class="messages"><li class="success">')

    @task
    def work(self) -> None:
        role, unit = self.account["role"], self.account["unit"]
        if not self.acting:
            query, name = random.choice([("status=open", "status=open"), ("sla=overdue", "sla=overdue"),
                                         ("status=open&assigned=none", "status&assigned"),
                                         ("status=all&page=2", "status=all&page"),
                                         ("q=Pemohon+Uji+1", "q=[name]")])
            codes = self.queue(query, name)
            if codes:
                page = self.open(random.choice(codes))
                if page and random.random() < 0.3 and (doc := DOC_LINK.search(page)):
                    with self.client.get(doc.group(1), name="/petugas/permohonan/[code]/berkas/[id]/",
                                         catch_response=True) as r:
                        if expect(r, 200) and not r.content.startswith(b"%PDF-"):
                            r.failure("not a PDF")
            return
        if role == "front_office":
            codes = self.queue("status=submitted", "status=submitted")
            if not codes:
                return
            code = random.choice(codes[:20])
            page = self.open(code)
            if page and (not self.revealed or random.random() < 0.2):
                self.revealed = True
                token = CSRF.search(page).group(1)
                reveal = {"csrfmiddlewaretoken": token, "reveal": "1", "reason": "verify"}  # a reason is required
                with self.client.post(f"/petugas/permohonan/{code}/", data=reveal,
                                      name="POST /petugas/permohonan/[code]/ (reveal)", catch_response=True) as r:
                    expect(r, 200, code)
            if page:
                self.act(code, page, "verify")
            return
        if random.random() < 0.5:
            codes = self.queue(f"status=verified&unit={unit}", "status=verified&unit")
            if codes:
                code = random.choice(codes[:20])
                if page := self.open(code):
                    self.act(code, page, "process")
        else:
            codes = self.queue(f"status=in_process&unit={unit}", "status=in_process&unit")
            if codes:
                code = random.choice(codes[:20])
                if (page := self.open(code)) and self.act(code, page, "upload_product", note="Produk terbit."):
                    page = self.open(code)
                    if page:
                        self.act(code, page, "complete", confirm="ya")  # the confirmation checkbox


class BareUser(FastHttpUser):
    """The baseline: the cheapest view through the same server and middleware, no think time."""

    wait_time = constant(0)

    @task
    def live(self) -> None:
        with self.client.get("/health/live", catch_response=True) as r:
            expect(r, 200, '"ok"')


@events.test_start.add_listener
def _only_loopback(environment, **_kwargs) -> None:  # type: ignore[no-untyped-def]
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"bench/locustfile.py only runs against loopback, not {host!r}")


# LOAD_WEIGHTS="Browser=1,Officer=1,...": another mix (e.g. every kind once in a small test run).
for _item in filter(None, os.environ.get("LOAD_WEIGHTS", "").split(",")):
    _name, _, _weight = _item.partition("=")
    globals()[_name.strip()].weight = int(_weight)
