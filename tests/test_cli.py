"""The command line: every command is listed and has its own help."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.cli import build_parser, config_path, main

COMMANDS = [
    ["serve"],
    ["check"],
    ["db", "upgrade"],
    ["daybook", "import"],
    ["audit", "verify"],
    ["audit", "checkpoint"],
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


REQUIRED = {
    "daybook import": ["cases.csv"],
    "parse-email": ["report.eml"],
    "report hearing-day": ["--court", "HHD", "--date", "2026-11-10"],
    "report annual": ["--year", "2026"],
}


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_takes_config_after_its_name(command: list[str]) -> None:
    argv = [*command, *REQUIRED.get(" ".join(command), []), "--config", "elsewhere.toml"]
    assert build_parser().parse_args(argv).config == Path("elsewhere.toml")


def test_the_configuration_is_found_by_option_then_environment_then_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert config_path(None, {}) is None  # an installed package with no file: the defaults
    (tmp_path / "config.toml").write_text("")
    assert config_path(None, {}) == Path("config.toml")
    assert config_path(None, {"POR_CONFIG": "/etc/por/gateway.toml"}) == Path(
        "/etc/por/gateway.toml"
    )
    assert config_path(Path("given.toml"), {"POR_CONFIG": "/etc/x.toml"}) == Path("given.toml")


def test_a_missing_configuration_file_named_after_the_command_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["inbound", "list", "--config", "/nonexistent/gateway.toml"]) == 2
    assert "/nonexistent/gateway.toml does not exist" in capsys.readouterr().err
