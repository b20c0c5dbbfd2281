"""`kernel install` for --user and --prefix: files, `jupyter kernelspec list`, and
jupyter_server's /api/kernelspecs with the logos."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

JUPYTER = str(Path(sys.executable).with_name("jupyter"))
LOGOS = ("logo-svg.svg", "logo-32x32.png", "logo-64x64.png")


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("JUPYTER_PATH", "JUPYTER_DATA_DIR", "XDG_DATA_HOME", "JUPYTER_CONFIG_DIR")}
    env.update(extra)
    return env


def kernelspecs(env: dict) -> dict:
    out = subprocess.run([JUPYTER, "kernelspec", "list", "--json"], env=env, check=True,
                         capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout)["kernelspecs"]


def check_spec_dir(spec_dir: Path, kernel_bin: Path, display_name: str) -> None:
    spec = json.loads((spec_dir / "kernel.json").read_text())
    assert spec["argv"] == [str(kernel_bin), "-f", "{connection_file}"]
    assert Path(spec["argv"][0]).is_absolute()
    assert spec["display_name"] == display_name
    assert spec["language"] == "nndsl"
    assert spec["interrupt_mode"] == "message"
    assert isinstance(spec["metadata"], dict)
    for logo in LOGOS:
        assert (spec_dir / logo).stat().st_size > 0
    for size in (32, 64):
        png = (spec_dir / f"logo-{size}x{size}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == size and int.from_bytes(png[20:24], "big") == size
    assert (spec_dir / "logo-svg.svg").read_text().lstrip().startswith("<svg")


def test_user_install(tmp_path, kernel_bin):
    home = tmp_path / "home"
    home.mkdir()
    env = clean_env(HOME=str(home))
    done = subprocess.run([str(kernel_bin), "install", "--user", "--name", "nndsl-user",
                           "--display-name", "NN DSL user"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    spec_dir = home / ".local" / "share" / "jupyter" / "kernels" / "nndsl-user"
    check_spec_dir(spec_dir, kernel_bin.resolve(), "NN DSL user")
    specs = kernelspecs(env)
    assert "nndsl-user" in specs
    assert Path(specs["nndsl-user"]["resource_dir"]) == spec_dir
    # Installing again overwrites in place (idempotent).
    again = subprocess.run([str(kernel_bin), "install", "--user", "--name", "nndsl-user"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr


def test_prefix_install_and_bad_input(tmp_path, kernel_bin):
    prefix = tmp_path / "prefix"
    done = subprocess.run([str(kernel_bin), "install", "--prefix", str(prefix)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    spec_dir = prefix / "share" / "jupyter" / "kernels" / "nndsl"
    check_spec_dir(spec_dir, kernel_bin.resolve(), "NN DSL")
    specs = kernelspecs(clean_env(JUPYTER_PATH=str(prefix / "share" / "jupyter")))
    assert specs["nndsl"]["spec"]["language"] == "nndsl"

    bad = subprocess.run([str(kernel_bin), "install", "--prefix", str(prefix), "--name", "no/slash"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "not allowed" in bad.stderr
    both = subprocess.run([str(kernel_bin), "install", "--user", "--prefix", str(prefix)],
                          capture_output=True, text=True, timeout=60)
    assert both.returncode != 0


def test_install_help_explains_locations(kernel_bin):
    out = subprocess.run([str(kernel_bin), "install", "--help"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0
    for word in ("--user", "--sys-prefix", "--prefix", "kernel.json", "logo-svg.svg",
                 "logo-64x64.png", ".local/share/jupyter", "share/jupyter"):
        assert word in out.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_jupyter_server_lists_kernelspec_with_logos(tmp_path, kernel_bin):
    prefix = tmp_path / "srv"
    subprocess.run([str(kernel_bin), "install", "--prefix", str(prefix), "--name", "nndsl-srv"],
                   check=True, capture_output=True, timeout=60)
    port, token = free_port(), "nndsl-test-token"
    env = clean_env(JUPYTER_PATH=str(prefix / "share" / "jupyter"), HOME=str(tmp_path),
                    JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
                    JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    server = subprocess.Popen(
        [JUPYTER, "server", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={tmp_path}"] + (["--allow-root"] if os.geteuid() == 0 else []),
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"token {token}"}
        deadline = time.monotonic() + 60
        specs = None
        while time.monotonic() < deadline:
            try:
                req = urllib.request.Request(f"{base}/api/kernelspecs", headers=headers)
                with urllib.request.urlopen(req, timeout=5) as r:
                    specs = json.loads(r.read())
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"jupyter server exited: {server.stderr.read().decode()[-2000:]}")
                time.sleep(0.3)
        assert specs is not None, "jupyter_server did not answer in 60 s"
        ours = specs["kernelspecs"]["nndsl-srv"]
        assert ours["spec"]["language"] == "nndsl"
        resources = ours["resources"]
        for logo in LOGOS:
            key = logo.removesuffix(".svg").removesuffix(".png")
            assert key in resources, resources
            req = urllib.request.Request(base + resources[key], headers=headers)
            with urllib.request.urlopen(req, timeout=10) as r:
                body = r.read()
                assert r.status == 200 and body
                kind = "image/svg+xml" if logo.endswith(".svg") else "image/png"
                assert r.headers["Content-Type"].startswith(kind)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
