"""The spool transport: each message becomes a file, written atomically, once per key."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from pathlib import Path
from typing import Any


class Spool:
    """Write `<root>/<adapter>/<yyyymmdd>/<key>.<ext>` with a `.json` sidecar."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def write(
        self, adapter: str, day: str, key: str, ext: str, body: bytes, about: dict[str, Any]
    ) -> Path:
        """Write the message and its sidecar; a second write of the same key changes nothing."""
        return await asyncio.to_thread(self._write, adapter, day, key, ext, body, about)

    def _write(
        self, adapter: str, day: str, key: str, ext: str, body: bytes, about: dict[str, Any]
    ) -> Path:
        folder = self.root / adapter / day
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{key}.{ext}"
        if target.exists():
            return target  # the receiver already has it: drop the duplicate
        sidecar = json.dumps(about | {"key": key}, indent=2, sort_keys=True).encode()
        # The sidecar first, the message last: a reader that sees the message sees both.
        _replace_atomically(folder / f"{key}.json", sidecar)
        _replace_atomically(target, body)
        return target


def _replace_atomically(target: Path, body: bytes) -> None:
    # Temp file in the same folder + rename: readers never see half a message (POSIX rename).
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
