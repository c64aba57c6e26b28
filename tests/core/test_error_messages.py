"""Domain error messages reach people in their language: every message the domain code can raise
has its English, and pages, forms and the API read it in the language of the request."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from satupintu.core.errors import DomainError

PACKAGE = Path(__file__).resolve().parents[2] / "satupintu"
RAISED = {"DomainError", "NotFound", "Conflict", "Forbidden"}
WRAPPERS = {"_", "gettext", "gettext_lazy"}


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") in WRAPPERS and node.args:
        node = node.args[0]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _messages() -> tuple[dict[str, str], list[str]]:
    """Every message written in the code (with where), and the ones built from pieces."""
    found: dict[str, str] = {}
    built: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("_MESSAGE")
                                                    for t in node.targets):
                if (text := _literal(node.value)) is not None:
                    found.setdefault(text, where)
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "Limit" and len(node.args) >= 4:  # core/ratelimit.py: what a 429 says
                if (text := _literal(node.args[3])) is not None:
                    found.setdefault(text, where)
            if name in RAISED and len(node.args) >= 2:
                message = node.args[1]
                if (text := _literal(message)) is not None:
                    found.setdefault(text, where)
                elif isinstance(message, (ast.JoinedStr, ast.BinOp)):
                    built.append(where)
    return found, built


def test_every_domain_message_has_its_english():
    found, _ = _messages()
    assert len(found) > 100  # the scan sees the code (a broken scan must not pass quietly)
    with translation.override("en"):
        untranslated = [f"{where}: {text}" for text, where in found.items() if translation.gettext(text) == text]
    assert untranslated == [], "add these to satupintu/locale/en/LC_MESSAGES/django.po:\n" + "\n".join(untranslated)


def test_no_message_is_built_from_pieces():
    """An f-string or a joined message has no msgid: values go in ``params`` instead."""
    _, built = _messages()
    assert built == [], "write the message with %(name)s and pass params=...:\n" + "\n".join(built)


def test_values_go_in_params_so_the_message_stays_translatable():
    error = DomainError("file_too_large", "Berkas '%(label)s' terlalu besar (%(size).1f MB); maksimal %(limit).0f MB.",
                        params={"label": "KTP", "size": 12.34, "limit": 10})
    with translation.override("id"):
        assert error.message == "Berkas 'KTP' terlalu besar (12.3 MB); maksimal 10 MB." == str(error)
    with translation.override("en"):
        assert error.message == "The file 'KTP' is too large (12.3 MB); the maximum is 10 MB."


@pytest.mark.django_db
def test_the_api_answers_domain_errors_in_english_when_asked(client):
    english = client.get("/api/v1/services/tidak-ada", headers={"Accept-Language": "en"})
    assert english.status_code == 404
    assert english.json() == {"code": "unknown_service", "message": "The service 'tidak-ada' was not found.",
                              "field": "service"}
    indonesian = client.get("/api/v1/services/tidak-ada")
    assert indonesian.json()["message"] == "Layanan 'tidak-ada' tidak ditemukan."


@pytest.mark.django_db
def test_a_page_shows_domain_errors_in_the_chosen_language(client):
    client.cookies["django_language"] = "en"
    page = client.get("/lacak/", {"kode": "ABC"})
    assert page.status_code in (200, 400)
    assert "A tracking code has 10 letters and digits" in page.content.decode()
