"""The one driver of headless chromium over the DevTools protocol, for the browser tests and the benchmarks.

It starts Debian's ``chromium`` with a fresh profile and every network path closed (a dead proxy, and a host
resolver that resolves nothing but 127.0.0.1), opens pages, evaluates JavaScript in them (or in one of their
frames), types and clicks, records console errors, exceptions and every request the page made, moves the mouse,
and takes screenshots. With ``allow_hosts`` every request passes through the DevTools ``Fetch`` domain: those to
an allowed host go on, any other is failed and recorded (:attr:`Chromium.blocked`). It needs
``websocket-client`` (a development dependency).

Test infrastructure: not part of the wheel.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from ..errors import ChromiumError

__all__ = ["Chromium", "ChromiumError", "find_chromium"]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    # Nothing leaves the machine: every connection goes to a closed port, every host name resolves to nothing.
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
]


def find_chromium() -> str | None:
    """The chromium executable: ``$WICKGRAPH_CHROMIUM``, else ``chromium`` or ``chromium-browser`` on PATH."""
    for candidate in (os.environ.get("WICKGRAPH_CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


class Chromium:
    """One headless chromium process with one page (a tab), driven over the DevTools protocol.

    ::

        with Chromium() as browser:
            browser.open(path)                       # a local file, network blocked
            browser.wait_for("window.ready === true")
            browser.evaluate("document.title")

    ``allow_hosts=("127.0.0.1",)``: requests to other hosts are failed (and listed in :attr:`blocked`); every
    request is listed in :attr:`fetched`, across pages.
    """

    def __init__(
        self,
        *,
        width: int = 1280,
        height: int = 800,
        executable: str | None = None,
        allow_hosts: tuple[str, ...] | None = None,
    ) -> None:
        self.executable = executable or find_chromium()
        if self.executable is None:
            raise ChromiumError("no chromium found: install Debian's chromium (apt-get install chromium)")
        self.width, self.height = width, height
        self._profile = tempfile.TemporaryDirectory(prefix="wickgraph-chromium-")
        self._process: subprocess.Popen[bytes] | None = None
        self._socket: Any = None
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.contexts: dict[str, int] = {}  # frame id -> default execution context id
        self.sessions: list[str] = []  # DevTools sessions of out-of-process frames (sandboxed iframes)
        self._paused: list[str] = []
        self.targets: dict[str, dict[str, Any]] = {}  # session -> the attached target's info (type, url)
        self.allow_hosts = allow_hosts
        self.fetched: list[str] = []  # with allow_hosts: every request's URL, allowed or not
        self.blocked: list[str] = []  # with allow_hosts: the URLs of the requests failed

    # ---- life cycle ----------------------------------------------------------------------------------
    def __enter__(self) -> Chromium:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        import websocket

        profile = Path(self._profile.name)
        assert self.executable is not None
        self._process = subprocess.Popen(
            [
                self.executable,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={self.width},{self.height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: close() stops its helper processes too
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise ChromiumError("chromium did not start (no DevToolsActivePort within 30 s)")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            targets = json.load(response)
        page = next(t for t in targets if t.get("type") == "page")
        self._socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        if self.allow_hosts is not None:
            self.send("Fetch.enable", patterns=[{"urlPattern": "*"}])
        # Frames in other processes (a sandboxed iframe) attach as sessions of their own, paused until resumed.
        self.send("Target.setAutoAttach", autoAttach=True, waitForDebuggerOnStart=True, flatten=True)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=self.height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def close(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.close()
            self._socket = None
        if self._process is not None:
            self._signal_group(signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
            # Helpers (renderer, crash handler) can outlive the browser a moment and still write to the profile.
            self._signal_group(signal.SIGKILL)
            self._process = None
        for _attempt in range(20):
            try:
                self._profile.cleanup()
                return
            except OSError:
                time.sleep(0.1)
        shutil.rmtree(self._profile.name, ignore_errors=True)

    def _signal_group(self, signum: int) -> None:
        assert self._process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signum)

    # ---- protocol ------------------------------------------------------------------------------------
    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Call a DevTools method (in the page, or in a frame's ``session``) and return its result; events that
        arrive meanwhile are recorded."""
        if self._socket is None:
            raise ChromiumError("chromium is not running")
        self._next_id += 1
        call_id = self._next_id
        message = {"id": call_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        self._socket.send(json.dumps(message))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise ChromiumError(f"{method} failed: {message['error'].get('message')}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self._record(message)

    def _record(self, event: dict[str, Any]) -> None:
        if event["method"] == "Fetch.requestPaused":
            self._decide(event)
            return
        self.events.append(event)
        if event["method"] == "Target.attachedToTarget":
            session = event["params"]["sessionId"]
            self.sessions.append(session)
            self._paused.append(session)
            self.targets[session] = event["params"].get("targetInfo", {})
        if event["method"] == "Target.detachedFromTarget":
            gone = event["params"].get("sessionId")
            self.sessions = [s for s in self.sessions if s != gone]
            self._paused = [s for s in self._paused if s != gone]
        if event["method"] == "Runtime.executionContextCreated":
            context = event["params"]["context"]
            aux = context.get("auxData", {})
            if aux.get("isDefault") and aux.get("frameId"):
                self.contexts[aux["frameId"]] = context["id"]

    def _decide(self, event: dict[str, Any]) -> None:
        """A paused request (``allow_hosts``): let it go on to an allowed host, fail it otherwise. The answer is
        sent without waiting for its reply (it arrives, with an id nobody waits for, and is dropped)."""
        from urllib.parse import urlsplit

        params = event["params"]
        url = params["request"]["url"]
        self.fetched.append(url)
        command: dict[str, Any] = {"requestId": params["requestId"]}
        if urlsplit(url).hostname in (self.allow_hosts or ()):
            method = "Fetch.continueRequest"
        else:
            self.blocked.append(url)
            method, command["errorReason"] = "Fetch.failRequest", "BlockedByClient"
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": command}
        if event.get("sessionId"):
            message["sessionId"] = event["sessionId"]
        self._socket.send(json.dumps(message))

    # ---- pages ---------------------------------------------------------------------------------------
    def open(self, path: str | Path) -> None:
        """Load a local file (or a URL) and wait for its load event."""
        url = path if isinstance(path, str) and "://" in path else Path(path).resolve().as_uri()
        self.events.clear()
        self.contexts.clear()
        self.sessions.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'", timeout=60)

    def _resume(self) -> None:
        """Enable the domains of newly attached frames and let them run."""
        while self._paused:
            session = self._paused.pop(0)
            for domain in ("Runtime", "Log", "Network"):
                self.send(f"{domain}.enable", session=session)
            if self.allow_hosts is not None:
                self.send("Fetch.enable", session=session, patterns=[{"urlPattern": "*"}])
            self.send("Runtime.runIfWaitingForDebugger", session=session)

    def iframe_sessions(self) -> list[str]:
        """The sessions of the page's out-of-process frames (a sandboxed ``srcdoc`` iframe is one)."""
        self.drain()
        self._resume()
        return list(self.sessions)

    def evaluate(self, expression: str, *, frame: str | None = None, session: str | None = None) -> Any:
        """The value of a JavaScript expression in the page, in the frame with that id, or in a frame session."""
        params: dict[str, Any] = {"expression": expression, "returnByValue": True, "awaitPromise": True}
        if frame is not None:
            params["contextId"] = self.contexts[frame]
        result = self.send("Runtime.evaluate", session=session, **params)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise ChromiumError(f"JavaScript error in {expression!r}: {text}")
        return result.get("result", {}).get("value")

    def wait_for(
        self, expression: str, *, timeout: float = 120, frame: str | None = None, session: str | None = None
    ) -> Any:
        """Wait until the expression is truthy; its value."""
        started = time.monotonic()
        while True:
            self._resume()
            try:
                value = self.evaluate(expression, frame=frame, session=session)
                if value:
                    return value
            except (ChromiumError, KeyError):
                pass
            if time.monotonic() - started > timeout:
                raise ChromiumError(f"timed out after {timeout:.0f} s waiting for {expression!r}")
            time.sleep(0.05)

    def frames(self) -> list[str]:
        """Ids of the page's child frames (iframes), in document order."""
        tree = self.send("Page.getFrameTree")["frameTree"]
        return [child["frame"]["id"] for child in tree.get("childFrames", [])]

    def click(self, selector: str) -> None:
        """Click (press and release the left button) in the middle of the element ``selector`` finds."""
        x, y = self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def type_text(self, text: str) -> None:
        """Type ``text`` into the focused element, as a keyboard would insert it."""
        self.send("Input.insertText", text=text)

    def move_mouse(self, x: float, y: float) -> None:
        """Move the mouse pointer to page coordinates (CSS pixels)."""
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)

    def screenshot(self, target: str | Path) -> Path:
        """Save a PNG of the viewport."""
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    # ---- what happened -------------------------------------------------------------------------------
    def drain(self, seconds: float = 0.2) -> None:
        """Read the events that arrive within ``seconds``."""
        if self._socket is None:
            return
        self._socket.settimeout(seconds)
        try:
            while True:
                message = json.loads(self._socket.recv())
                if "method" in message:
                    self._record(message)
        except Exception:
            pass
        finally:
            self._socket.settimeout(60)

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries, as text."""
        self.drain()
        errors = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                errors.append(str(details.get("exception", {}).get("description") or details.get("text")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                errors.append(str(params["entry"].get("text")))
        return errors

    def requests(self) -> list[str]:
        """The URL of every request the page made."""
        self.drain()
        return [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]
