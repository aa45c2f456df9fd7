"""One HTTP session for every connector: bounded retries, rate limits honoured,
clear errors, tokens kept out of messages.

`ApiSession` is a `requests.Session` whose `send` retries transient failures, so it
plugs into dlt's `RESTClient(session=...)` and its paginators unchanged.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from connectors.common.settings import http_timeout_s

log = logging.getLogger("loadbearing.http")

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


class SourceError(RuntimeError):
    """A failure a user can act on; the message names the source and the setting."""


class AuthError(SourceError):
    pass


class RateLimitError(SourceError):
    pass


@dataclass(frozen=True)
class RetryPolicy:
    """How long a connector keeps trying before it gives up with a clear message."""

    max_attempts: int = 6
    backoff_base_s: float = 0.5
    backoff_max_s: float = 60.0
    max_total_wait_s: float = 900.0  # a rate-limit reset further away than this fails the run
    timeout_s: float = field(default_factory=http_timeout_s)  # connect and each read
    max_redirects: int = 5  # same-origin hops only; another host is never followed


@dataclass(frozen=True)
class SourceInfo:
    """Who is calling, so errors say what to fix."""

    name: str  # "GitHub", "Jira", "Google Calendar"
    token_setting: str  # e.g. "SOURCES__GITHUB__ACCESS_TOKEN"


class ApiSession(requests.Session):
    def __init__(self, source: SourceInfo, policy: RetryPolicy | None = None, sleep=time.sleep):
        super().__init__()
        self.source = source
        self.policy = policy or RetryPolicy()
        self.total_wait_s = 0.0
        self.requests_sent = 0
        self._sleep = sleep

    def __repr__(self) -> str:  # never show headers (they carry the token)
        return f"ApiSession({self.source.name})"

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", self.policy.timeout_s)
        # requests would follow a redirect to another host (it strips Authorization, but the
        # query and the call still go there): redirects are followed here, within the origin only
        kwargs["allow_redirects"] = False
        renewed = False  # a 401 is retried once, with a renewed token, when the request's auth can renew it
        for attempt in range(1, self.policy.max_attempts + 1):
            try:
                response = self._send_within_origin(request, **kwargs)
                if response.status_code == 401 and not renewed and self._renew_credentials(request):
                    # expired or revoked before its time: once more, with the new token
                    renewed = True
                    response.close()
                    log.info("%s: HTTP 401 on %s; retrying with a renewed token", self.source.name, _where(request))
                    response = self._send_within_origin(request, **kwargs)
            except TRANSIENT_ERRORS as exc:
                if attempt == self.policy.max_attempts:
                    raise SourceError(
                        f"{self.source.name}: {type(exc).__name__} on {_where(request)} after {attempt} attempts"
                    ) from None
                self._wait(self._backoff(attempt), f"{type(exc).__name__} on {_where(request)}")
                continue
            delay = self._retry_delay(response, attempt)
            if delay is None:
                self._check_final(response, request)
                self._pace(response)
                return response
            if attempt == self.policy.max_attempts:
                break
            self._wait(delay, f"HTTP {response.status_code} on {_where(request)}")
        raise SourceError(
            f"{self.source.name}: {_where(request)} still failed with HTTP "
            f"{response.status_code} after {self.policy.max_attempts} attempts"
        )

    @staticmethod
    def _renew_credentials(request: requests.PreparedRequest) -> bool:
        """A fresh token on `request` (connectors.common.auth.BearerAuth); False for a static one."""
        renew = getattr(request, "renew_credentials", None)
        return bool(renew and renew(request))

    def _send_within_origin(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:
        """One answer, after following redirects that stay on the request's origin (a
        redirect elsewhere is returned as is, for _check_final to refuse)."""
        for _ in range(self.policy.max_redirects):
            response = super().send(request, **kwargs)
            self.requests_sent += 1
            if (
                response.status_code not in REDIRECT_STATUSES
                or not response.headers.get("Location")
                or not _same_origin(response)
            ):
                return response
            request = request.copy()
            request.prepare_url(urljoin(response.url, response.headers["Location"]), None)
            response.close()
        return response

    def _retry_delay(self, response: requests.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when the response is final."""
        status = response.status_code
        if status == 403 and not _is_rate_limited(response):
            return None
        if status not in TRANSIENT_STATUSES and status != 403:
            if status == 200 and not _body_complete(response):
                return self._backoff(attempt)  # a truncated body is a transient failure
            return None
        retry_after = _retry_after_s(response)
        if retry_after is not None:
            return retry_after
        reset_in = _rate_limit_reset_s(response)
        if reset_in is not None:
            return reset_in
        return self._backoff(attempt)

    def _check_final(self, response: requests.Response, request: requests.PreparedRequest) -> None:
        if response.status_code == 401:
            raise AuthError(
                f"{self.source.name} rejected the credentials (HTTP 401 on {_where(request)}): "
                f"check {self.source.token_setting}"
            )
        if response.status_code in REDIRECT_STATUSES:
            raise SourceError(
                f"{self.source.name}: {_where(request)} redirects to "
                f"{urlsplit(response.headers.get('Location', '')).netloc or 'another host'}; "
                "not followed, the token would go with it — check the base URL setting"
            )

    def _pace(self, response: requests.Response) -> None:
        """An exhausted quota on a good answer: wait for the reset before the next call."""
        if response.headers.get("X-RateLimit-Remaining") == "0":
            reset_in = _rate_limit_reset_s(response)
            if reset_in:
                self._wait(reset_in, "rate limit quota used up")

    def _backoff(self, attempt: int) -> float:
        delay = self.policy.backoff_base_s * 2 ** (attempt - 1)
        return min(self.policy.backoff_max_s, delay * (1 + random.random() / 4))

    def _wait(self, seconds: float, why: str) -> None:
        if self.total_wait_s + seconds > self.policy.max_total_wait_s:
            raise RateLimitError(
                f"{self.source.name}: {why}; waiting {seconds:.0f} s more would exceed the "
                f"bound of {self.policy.max_total_wait_s:.0f} s for this run "
                f"(already waited {self.total_wait_s:.0f} s). The next run resumes from the "
                "last loaded cursor."
            )
        log.warning("%s: %s; retrying in %.1f s", self.source.name, why, seconds)
        self.total_wait_s += seconds
        self._sleep(seconds)


def _where(request: requests.PreparedRequest) -> str:
    """Method and path, never the query (it may carry a sync token) nor headers."""
    return f"{request.method} {urlsplit(request.url).path}"


def _same_origin(response: requests.Response) -> bool:
    target = urlsplit(urljoin(response.url, response.headers.get("Location", "")))
    origin = urlsplit(response.url)
    return (target.scheme, target.netloc) == (origin.scheme, origin.netloc)


def _is_rate_limited(response: requests.Response) -> bool:
    if response.headers.get("X-RateLimit-Remaining") == "0" or "Retry-After" in response.headers:
        return True
    return "rate limit" in response.text[:500].lower()


def _body_complete(response: requests.Response) -> bool:
    if "json" not in response.headers.get("Content-Type", ""):
        return True
    try:
        response.json()
    except ValueError:
        return False
    return True


def _retry_after_s(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    parsed = email.utils.parsedate_to_datetime(value)
    return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def _rate_limit_reset_s(response: requests.Response) -> float | None:
    if response.headers.get("X-RateLimit-Remaining") != "0":
        return None
    reset = response.headers.get("X-RateLimit-Reset")
    if not reset or not reset.strip().isdigit():
        return None
    return max(1.0, float(reset) - time.time())
