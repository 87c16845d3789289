"""`pip install` of the built wheel serves the site from any folder: templates and data inside."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import urllib.request
from pathlib import Path

from tests.conftest import free_port
from tests.gateway.test_serve import ROOT, wait_for_health

# What a source checkout has beside the packages that an installed wheel must do without.
NOT_SHIPPED = {".git", ".venv", "build", "data", "spool", "tests", "bench", "__pycache__"}


def _not_shipped(folder: str, names: list[str]) -> set[str]:
    if Path(folder) != ROOT:
        return {name for name in names if name == "__pycache__"}
    return {n for n in names if n in NOT_SHIPPED or n.endswith((".egg-info", "_cache"))}


def build_and_install(tmp_path: Path) -> Path:
    """Build the wheel from a copy of the source, install it in a new venv; return its bin/."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=_not_shipped)
    dist = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(source)],
        check=True,
    )
    (wheel,) = dist.glob("por_gateway-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # The dependencies come from this test environment, whose own (editable) copy of the
    # project stays out: a folder named in a .pth file is searched, its .pth files are not run.
    site = Path(
        subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_path('purelib'))",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [*pip, "--python", str(venv / "bin" / "python"), "install", "--no-deps", str(wheel)],
        check=True,
    )
    return venv / "bin"


def test_the_installed_wheel_serves_the_login_page_and_its_style_sheet(tmp_path: Path) -> None:
    bin_dir = build_and_install(tmp_path)
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import gateway, outbound; print(gateway.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert where.startswith(str(tmp_path / "venv")), where  # the wheel's copy, not the source

    run = tmp_path / "run"  # no config.toml, no templates: only what the wheel installed
    run.mkdir()
    http_port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("POR_")} | {
        "POR_SERVER_HTTP_PORT": str(http_port),
        "POR_SERVER_SMTP_PORT": str(free_port()),
    }
    process = subprocess.Popen(
        [str(bin_dir / "por-gateway"), "serve"],
        cwd=run,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{http_port}"
        assert wait_for_health(f"{base}/healthz", process, 60)["database"] == "ok"
        with urllib.request.urlopen(f"{base}/login", timeout=5) as response:
            assert response.status == 200
            assert "<form" in response.read().decode()
        with urllib.request.urlopen(f"{base}/static/web/site.css", timeout=5) as response:
            assert response.status == 200 and response.headers["Content-Type"].startswith(
                "text/css"
            )
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Traceback" not in output
