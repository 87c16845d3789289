"""`por-gateway switch-sim` speaks the tcp framing as the formats say, and misbehaves on request."""

from __future__ import annotations

import signal
import socket
import struct
import subprocess
import sys

import pytest

from gateway.config import ConfigError, load_config
from outbound.switch.framing import frame, request
from tests.conftest import free_port
from tests.outbound.gateways import ROOT

MESSAGE = (ROOT / "tests" / "data" / "outbound" / "collect.txt").read_text().strip()
KEY = "0b7e6a3c-2f1d-4c55-9a8e-1d2c3b4a5f60"


def exchange(port: int, payload: str) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(frame(payload))
        stream = sock.makefile("rb")
        (length,) = struct.unpack(">I", stream.read(4))
        return stream.read(length).decode("ascii")


def test_switch_sim_naks_transiently_then_acks_and_reports_repeated_keys() -> None:
    port = free_port()
    command = [sys.executable, "-m", "gateway", "switch-sim", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--nak-transient", "1"], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("switch simulator on 127.0.0.1:")
        assert exchange(port, request(KEY, MESSAGE)) == f"NAK {KEY} T01 switch busy, try again"
        assert exchange(port, request(KEY, MESSAGE)) == f"ACK {KEY} SW00000001"
        assert exchange(port, request(KEY, "SVC.TRUNCATED")).startswith(f"NAK {KEY} P01 ")
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "1 keys received, 1 more than once" in output


def test_a_switch_address_without_a_port_stops_the_gateway_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"outbound\.collect_address: expected host:port"):
        load_config(None, {"POR_OUTBOUND_COLLECT_ADDRESS": "switch.example.gov"})
