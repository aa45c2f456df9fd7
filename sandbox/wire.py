"""What the sandbox's API modules receive and answer: plain requests and responses,
plus the few helpers every API needs (JSON with the origin rewritten, times)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode

from sandbox.model import PLACEHOLDER_ORIGIN

JSON_TYPE = "application/json; charset=utf-8"


@dataclass
class Request:
    method: str
    path: str  # below the API's prefix, e.g. "/repos/o/r/pulls" for /github/repos/o/r/pulls
    query: list[tuple[str, str]]  # in the order sent, repeats kept
    headers: dict[str, str]  # names lower-cased
    body: bytes
    origin: str  # the server's own origin, "http://127.0.0.1:PORT"
    prefix: str = ""  # "/github", "/jira", ...

    def arg(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.query:
            if key == name:
                return value
        return default

    def args(self, name: str) -> list[str]:
        return [value for key, value in self.query if key == name]

    def int_arg(self, name: str, default: int, low: int, high: int) -> int:
        """An integer parameter clamped to [low, high], as the real APIs clamp page sizes."""
        try:
            value = int(self.arg(name, str(default)))
        except ValueError:
            value = default
        return max(low, min(high, value))

    def url_with(self, **changes: str) -> str:
        """This request's absolute URL with some query parameters replaced (others kept in order)."""
        query = [(k, v) for k, v in self.query if k not in changes] + list(changes.items())
        return f"{self.origin}{self.prefix}{self.path}" + (f"?{urlencode(query)}" if query else "")

    def json(self) -> dict:
        if not self.body:
            return {}
        return json.loads(self.body)


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON_TYPE
    drop_connection: bool = False  # an injected fault: close the socket without answering


def encode_json(obj: object, origin: str) -> bytes:
    """Serialise an API object, pointing placeholder URLs at this server."""
    return json.dumps(obj, ensure_ascii=False).replace(PLACEHOLDER_ORIGIN, origin).encode()


def json_response(obj: object, origin: str, status: int = 200, headers: dict | None = None) -> Response:
    return Response(status, encode_json(obj, origin), dict(headers or {}))


def parse_time(text: str) -> datetime:
    """An API timestamp (GitHub `Z`, Jira `+0000`, Google offsets, bare dates) as aware UTC."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
