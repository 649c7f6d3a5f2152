"""The wheel carries what hanil reads at run time: built, installed in a new virtual
environment outside the checkout, it indexes and serves the seeds from a temporary folder."""

import json
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def run(*cmd, cwd, check=True, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, **kw)
    assert not check or done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A venv holding only the wheel; its dependencies come from this test's environment
    (a path line, which does not run the editable install's import hook)."""
    tmp = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp), str(ROOT), cwd=tmp)
    wheel = next(tmp.glob("hanil-*.whl"))
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=tmp)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "-q",
        "--no-deps",
        "--target",
        str(site),
        str(wheel),
        cwd=tmp,
    )
    bin_dir = venv / "bin"
    (bin_dir / "hanil").write_text(
        f"#!{bin_dir / 'python'}\nfrom search_app.cli import main\nmain()\n", encoding="utf-8"
    )
    (bin_dir / "hanil").chmod(0o755)
    return venv


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    where = run(
        str(installed / "bin" / "python"),
        "-c",
        "import search_app.web, indexer; print(search_app.web.__file__, indexer.__file__)",
        cwd=tmp_path,
    ).stdout
    assert str(ROOT) not in where and str(installed) in where


def test_the_installed_hanil_indexes_and_serves_the_seeds(installed, tmp_path):
    hanil = str(installed / "bin" / "hanil")
    none = run(hanil, "--index-dir", "ix", "reindex", cwd=tmp_path, check=False)
    assert none.returncode == 2 and "give the files or folders to index" in none.stderr
    shutil.copytree(SEEDS, tmp_path / "seeds")
    indexed = run(hanil, "--index-dir", "ix", "reindex", "seeds", cwd=tmp_path)
    assert re.search(r"added 1\d, .* skipped 0", indexed.stdout), indexed.stdout  # 13 articles
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [hanil, "--index-dir", "ix", "serve", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        body = _get_json(f"{base}/api/search?q=%EA%B4%91%EC%A3%BC%20CES")
        assert body["ok"] and body["total"] >= 1 and body["results"][0]["title_html"]
        page = urllib.request.urlopen(f"{base}/?q=%EA%B4%91%EC%A3%BC", timeout=10)
        assert page.status == 200 and "<mark>광주</mark>" in page.read().decode()
        css = urllib.request.urlopen(f"{base}/static/hanil.css", timeout=10)
        assert css.status == 200 and b"--accent" in css.read()
        spec = _get_json(f"{base}/api/openapi.json")
        assert spec["info"]["version"] != "0"  # read from the installed metadata
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get_json(url: str) -> dict:
    for _ in range(200):
        try:
            return json.load(urllib.request.urlopen(url, timeout=10))
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"no answer from {url}")
