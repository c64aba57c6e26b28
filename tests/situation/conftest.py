import pytest


@pytest.fixture(autouse=True)
def _fresh_duplicate_finder():
    """The ingestion duplicate finder lives per process; the test database does not."""
    from satupintu.situation.store import shared_analyzer

    shared_analyzer.reset()
    yield
    shared_analyzer.reset()
