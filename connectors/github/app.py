"""GitHub App authentication: the app's id and private key sign a JWT (RS256, iss = the app
id, at most 10 minutes of life), which buys an installation token (an hour's life) at
POST /app/installations/{id}/access_tokens. The installation is the one given, or the app's
installation on the organization (GET /orgs/{org}/installation), or on the first repository
(GET /repos/{owner}/{name}/installation). The token is renewed before it expires and once
after a 401 (connectors.common.auth). Every URL is under the REST base URL, so GitHub
Enterprise Server (https://HOST/api/v3) works the same.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime

import jwt

from connectors.common import keys
from connectors.common.auth import BearerAuth, RefreshingToken
from connectors.common.http import ApiSession, AuthError, SourceError, SourceInfo
from connectors.github import settings

JWT_LIFE_S = 9 * 60  # GitHub refuses an exp more than 10 minutes after iat
JWT_BACKDATE_S = 60  # iat a minute early, as GitHub advises, against clock drift
APP_SETTINGS = f"{settings.APP_ID_SETTING} and {settings.APP_PRIVATE_KEY_SETTING}"
SOURCE = SourceInfo("GitHub App", APP_SETTINGS)


def app_jwt(app_id: str, private_key: str, now: float | None = None) -> str:
    """The app's own JWT, for the /app endpoints and installation lookups."""
    issued = int(time.time() if now is None else now) - JWT_BACKDATE_S
    return jwt.encode({"iat": issued, "exp": issued + JWT_LIFE_S, "iss": str(app_id)}, private_key, algorithm="RS256")


class InstallationTokens:
    """Fetches installation tokens for a RefreshingToken."""

    def __init__(
        self,
        base_url: str,
        app_id: str,
        private_key: str,
        installation_id: int | None = None,
        org: str | None = None,
        repos: Sequence[str] = (),
    ):
        self.base_url = base_url.rstrip("/")
        try:
            private_key = keys.normalized_pem(keys.resolved(private_key, settings.APP_PRIVATE_KEY_SETTING))
        except ValueError as exc:
            raise SourceError(f"GitHub App: {exc}") from None
        self.app_id, self._private_key = str(app_id), private_key
        self.installation_id = int(installation_id) if installation_id else None
        self.org, self.repos = org, list(repos)
        self.session = ApiSession(SOURCE)

    def __repr__(self) -> str:
        return f"InstallationTokens(app {self.app_id}, installation {self.installation_id})"

    def __call__(self) -> tuple[str, datetime | None]:
        installation = self.installation_id or self._discover()
        answer = self._call("POST", f"/app/installations/{installation}/access_tokens")
        self.installation_id = installation
        expires = answer.get("expires_at")
        return answer["token"], datetime.fromisoformat(expires.replace("Z", "+00:00")).astimezone(
            UTC
        ) if expires else None

    def _discover(self) -> int:
        if self.org:
            path, where = f"/orgs/{self.org}/installation", f"organization {self.org!r}"
        elif self.repos:
            path, where = f"/repos/{self.repos[0]}/installation", f"repository {self.repos[0]!r}"
        else:
            raise SourceError(f"GitHub App: set {settings.ORG_SETTING} or {settings.APP_INSTALLATION_ID_SETTING}")
        return int(self._call("GET", path, not_found=f"the app is not installed on {where}")["id"])

    def _call(self, method: str, path: str, not_found: str | None = None) -> dict:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": settings.API_VERSION,
            "Authorization": f"Bearer {app_jwt(self.app_id, self._private_key)}",
        }
        try:
            response = self.session.request(method, self.base_url + path, headers=headers)
        except AuthError:
            raise AuthError(
                f"GitHub rejected the app's JWT (HTTP 401 on {method} {path}): check {APP_SETTINGS} "
                "(the app's id and a private key it has, not revoked) and this machine's clock"
            ) from None
        if response.status_code == 404:
            raise AuthError(
                f"GitHub App {self.app_id}: {not_found or 'installation ' + str(self.installation_id) + ' not found'} "
                f"(HTTP 404 on {method} {path}): install the app, or check {settings.APP_INSTALLATION_ID_SETTING}"
            )
        if response.status_code >= 400:
            try:
                message = response.json().get("message", "")
            except ValueError:
                message = response.text[:200]
            raise AuthError(f"GitHub App {self.app_id}: HTTP {response.status_code} on {method} {path}: {message}")
        return response.json()


def installation_auth(
    base_url: str,
    app_id: str,
    private_key: str,
    installation_id: int | None = None,
    org: str | None = None,
    repos: Sequence[str] = (),
) -> BearerAuth:
    """The auth of every request of a run made as the app's installation."""
    return BearerAuth(RefreshingToken(InstallationTokens(base_url, app_id, private_key, installation_id, org, repos)))
