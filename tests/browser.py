"""Debian's Chromium for the tests that look at pages as people do (fixture `browser`)."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_INSTALLED = os.path.exists(CHROMIUM)
# No browser download here: Playwright drives Debian's Chromium, kept off the network.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
OUTPUT = Path(__file__).resolve().parents[1] / "test-output"
