"""A minimal DevTools Protocol client for headless Chromium, over ``--remote-debugging-pipe``.

Why this and not Playwright or Selenium: the browser tests need a few things
the command line flags cannot do (a 390 px phone viewport, print-media
emulation, measuring text boxes in the page, printing a page that was loaded
normally, so that its ``beforeprint`` handlers run), and these are a handful
of DevTools calls. The pipe transport needs no WebSocket library: Chromium
reads NUL-terminated JSON commands on file descriptor 3 and writes its
answers and events on file descriptor 4.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class CdpError(RuntimeError):
    """Chromium answered a command with an error, closed the pipe or took too long."""


class Browser:
    """One headless Chromium with one page (tab), driven through the DevTools pipe."""

    def __init__(self, chromium: str, flags: Sequence[str], profile: Path) -> None:
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()

        def wire_pipes() -> None:  # in the child: commands on fd 3, answers on fd 4
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child, from_child)]
            os.dup2(high[0], 3)  # dup2 makes them inheritable, unlike every other fd
            os.dup2(high[1], 4)

        self.process = subprocess.Popen(
            [chromium, *flags, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,  # Python's own fds are not inheritable (PEP 446)
            preexec_fn=wire_pipes,  # the tests start no threads meanwhile
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise CdpError("Chromium did not answer in time")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise CdpError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer; events seen meanwhile go to ``events``."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 120
        while True:
            answer = self._message(deadline)
            if answer.get("id") != self._next_id:
                self.events.append(answer)
                continue
            if "error" in answer:
                raise CdpError(f"{method}: {answer['error']}")
            return answer.get("result", {})

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the page's session."""
        return self.call(method, self.session, **params)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises are awaited)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise CdpError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60) -> Any:
        """Poll a JavaScript expression until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        raise CdpError(f"still false after {timeout} s: {expression}")

    def open(self, url: str, width: int, height: int = 900) -> None:
        """Load ``url`` in a ``width`` px wide viewport (a phone's when narrow) and wait for it."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        self.send("Emulation.setEmulatedMedia", media="")
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'")

    def problems(self) -> list[str]:
        """JavaScript exceptions, console errors and warnings, and log errors seen so far."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(json.dumps(params["exceptionDetails"])[:400])
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning"):
                found.append(f"console.{params['type']}: {json.dumps(params['args'])[:300]}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append(f"log: {params['entry'].get('text', '')[:300]}")
        return found

    def screenshot(self, target: Path) -> None:
        """A PNG of the whole page, not only the viewport."""
        shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        target.write_bytes(base64.b64decode(shot["data"]))

    def print_pdf(self, target: Path) -> None:
        """Print the page as the browser's own print does (A4, the page's print CSS)."""
        pdf = self.send(
            "Page.printToPDF",
            paperWidth=8.27,
            paperHeight=11.69,
            preferCSSPageSize=True,
            printBackground=True,
        )
        target.write_bytes(base64.b64decode(pdf["data"]))

    def close(self) -> None:
        with contextlib.suppress(CdpError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        os.close(self._read)
