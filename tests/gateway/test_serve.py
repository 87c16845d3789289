"""`por-gateway serve` starts the whole gateway on the embedded default and stops on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import smtplib
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).parent.parent.parent


def wait_for_health(url: str, process: subprocess.Popen[str], seconds: float) -> dict[str, str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                body: dict[str, str] = json.load(response)
                return body
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the health page did not answer in time")


def test_serve_answers_health_and_smtp_prints_demo_accounts_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    http_port, smtp_port = free_port(), free_port()
    env = {
        **os.environ,
        "POR_SERVER_HTTP_PORT": str(http_port),
        "POR_SERVER_SMTP_PORT": str(smtp_port),
        "POR_OUTBOUND_SPOOL_DIR": str(tmp_path / "spool"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", "--config", str(ROOT / "config.toml"), "serve"],
        cwd=tmp_path,  # the default database path is relative: data/registry.sqlite3
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = wait_for_health(f"http://127.0.0.1:{http_port}/healthz", process, 30)
        assert health["database"] == "ok"
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=5) as smtp:
            assert smtp.ehlo()[0] == 250
        assert (tmp_path / "data" / "registry.sqlite3").exists()
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert "demo officer account: officer / " in output
    assert "demo staff account: staff / " in output
    assert "Traceback" not in output
