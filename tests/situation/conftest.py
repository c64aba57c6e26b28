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
