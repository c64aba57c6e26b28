from dataclasses import dataclass

import pytest


@pytest.fixture(autouse=True)
def _fresh_duplicate_finder():
    """The ingestion duplicate finder lives per process; the test database does not."""
    from satupintu.situation.store import shared_analyzer

    shared_analyzer.reset()
    yield
    shared_analyzer.reset()


@pytest.fixture(autouse=True)
def _fake_sites_let_through(settings, monkeypatch):
    """The outbound guard refuses loopback, as it must. Each fake site on 127.0.0.1 is let
    through by its own port, the way OUTBOUND_ALLOWED_NETWORKS lets a test receiver through in
    production; nothing else on this machine is."""
    from tests.situation.fakeserver import FakeSite

    settings.OUTBOUND_ALLOWED_NETWORKS = ""
    enter = FakeSite.__enter__

    def enter_and_allow(site):  # type: ignore[no-untyped-def]
        entered = enter(site)
        port = site.url("/").rsplit(":", 1)[1].split("/")[0]
        settings.OUTBOUND_ALLOWED_NETWORKS = ",".join(
            x for x in (settings.OUTBOUND_ALLOWED_NETWORKS, f"127.0.0.1/32:{port}") if x)
        return entered

    monkeypatch.setattr(FakeSite, "__enter__", enter_and_allow)


@dataclass
class RoomPeople:
    """Personas for the Situation Room's region rules, next to tests/conftest.py's `people`
    (Sulawesi Selatan): the planted spike is in Kabupaten Bogor, Jawa Barat."""

    pusat_head: object
    pusat_admin: object
    kakanwil_jabar: object
    admin_kanwil_jabar: object
    kakan_bogor: object
    pendma_bogor: object
    fo_bogor: object
    complaints_bogor: object
    admin_lutra: object


@pytest.fixture
def room_people(db) -> RoomPeople:  # type: ignore[no-untyped-def]
    from satupintu.organization.models import Role
    from tests.conftest import _staff

    return RoomPeople(
        pusat_head=_staff("kepala.pusat", "pusat", Role.HEAD_OF_OFFICE),
        pusat_admin=_staff("admin.pusat", "pusat", Role.ADMIN),
        kakanwil_jabar=_staff("kakanwil.jabar", "32", Role.HEAD_OF_OFFICE),
        admin_kanwil_jabar=_staff("admin.jabar", "32", Role.ADMIN),
        kakan_bogor=_staff("kakan.bogor", "32.01", Role.HEAD_OF_OFFICE),
        pendma_bogor=_staff("pendma.bogor", "32.01", Role.UNIT_OFFICER, "pendma"),
        fo_bogor=_staff("fo.bogor", "32.01", Role.FRONT_OFFICE),
        complaints_bogor=_staff("pengaduan.bogor", "32.01", Role.COMPLAINT_OFFICER),
        admin_lutra=_staff("admin.lutra", "73.22", Role.ADMIN),
    )


@pytest.fixture
def stand_in_dns(monkeypatch):  # type: ignore[no-untyped-def]
    """A resolver for the made-up names a test saves as source URLs ({name: address}); other
    names go to the real resolver. Tests never reach the internet's DNS."""
    import socket

    real = socket.getaddrinfo
    names: dict[str, str] = {}

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host in names:
            family = socket.AF_INET6 if ":" in names[host] else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (names[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names.update
