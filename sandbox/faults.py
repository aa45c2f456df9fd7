"""Injected failures: the server consults these before answering, so tests can play
rate limits, outages and slow answers against the real connectors.

    server.faults.add(r"/github/repos/.*/pulls$", 429, times=1, headers={"Retry-After": "1"})
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field

from sandbox.wire import JSON_TYPE, Response


@dataclass
class Fault:
    pattern: re.Pattern
    status: int
    times: int | None  # None: every matching request
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    method: str | None = None
    delay_s: float = 0.0  # sleep before answering (to exercise client timeouts)
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method:
            return False
        return self.times != 0 and self.pattern.search(path) is not None

    def response(self) -> Response:
        return Response(self.status, self.body, dict(self.headers), JSON_TYPE)


class Faults:
    def __init__(self):
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        path_regex: str,
        status: int,
        times: int | None = 1,
        headers: dict[str, str] | None = None,
        body: object = None,
        method: str | None = None,
        delay_s: float = 0.0,
    ) -> Fault:
        """Answer requests whose full path (e.g. `/github/orgs/x/repos`) matches
        `path_regex` with `status`, `times` times (None: until cleared)."""
        if body is None:
            body = {"message": f"injected fault: HTTP {status}"}
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        fault = Fault(re.compile(path_regex), status, times, dict(headers or {}), raw, method, delay_s)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first armed fault for this request, spending one of its times."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
