"""The embedded default's Celery broker: kombu's file-system transport, with each message written
under a name the worker skips and then renamed into place.

kombu's own ``_put`` creates ``<time>_<uuid>.<queue>.msg`` and only then writes into it; a worker
polling ten times a second (settings: ``polling_interval``) can move and read the file while it is
still empty, fail to decode it, delete it and exit: the task is lost (celery/kombu#1551; seen here
about every fifteen minutes under the demo's load). A rename within one folder is atomic, so the
worker sees either no file or the whole message. Production uses Redis (CELERY_BROKER_URL).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue: Any, payload: Any, **kwargs: Any) -> Any:  # type: ignore[override]  # kombu passes **kwargs
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # Starts with a dot and ends in ".part": the reader takes only "<...>.<queue>.msg".
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            try:
                os.remove(partial)
            except OSError:
                pass
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def register() -> None:
    """Make ``filesystem://`` mean this transport, wherever a connection is made from a URL (the
    worker, the web process, the health and metrics checks), and leave every other scheme alone
    (an explicit ``broker_transport`` would have overridden a redis:// URL too)."""
    from kombu.transport import TRANSPORT_ALIASES

    TRANSPORT_ALIASES["filesystem"] = f"{__name__}:Transport"


def filesystem_options(folder: Path) -> dict[str, Any]:
    """Transport options of the file-system broker in ``folder`` (its folders made here)."""
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        # The worker takes at most 2 messages (2 threads, prefetch 1) and, while both are taken,
        # waits a polling interval before asking again: at kombu's 1 s that is 2 tasks a second,
        # so a citizen's e-mail queued behind the demo's 180 waited 90 s. Listing a small folder
        # ten times a second costs an idle laptop nothing.
        "polling_interval": 0.1,
    }
