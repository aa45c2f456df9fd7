"""Google credentials that last a run of any length, through google-auth:

- a static access token (SOURCES__CALENDAR__ACCESS_TOKEN): used as given, an hour's life at most;
- OAuth refresh-token credentials (client id, client secret, refresh token): a new access token
  from the token endpoint (grant_type=refresh_token) when the current one is about to expire
  or was refused;
- a service account with domain-wide delegation: per calendar, a token for the person it
  belongs to (the calendar id is their email) from the JWT-bearer grant, an RS256 assertion
  with iss = the account's client_email, sub = the person, scope calendar.readonly, aud = the
  token endpoint.

Tokens are renewed before they expire (connectors.common.auth) and once after a 401. The token
endpoint is SOURCES__CALENDAR__TOKEN_URI (default Google's, or the key file's `token_uri`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import google.auth.exceptions
import google.auth.transport.requests
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from connectors.calendar import settings
from connectors.calendar.client import CalendarNotFound
from connectors.common import keys
from connectors.common.auth import BearerAuth, RefreshingToken
from connectors.common.http import ApiSession, AuthError, SourceError, SourceInfo
from connectors.common.settings import http_timeout_s

# what Google answers for a subject that is no user of the domain (a departed person, a resource calendar)
UNKNOWN_SUBJECT = "Invalid email or User ID"


class _Transport(google.auth.transport.requests.Request):
    """google-auth's requests transport on an ApiSession (retries, same-origin redirects), with
    the connectors' timeout instead of google-auth's 120 s."""

    def __call__(self, url, method="GET", body=None, headers=None, timeout=None, **kwargs):
        return super().__call__(url, method, body, headers, timeout=timeout or http_timeout_s(), **kwargs)


class GoogleCredentials:
    """The auth of each calendar's requests."""

    mode = "access token"
    settings_named = settings.TOKEN_SETTING

    def __init__(self, access_token: str):
        self._auth = BearerAuth(access_token)

    def auth_for(self, calendar_id: str) -> BearerAuth:
        return self._auth


class _Refreshing(GoogleCredentials):
    def __init__(self, token_uri: str):
        self.token_uri = token_uri
        self._transport = _Transport(ApiSession(SourceInfo("Google token endpoint", self.settings_named)))

    def _fetch(self, credentials, who: str):
        """A fetch for RefreshingToken: one grant at the token endpoint, its failure named."""

        def fetch() -> tuple[str, datetime | None]:
            try:
                credentials.refresh(self._transport)
            except google.auth.exceptions.RefreshError as exc:
                reason = _reason(exc)
                if UNKNOWN_SUBJECT in reason:
                    raise CalendarNotFound(
                        f"Google Calendar: the token endpoint knows no user {who!r} to impersonate ({reason}); "
                        f"its calendar is skipped (check {settings.CALENDAR_IDS_SETTING})"
                    ) from None
                raise AuthError(
                    f"Google Calendar: the token endpoint refused the {self.mode} for {who} ({reason}): "
                    f"check {self.settings_named}"
                ) from None
            except google.auth.exceptions.TransportError as exc:
                raise SourceError(
                    f"Google Calendar: the token endpoint {self.token_uri} could not be reached "
                    f"({type(exc.args[0]).__name__ if exc.args else 'TransportError'}); check {settings.TOKEN_URI_SETTING}"
                ) from None
            expiry = credentials.expiry  # naive UTC in google-auth
            return credentials.token, expiry.replace(tzinfo=UTC) if expiry else None

        return fetch


class RefreshTokenCredentials(_Refreshing):
    """One person's OAuth consent (a refresh token) reading every calendar shared with them."""

    mode = "refresh token"
    settings_named = (
        f"{settings.CLIENT_ID_SETTING}, {settings.CLIENT_SECRET_SETTING} and {settings.REFRESH_TOKEN_SETTING}"
    )

    def __init__(self, client_id: str, client_secret: str, refresh_token: str, token_uri: str):
        super().__init__(token_uri)
        credentials = user_credentials.Credentials(
            None, refresh_token=refresh_token, token_uri=token_uri, client_id=client_id, client_secret=client_secret
        )
        self._auth = BearerAuth(RefreshingToken(self._fetch(credentials, "the OAuth client")))

    def auth_for(self, calendar_id: str) -> BearerAuth:
        return self._auth


class ServiceAccountCredentials(_Refreshing):
    """A service account with domain-wide delegation: each calendar read as its owner."""

    mode = "service account"
    settings_named = settings.SERVICE_ACCOUNT_SETTING

    def __init__(self, key: str | dict, token_uri: str | None = None):
        try:
            info = (
                json.loads(keys.resolved(key, settings.SERVICE_ACCOUNT_SETTING)) if isinstance(key, str) else dict(key)
            )
            info["private_key"] = keys.normalized_pem(info["private_key"])
            info["token_uri"] = token_uri or info.get("token_uri") or settings.DEFAULT_TOKEN_URI
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SourceError(
                f"Google Calendar: {settings.SERVICE_ACCOUNT_SETTING} is not a service account key ({exc})"
            ) from None
        super().__init__(info["token_uri"])
        try:
            self._account = service_account.Credentials.from_service_account_info(
                info,
                scopes=[settings.CALENDAR_SCOPE],
                # the assertion's audience is the endpoint it goes to (Google's is the same URL)
                additional_claims={"aud": info["token_uri"]},
            )
        except (ValueError, KeyError) as exc:
            raise SourceError(
                f"Google Calendar: {settings.SERVICE_ACCOUNT_SETTING} is not a usable service account key "
                f"({type(exc).__name__})"
            ) from None
        self._by_subject: dict[str, BearerAuth] = {}

    def auth_for(self, calendar_id: str) -> BearerAuth:
        subject = calendar_id.lower()
        if subject not in self._by_subject:
            delegated = self._account.with_subject(subject)
            self._by_subject[subject] = BearerAuth(RefreshingToken(self._fetch(delegated, subject)))
        return self._by_subject[subject]


def google_credentials(
    access_token: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    refresh_token: str | None = None,
    service_account_key: str | dict | None = None,
    token_uri: str | None = None,
) -> GoogleCredentials | None:
    """The credentials the settings give, or None when none are given (settings.py names a half-set mode)."""
    if service_account_key:
        return ServiceAccountCredentials(service_account_key, token_uri)
    if refresh_token or client_id or client_secret:
        missing = [
            name
            for name, value in (
                (settings.CLIENT_ID_SETTING, client_id),
                (settings.CLIENT_SECRET_SETTING, client_secret),
                (settings.REFRESH_TOKEN_SETTING, refresh_token),
            )
            if not value
        ]
        if missing:
            raise SourceError(f"Google Calendar: {', '.join(missing)} missing (the refresh-token credentials)")
        return RefreshTokenCredentials(client_id, client_secret, refresh_token, token_uri or settings.DEFAULT_TOKEN_URI)
    if access_token:
        return GoogleCredentials(access_token)
    return None


def _reason(exc: google.auth.exceptions.RefreshError) -> str:
    """The endpoint's error and description ("invalid_grant: Bad Request"), no token in it."""
    data = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], dict) else None
    if data and data.get("error"):
        return f"{data['error']}: {data.get('error_description', '')}".strip(": ")
    return str(exc.args[0]) if exc.args else type(exc).__name__
