"""A real `streamlit run app.py` server and a headless Chromium for the browser tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("GEO_CHROMIUM", "/usr/bin/chromium")
_EXPECT_TIMEOUT_MS = 30_000
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


def _die_with_parent() -> None:
    """In the server process: be sent SIGTERM when pytest dies, even killed (-9) or timed out,
    when the fixture's teardown cannot run (Linux; elsewhere the teardown alone stops it)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)  # polling a server that is starting; no test waits on a fixed delay
    raise RuntimeError(f"streamlit did not become healthy in {timeout}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """Start `streamlit run app.py -- ARGS` on a free local port: `app_server(*args)` -> its URL.
    Every server started is stopped at the end of the session."""
    procs: list[subprocess.Popen] = []

    def start(*app_args: str) -> str:
        port = _free_port()
        log = tmp_path_factory.mktemp("streamlit") / "server.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                 "--server.headless", "true", "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                 "--server.fileWatcherType", "none", "--", *app_args],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=_die_with_parent,
            )  # fmt: skip
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc, log)
        start.logs[url] = log
        return url

    start.logs = {}  # url -> the server's log file (what it printed: warnings included)

    try:
        yield start
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture(scope="session")
def app_url(app_server):
    """URL of the dashboard on the seeds, served by `streamlit run` on a free local port."""
    return app_server()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("GEO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium (or run .ci/run)")
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait for the page up to this long (5 s by default): a loaded CI machine can take
    # longer than that to rerun the script after a click. It is a wait, not a timed assertion.
    expect.set_options(timeout=_EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    yield page
    context.close()
