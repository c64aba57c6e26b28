"""What the bot says, as data: text, buttons (at most 3) or a list (at most 10 rows), and how
each becomes a Graph API message body. WhatsApp's limits are applied here (button titles 20
characters, row titles 24, descriptions 72, text 4096), so no reply is refused by Meta."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from satupintu.core.texts import clipped

TEXT_MAX = 4096


@dataclass(frozen=True)
class Option:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Reply:
    text: str
    options: tuple[Option, ...] = ()
    button: str = ""  # set: a list message opened by this button; empty: reply buttons
    extra: dict[str, Any] = field(default_factory=dict)

    def graph_body(self, to: str) -> dict[str, Any]:
        text = self.text[:TEXT_MAX]
        if not self.options:
            return {"to": to, "type": "text", "text": {"body": text, "preview_url": False}}
        if not self.button and len(self.options) <= 3:
            buttons = [{"type": "reply", "reply": {"id": o.id[:256], "title": clipped(o.title, 20)}} for o in self.options]
            return {"to": to, "type": "interactive",
                    "interactive": {"type": "button", "body": {"text": text[:1024]}, "action": {"buttons": buttons}}}
        # A title cut to WhatsApp's 24 characters is given whole as the row's description.
        rows = [{"id": o.id[:200], "title": clipped(o.title, 24),
                 **({"description": described[:72]} if (described := o.description or
                                                        (o.title if len(o.title) > 24 else "")) else {})}
                for o in self.options[:10]]
        return {"to": to, "type": "interactive", "interactive": {
            "type": "list", "body": {"text": text[:4096]},
            "action": {"button": (self.button or "Pilih")[:20], "sections": [{"title": (self.button or "Pilih")[:24],
                                                                              "rows": rows}]}}}

    def plain(self) -> str:
        """How it reads in the officer's timeline."""
        if not self.options:
            return self.text
        return self.text + "\n" + "\n".join(f"[{o.title}]" for o in self.options)


def template_body(to: str, *, name: str, language: str, parameters: list[str]) -> dict[str, Any]:
    # Meta refuses a template parameter with a line break, a tab or more than four spaces in a row.
    components = [{"type": "body", "parameters": [{"type": "text", "text": " ".join(p.split())[:1024]}
                                                  for p in parameters]}]
    return {"to": to, "type": "template",
            "template": {"name": name, "language": {"code": language}, "components": components}}
