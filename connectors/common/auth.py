"""Bearer tokens that last a whole run: fetched when first needed, fetched again shortly before
they expire and once after a 401 (a token revoked or expired early), for any connector.

A connector hands `BearerAuth` to dlt's RESTClient (or to one request); the ApiSession that
sends the request asks the auth for a new token when the answer is 401 and sends it once
more (connectors.common.http). What fetches a token is the connector's: Google's token
endpoint through google-auth, GitHub's installation tokens through an app JWT.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import requests
from requests.auth import AuthBase

# a token is renewed when less than this much of its life is left: a minute of an hour's
# token, a fifth of a short one (a sandbox token living seconds)
RENEW_BEFORE_S = 60.0
RENEW_BEFORE_SHARE = 0.2

Fetch = Callable[[], tuple[str, datetime | None]]  # a new token and when it expires (None: never)


class RefreshingToken:
    """One credential's current token. `fetch` is called for the first token, when the current
    one is about to expire, and by `renew` after a 401; thread-safe, so one refresh serves
    requests that are in flight together."""

    def __init__(self, fetch: Fetch, clock: Callable[[], float] = time.time):
        self._fetch = fetch
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0  # epoch seconds
        self.fetches = 0

    def __repr__(self) -> str:  # never the token
        return f"RefreshingToken(fetches={self.fetches})"

    def get(self) -> str:
        with self._lock:
            if self._token is None or self._clock() >= self._renew_at:
                self._refresh()
            return self._token

    def renew(self, rejected: str | None) -> str:
        """A new token after `rejected` was refused; when another request already replaced it,
        the replacement (one 401 wave costs one fetch)."""
        with self._lock:
            if self._token is None or self._token == rejected:
                self._refresh()
            return self._token

    def _refresh(self) -> None:
        now = self._clock()
        token, expires = self._fetch()
        self.fetches += 1
        self._token = token
        if expires is None:
            self._renew_at = float("inf")
            return
        life = max(0.0, expires.astimezone(UTC).timestamp() - now)
        self._renew_at = now + life - min(RENEW_BEFORE_S, life * RENEW_BEFORE_SHARE)


class StaticToken:
    """A token given as a setting: never fetched, nothing to renew."""

    def __init__(self, token: str):
        self._token = token

    def __repr__(self) -> str:
        return "StaticToken()"

    def get(self) -> str:
        return self._token

    def renew(self, rejected: str | None) -> str | None:
        return None


class BearerAuth(AuthBase):
    """`Authorization: Bearer <token>` from a RefreshingToken (or a StaticToken); marks the
    request so that ApiSession can retry a 401 once with a renewed token."""

    def __init__(self, token: RefreshingToken | StaticToken | str):
        self.token = StaticToken(token) if isinstance(token, str) else token

    def __repr__(self) -> str:
        return f"BearerAuth({self.token!r})"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token.get()}"
        request.renew_credentials = self.renew  # read by ApiSession.send on a 401
        return request

    def renew(self, request: requests.PreparedRequest) -> bool:
        """Put a new token on `request` after a 401; False when there is none to get."""
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
        token = self.token.renew(sent)
        if not token:
            return False
        request.headers["Authorization"] = f"Bearer {token}"
        return True
