"""The command line: every command is listed and has its own help."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.cli import build_parser, main

COMMANDS = [
    ["serve"],
    ["db", "upgrade"],
    ["daybook", "import"],
    ["audit", "verify"],
    ["parse-email"],
    ["inbound", "list"],
    ["report", "hearing-day"],
    ["report", "annual"],
]


def test_the_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for command in ("serve", "db", "daybook", "audit", "parse-email", "inbound", "report"):
        assert command in out


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_its_own_help(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args([*command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("usage: por-gateway")


def test_a_bad_configuration_stops_the_command_with_the_key_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[server]\nhttp_prot = 1\n")
    assert main(["--config", str(config), "db", "upgrade"]) == 2
    assert "unknown key server.http_prot" in capsys.readouterr().err
