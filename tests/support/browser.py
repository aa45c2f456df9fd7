"""Headless chromium driven over the DevTools protocol: open a page, evaluate, screenshot.

Only what the dashboard tests need; every console message, uncaught exception and browser
log entry (CSP violations among them) is collected, so a test can assert there were none.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import websocket

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # screenshots a reviewer can look at
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


class BrowserError(RuntimeError):
    pass


def open_browser() -> Browser:
    """A Browser to use in a `with`; a missing chromium fails the test rather than skipping it."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-chromium.sh (make test does)")
    return Browser()


def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class Browser:
    """One chromium process with one page; use as a context manager."""

    def __init__(self, width: int = 1400, height: int = 1000, timeout: float = 30):
        self.width, self.height, self.timeout = width, height, timeout
        self.messages: list[dict] = []  # {"kind": console|exception|log, "level", "text"}
        self.requests: list[str] = []  # every URL the page asked for
        self._ids = itertools.count(1)

    def __enter__(self) -> Browser:
        self._profile = tempfile.mkdtemp(prefix="lb-chromium-")
        self._process = subprocess.Popen(
            [
                CHROMIUM,
                *FLAGS,
                "--remote-debugging-port=0",
                f"--user-data-dir={self._profile}",
                f"--window-size={self.width},{self.height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = self._debugging_port()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=self.timeout) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        # no Origin header: chromium refuses DevTools websockets from unlisted origins
        self._socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=self.timeout, suppress_origin=True
        )
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=self.height,
            deviceScaleFactor=1,
            mobile=False,
        )
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._socket.close()
        finally:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
            shutil.rmtree(self._profile, ignore_errors=True)

    def call(self, method: str, **params) -> dict:
        """Send one command and wait for its answer, collecting the events that arrive meanwhile."""
        call_id = next(self._ids)
        self._socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._collect(message)

    def open(self, path: Path, ready: str = "true") -> None:
        """Load a local file and wait until it is the loaded document and the `ready` expression is true
        (Page.navigate returns before the new document replaces the old one)."""
        uri = Path(path).resolve().as_uri()
        self.call("Page.navigate", url=uri)
        self.wait_for(f"document.readyState === 'complete' && location.href === {json.dumps(uri)} && ({ready})")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(
                f"{expression!r} failed: {result['exceptionDetails'].get('text')} "
                f"{result['exceptionDetails'].get('exception', {}).get('description', '')}"
            )
        return result["result"].get("value")

    def wait_for(self, expression: str) -> None:
        """Poll until true; while a page is still loading, the expression may fail (no body yet)."""
        deadline = time.monotonic() + self.timeout
        while not self.evaluate(
            f"(() => {{ try {{ return Boolean({expression}); }} catch (e) {{ return false; }} }})()"
        ):
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out waiting for {expression!r}; messages: {self.messages}")
            time.sleep(0.1)

    def click(self, selector: str) -> None:
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def select(self, selector: str, value: str) -> None:
        """Choose an option the way a person does: the value changes and `change` fires."""
        self.evaluate(
            f"(() => {{ const s = document.querySelector({json.dumps(selector)}); s.value = {json.dumps(value)};"
            " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
        )

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def errors(self) -> list[dict]:
        return [m for m in self.messages if m["level"] in ("error", "assert") or m["kind"] == "exception"]

    def _collect(self, message: dict) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.messages.append({"kind": "console", "level": params.get("type"), "text": text})
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            self.messages.append({"kind": "exception", "level": "error", "text": text})
        elif method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Log.entryAdded":
            entry = params["entry"]
            self.messages.append({"kind": "log", "level": entry["level"], "text": entry["text"]})

    def _debugging_port(self) -> int:
        marker = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while not (marker.exists() and marker.read_text().strip()):
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise BrowserError(f"{CHROMIUM} did not start (exit {self._process.poll()})")
            time.sleep(0.05)
        return int(marker.read_text().split()[0])
