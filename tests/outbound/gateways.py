"""Start real `por-gateway serve` processes for the outbound tests, and wait on them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).parent.parent.parent
METRICS_TOKEN = "the outbound tests' metrics token, long enough"


def start_serve(
    workdir: Path, database_url: str, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], int]:
    """Start a `serve` process on the database with `env` added; return it and its HTTP port."""
    http_port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "POR_DATABASE_URL": database_url,
        "POR_DATABASE_LOAD_DEMO_DATA": "false",
        "POR_SERVER_HTTP_PORT": str(http_port),
        "POR_SERVER_SMTP_PORT": str(free_port()),
        "POR_OUTBOUND_SPOOL_DIR": str(workdir / "spool"),
        **env,
    }
    with (workdir / "gateway.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gateway", "--config", str(ROOT / "config.toml"), "serve"],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return process, http_port


def start_gateway(
    workdir: Path, database_url: str, switch_port: int, **settings: str
) -> tuple[subprocess.Popen[bytes], int]:
    """Start `serve` with switch messages going to the simulator; return it and its HTTP port."""
    env = {
        "POR_OUTBOUND_COLLECT_TRANSPORT": "tcp",
        "POR_OUTBOUND_NCIC_TRANSPORT": "tcp",
        "POR_OUTBOUND_COLLECT_ADDRESS": f"127.0.0.1:{switch_port}",
        "POR_OUTBOUND_NCIC_ADDRESS": f"127.0.0.1:{switch_port}",
        "POR_OUTBOUND_POLL_INTERVAL_SECONDS": "0.1",
        "POR_SECURITY_METRICS_TOKEN": METRICS_TOKEN,
    }
    env.update({f"POR_OUTBOUND_{key.upper()}": value for key, value in settings.items()})
    return start_serve(workdir, database_url, env)


async def wait_until_healthy(process: subprocess.Popen[bytes], port: int, workdir: Path) -> None:
    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return True
        except OSError:
            return False

    deadline = time.monotonic() + 30
    while not await asyncio.to_thread(healthy):
        log = (workdir / "gateway.log").read_text(errors="replace")
        assert process.poll() is None, log
        assert time.monotonic() < deadline, f"gateway did not start:\n{log}"
        await asyncio.sleep(0.1)


async def eventually(check: Callable[[], object], seconds: float = 30) -> None:
    """Wait until `check()` is true (awaiting it when it is a coroutine)."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a gateway started here, politely first."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
