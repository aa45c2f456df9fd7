"""Keys made at test time (no private key is committed), and the settings a deployment would set
for each kind of credentials the sandbox issues (sandbox.auth)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from sandbox.auth import (
    DEMO_APP_ID,
    DEMO_CLIENT,
    DEMO_SERVICE_ACCOUNT,
    GitHubApp,
    SandboxAuth,
    ServiceAccount,
    new_key_pair,
)

SERVICE_ACCOUNT_EMAIL = DEMO_SERVICE_ACCOUNT
CLIENT = DEMO_CLIENT
APP_ID = DEMO_APP_ID


@functools.cache
def key_pair(name: str) -> tuple[str, str]:
    """(private PEM, public PEM) of a fresh RSA key, one per name per test session."""
    return new_key_pair()


def sandbox_auth(token_life_s: float) -> SandboxAuth:
    return SandboxAuth(
        token_life_s=token_life_s,
        google_service_account=ServiceAccount(SERVICE_ACCOUNT_EMAIL, key_pair("service-account")[1]),
        google_client=CLIENT,
        github_app=GitHubApp(APP_ID, key_pair("github-app")[1]),
    )


def service_account_file(folder: Path, token_uri: str, key: str = "service-account") -> Path:
    """A key file as Google's console hands it out (token_uri: where the sandbox serves it)."""
    path = folder / "service-account.json"
    info = {
        "type": "service_account",
        "project_id": "sandbox-project",
        "private_key_id": "0123456789abcdef",
        "private_key": key_pair(key)[0],
        "client_email": SERVICE_ACCOUNT_EMAIL,
        "client_id": "100000000000000000001",
        "token_uri": token_uri,
    }
    path.write_text(json.dumps(info))
    return path


def app_key_file(folder: Path, key: str = "github-app") -> Path:
    path = folder / "github-app.private-key.pem"
    path.write_text(key_pair(key)[0])
    return path


def calendar_env(mode: str, org, server, folder: Path) -> dict[str, str]:
    """SOURCES__CALENDAR__* of one credentials mode, against the sandbox."""
    env = {
        "SOURCES__CALENDAR__CALENDAR_IDS": ",".join(sorted(org.calendars)),
        "SOURCES__CALENDAR__BASE_URL": server.calendar_url,
        "SOURCES__CALENDAR__ICS_FEEDS": ",".join(f"{name}={server.ics_url(name)}" for name in sorted(org.ics_feeds)),
    }
    if mode == "service_account":
        # the key file's token_uri points at the sandbox: no TOKEN_URI needed
        env["SOURCES__CALENDAR__SERVICE_ACCOUNT_KEY"] = str(service_account_file(folder, server.google_token_url))
    elif mode == "refresh_token":
        env.update(
            SOURCES__CALENDAR__CLIENT_ID=CLIENT.client_id,
            SOURCES__CALENDAR__CLIENT_SECRET=CLIENT.client_secret,
            SOURCES__CALENDAR__REFRESH_TOKEN=CLIENT.refresh_token,
            SOURCES__CALENDAR__TOKEN_URI=server.google_token_url,
        )
    else:
        raise ValueError(mode)
    return env


def github_env(org, server, folder: Path) -> dict[str, str]:
    """SOURCES__GITHUB__* of a GitHub App (installation found from the org), against the sandbox."""
    return {
        "SOURCES__GITHUB__ORG": org.github_org,
        "SOURCES__GITHUB__BASE_URL": server.github_url,
        "SOURCES__GITHUB__APP_ID": APP_ID,
        "SOURCES__GITHUB__APP_PRIVATE_KEY": str(app_key_file(folder)),
    }
