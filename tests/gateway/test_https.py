"""`serve` speaks HTTPS itself when given a certificate, and sends HSTS (issue: security, 8)."""

from __future__ import annotations

import http.client
import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gateway.https import HSTS
from gateway.smtp.tls import self_signed
from tests.conftest import free_port

ROOT = Path(__file__).parent.parent.parent


def get(port: int, path: str, context: ssl.SSLContext) -> http.client.HTTPResponse:
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def wait_for_https(port: int, context: ssl.SSLContext, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            get(port, "/healthz", context)
            return
        except (ConnectionRefusedError, ConnectionResetError):
            time.sleep(0.1)
    raise AssertionError("the site did not answer over https in time")


def test_serve_answers_https_with_the_configured_certificate_and_sends_hsts(
    tmp_path: Path,
) -> None:
    cert, key = self_signed(tmp_path, "127.0.0.1")  # the test's client trusts it alone
    http_port = free_port()
    env = {
        **os.environ,
        "POR_SERVER_HTTP_PORT": str(http_port),
        "POR_SERVER_SMTP_PORT": str(free_port()),
        "POR_SERVER_TLS_CERT_FILE": str(cert),
        "POR_SERVER_TLS_KEY_FILE": str(key),
        "POR_DATABASE_LOAD_DEMO_DATA": "false",
        "POR_OUTBOUND_SPOOL_DIR": str(tmp_path / "spool"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", "--config", str(ROOT / "config.toml"), "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    trusting = ssl.create_default_context(cafile=str(cert))
    try:
        wait_for_https(http_port, trusting, process)
        login = get(http_port, "/login", trusting)
        assert login.status == 200
        assert login.getheader("Strict-Transport-Security") == HSTS
        # A client that does not trust this certificate is refused: it really is this TLS.
        with pytest.raises(ssl.SSLCertVerificationError):
            get(http_port, "/login", ssl.create_default_context())
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert f"web site on https://127.0.0.1:{http_port}" in output


def test_serve_names_a_certificate_it_cannot_load(tmp_path: Path) -> None:
    env = {**os.environ, "POR_SERVER_TLS_CERT_FILE": str(tmp_path / "missing.crt")}
    done = subprocess.run(
        [sys.executable, "-m", "gateway", "--config", str(ROOT / "config.toml"), "serve"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "server.tls_cert_file: cannot load" in done.stderr
    assert "Traceback" not in done.stderr
