"""Credentials that expire, as the real services issue them: Google's OAuth token endpoint
(refresh-token grant and the service account's JWT-bearer grant with domain-wide delegation)
and GitHub App installation tokens.

    auth = SandboxAuth(token_life_s=2, google_service_account=ServiceAccount(email, public_pem),
                       google_client=OAuthClient(id, secret, refresh_token),
                       github_app=GitHubApp(app_id, public_pem))
    SandboxServer(org, auth=auth)

    POST /google/token                                 grant_type=refresh_token | urn:ietf:params:oauth:grant-type:jwt-bearer
    GET  /github/orgs/{org}/installation               (app JWT) the app's installation on the org
    GET  /github/repos/{owner}/{repo}/installation     (app JWT) the same, found by a repository
    POST /github/app/installations/{id}/access_tokens  (app JWT) an installation token
    POST /microsoft/{tenant}/oauth2/v2.0/token         grant_type=client_credentials (Microsoft Graph)

An issued token is accepted by the data endpoints until it expires (wall-clock time, `token_life_s`
after it was issued), then answers 401 like an unknown one; the static tokens of SandboxTokens
keep working beside them. A service account's token reads only the calendar of the person it
impersonates (another one answers 404, as Google does for a calendar not shared with the user).
Every grant is counted (`TokenIssuer.grants`), so a test can see the refreshes.
"""

from __future__ import annotations

import math
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sandbox.model import Org
from sandbox.wire import Request, Response, json_response

GOOGLE_TOKEN_PATH = "/google/token"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CALENDAR_SCOPES = frozenset(
    {"https://www.googleapis.com/auth/calendar.readonly", "https://www.googleapis.com/auth/calendar"}
)
GITHUB_APP_DOCS = "https://docs.github.com/rest/apps/apps"
APP_JWT_MAX_LIFE_S = 600  # GitHub: an app's JWT may not expire more than 10 minutes after it is issued
CLOCK_LEEWAY_S = 60


@dataclass(frozen=True)
class ServiceAccount:
    client_email: str
    public_key_pem: str  # checks the signature of its JWT assertions


@dataclass(frozen=True)
class OAuthClient:
    client_id: str
    client_secret: str
    refresh_token: str


@dataclass(frozen=True)
class GitHubApp:
    app_id: str
    public_key_pem: str
    installation_id: int = 4242


@dataclass(frozen=True)
class MicrosoftApp:
    """An app registration of a Microsoft Entra tenant, with application access to Graph."""

    tenant_id: str
    client_id: str
    client_secret: str


GRAPH_SCOPE = "https://graph.microsoft.com/.default"
MICROSOFT_TOKEN_PATH = re.compile(r"^/microsoft/([^/]+)/oauth2/v2\.0/token$")
# Graph has no static tokens: the sandbox always knows this app (sandbox.server's SandboxTokens are the others)
DEMO_MICROSOFT_APP = MicrosoftApp(
    "5f0c1a2b-4d3e-4f60-8a71-5a0d0b0c0001", "3c9d7e6f-1a2b-4c3d-9e4f-5a0d0b0c0002", "sandbox-graph-client-secret"
)


@dataclass(frozen=True)
class SandboxAuth:
    """What the token endpoints accept, and how long the tokens they issue live (seconds)."""

    token_life_s: float = 3600.0
    google_service_account: ServiceAccount | None = None
    google_client: OAuthClient | None = None
    github_app: GitHubApp | None = None
    microsoft_app: MicrosoftApp | None = DEMO_MICROSOFT_APP


@dataclass(frozen=True)
class Grant:
    kind: str  # "google", "github" or "microsoft"
    grant_type: str  # "refresh_token", "jwt_bearer", "installation", "client_credentials"
    subject: str | None  # the impersonated person (service account), the installation id (GitHub)
    expires_at: float  # epoch seconds
    token: str

    def __repr__(self) -> str:
        return f"Grant({self.kind}, {self.grant_type}, {self.subject})"


class TokenIssuer:
    """Issued tokens and every grant, across the server's snapshots."""

    def __init__(self, auth: SandboxAuth | None, clock=time.time):
        self.auth = auth or SandboxAuth()
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[str, Grant] = {}
        self._grants: list[Grant] = []
        self.rejected = 0  # data requests refused with an expired or unknown token

    # -- what the data endpoints ask --------------------------------------------------

    def accepts(self, token: str, kind: str) -> Grant | None:
        """The live grant behind `token`, or None (unknown, expired, another service's)."""
        with self._lock:
            grant = self._tokens.get(token)
            if grant is None or grant.kind != kind or self._clock() >= grant.expires_at:
                self.rejected += 1
                return None
            return grant

    def grants(self, kind: str | None = None, grant_type: str | None = None) -> list[Grant]:
        with self._lock:
            return [g for g in self._grants if kind in (None, g.kind) and grant_type in (None, g.grant_type)]

    def revoke_all(self) -> None:
        """Every token issued so far answers 401 from now on (as if revoked or expired early)."""
        with self._lock:
            self._tokens.clear()

    def _issue(self, kind: str, grant_type: str, subject: str | None, prefix: str) -> Grant:
        """A new token; it lives what the answer says: whole seconds, as both services state it."""
        with self._lock:
            now = self._clock()
            if kind == "github":  # expires_at, to the second
                expires = float(math.floor(now + max(1.0, self.auth.token_life_s)))
            else:  # expires_in, whole seconds
                expires = now + self._life_s()
            grant = Grant(kind, grant_type, subject, expires, prefix + secrets.token_urlsafe(24))
            self._tokens[grant.token] = grant
            self._grants.append(grant)
            return grant

    def _life_s(self) -> int:
        return max(1, round(self.auth.token_life_s))

    # -- Google's token endpoint ------------------------------------------------------

    def google_token(self, req: Request, roster_emails: frozenset[str]) -> Response:
        form = dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
        grant_type = form.get("grant_type", "")
        if grant_type == "refresh_token":
            return self._refresh_grant(req, form)
        if grant_type == JWT_BEARER:
            return self._jwt_grant(req, form, roster_emails)
        return _oauth_error(req, 400, "unsupported_grant_type", f"Invalid grant_type: {grant_type}")

    def _refresh_grant(self, req: Request, form: dict) -> Response:
        client = self.auth.google_client
        if client is None or form.get("client_id") != client.client_id:
            return _oauth_error(req, 401, "invalid_client", "The OAuth client was not found.")
        if form.get("client_secret") != client.client_secret:
            return _oauth_error(req, 401, "invalid_client", "Unauthorized")
        if form.get("refresh_token") != client.refresh_token:
            return _oauth_error(req, 400, "invalid_grant", "Token has been expired or revoked.")
        grant = self._issue("google", "refresh_token", None, "ya29.sbx-")
        return self._google_answer(req, grant)

    def _jwt_grant(self, req: Request, form: dict, roster_emails: frozenset[str]) -> Response:
        account = self.auth.google_service_account
        assertion = form.get("assertion", "")
        if account is None:
            return _oauth_error(req, 400, "invalid_grant", "Invalid JWT Signature.")
        try:
            claims = jwt.decode(
                assertion,
                account.public_key_pem,
                algorithms=["RS256"],
                audience=req.origin + GOOGLE_TOKEN_PATH,
                issuer=account.client_email,
                options={"require": ["iss", "aud", "exp", "iat", "scope"]},
                leeway=CLOCK_LEEWAY_S,
            )
        except jwt.InvalidSignatureError:
            return _oauth_error(req, 400, "invalid_grant", "Invalid JWT Signature.")
        except jwt.PyJWTError as exc:
            return _oauth_error(req, 400, "invalid_grant", f"Invalid JWT: {exc}")
        if claims["exp"] - claims["iat"] > 3600:
            return _oauth_error(
                req, 400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes)"
            )
        if not CALENDAR_SCOPES & set(str(claims["scope"]).split()):
            return _oauth_error(req, 400, "invalid_scope", "The calendar scope was not asked for.")
        subject = claims.get("sub")
        if not subject or subject.lower() not in roster_emails:
            # a service account without a subject reads no one's calendar here
            return _oauth_error(req, 400, "invalid_grant", "Invalid email or User ID")
        grant = self._issue("google", "jwt_bearer", subject.lower(), "ya29.sbx-")
        return self._google_answer(req, grant)

    def _google_answer(self, req: Request, grant: Grant) -> Response:
        body = {
            "access_token": grant.token,
            "expires_in": self._life_s(),
            "token_type": "Bearer",
            "scope": "https://www.googleapis.com/auth/calendar.readonly",
        }
        return json_response(body, req.origin, 200, {"Cache-Control": "no-store"})

    # -- Microsoft's token endpoint (Entra ID v2.0) -------------------------------------

    def microsoft_token(self, req: Request) -> Response | None:
        """The answer of POST /microsoft/{tenant}/oauth2/v2.0/token, or None for every other path."""
        match = MICROSOFT_TOKEN_PATH.match(req.path) if req.method == "POST" else None
        if match is None:
            return None
        form = dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
        app = self.auth.microsoft_app
        if app is None or match.group(1) != app.tenant_id:
            return _oauth_error(req, 400, "invalid_tenant", f"AADSTS90002: Tenant '{match.group(1)}' not found.")
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(
                req, 400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type."
            )
        if form.get("client_id") != app.client_id:
            return _oauth_error(
                req,
                400,
                "unauthorized_client",
                f"AADSTS700016: Application with identifier '{form.get('client_id')}' was not found.",
            )
        if form.get("client_secret") != app.client_secret:
            return _oauth_error(req, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
        if form.get("scope") != GRAPH_SCOPE:
            return _oauth_error(req, 400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.")
        grant = self._issue("microsoft", "client_credentials", app.tenant_id, "eyJ0eXAiOiJKV1QiLCJub25jZSI6.sbx-")
        body = {
            "token_type": "Bearer",
            "expires_in": self._life_s(),
            "ext_expires_in": self._life_s(),
            "access_token": grant.token,
        }
        return json_response(body, req.origin, 200, {"Cache-Control": "no-store"})

    # -- GitHub App -------------------------------------------------------------------

    _INSTALLATION_BY_ORG = re.compile(r"^/orgs/([^/]+)/installation$")
    _INSTALLATION_BY_REPO = re.compile(r"^/repos/([^/]+)/([^/]+)/installation$")
    _ACCESS_TOKENS = re.compile(r"^/app/installations/(\d+)/access_tokens$")

    def github_app(self, req: Request, org: Org) -> Response | None:
        """The answer of an app endpoint, or None for every other path."""
        by_org = self._INSTALLATION_BY_ORG.match(req.path) if req.method == "GET" else None
        by_repo = self._INSTALLATION_BY_REPO.match(req.path) if req.method == "GET" else None
        tokens = self._ACCESS_TOKENS.match(req.path) if req.method == "POST" else None
        if not (by_org or by_repo or tokens):
            return None
        app = self.auth.github_app
        problem = self._app_jwt_problem(req, app)
        if problem:
            return _github_error(req, 401, problem)
        owner = (by_org or by_repo).group(1) if (by_org or by_repo) else None
        if owner is not None:
            repos = {r["full_name"].lower() for r in org.repos}
            if by_repo and f"{owner}/{by_repo.group(2)}".lower() not in repos:
                return _github_error(req, 404, "Not Found")
            if owner.lower() != org.github_org.lower():
                return _github_error(req, 404, "Not Found")
            return json_response(_installation(app, org, req.origin + req.prefix), req.origin)
        if int(tokens.group(1)) != app.installation_id:
            return _github_error(req, 404, "Not Found")
        grant = self._issue("github", "installation", str(app.installation_id), "ghs_")
        expires = datetime.fromtimestamp(grant.expires_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {
            "token": grant.token,
            "expires_at": expires,
            "permissions": {"contents": "read", "issues": "read", "metadata": "read", "pull_requests": "read"},
            "repository_selection": "all",
        }
        return json_response(body, req.origin, 201)

    def _app_jwt_problem(self, req: Request, app: GitHubApp | None) -> str | None:
        """GitHub's message for a JWT it refuses, or None for a good one."""
        scheme, _, credential = req.headers.get("authorization", "").partition(" ")
        if app is None or scheme.lower() != "bearer" or not credential.strip():
            return "A JSON web token could not be decoded"
        try:
            claims = jwt.decode(
                credential.strip(),
                app.public_key_pem,
                algorithms=["RS256"],
                options={"require": ["iat", "exp", "iss"], "verify_iss": False},
                leeway=CLOCK_LEEWAY_S,
            )
        except jwt.ExpiredSignatureError:
            return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
        except jwt.PyJWTError:
            return "A JSON web token could not be decoded"
        if str(claims["iss"]) != str(app.app_id):
            return "'Issuer' claim ('iss') must be an Integer"
        if claims["exp"] - self._clock() > APP_JWT_MAX_LIFE_S + CLOCK_LEEWAY_S or claims["exp"] - claims["iat"] > (
            APP_JWT_MAX_LIFE_S + CLOCK_LEEWAY_S
        ):
            return "'Expiration time' claim ('exp') is too far in the future"
        return None


def new_key_pair() -> tuple[str, str]:
    """(private PEM, public PEM) of a fresh 2048-bit RSA key: the sandbox's credentials are made
    when it starts, never committed."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


DEMO_SERVICE_ACCOUNT = "loadbearing-reader@sandbox-project.iam.gserviceaccount.com"
DEMO_CLIENT = OAuthClient(
    "sandbox-client.apps.googleusercontent.com", "sandbox-client-secret", "1//sandbox-refresh-token"
)
DEMO_APP_ID = "424242"


@dataclass(frozen=True)
class DemoCredentials:
    """Keys made for one sandbox: its SandboxAuth, and the private halves a deployment would hold."""

    auth: SandboxAuth
    service_account_private_key: str
    app_private_key: str

    @classmethod
    def make(cls, token_life_s: float) -> DemoCredentials:
        account_private, account_public = new_key_pair()
        app_private, app_public = new_key_pair()
        auth = SandboxAuth(
            token_life_s=token_life_s,
            google_service_account=ServiceAccount(DEMO_SERVICE_ACCOUNT, account_public),
            google_client=DEMO_CLIENT,
            github_app=GitHubApp(DEMO_APP_ID, app_public),
        )
        return cls(auth, account_private, app_private)

    def write(self, folder, token_uri: str) -> dict[str, str]:
        """The key files in `folder` (a service account's JSON key pointing at `token_uri`, the
        app's .pem), and the settings that use them."""
        import json
        from pathlib import Path

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        key_file, pem = folder / "service-account.json", folder / "github-app.private-key.pem"
        key_file.write_text(
            json.dumps(
                {
                    "type": "service_account",
                    "project_id": "sandbox-project",
                    "private_key": self.service_account_private_key,
                    "client_email": DEMO_SERVICE_ACCOUNT,
                    "token_uri": token_uri,
                }
            )
        )
        pem.write_text(self.app_private_key)
        return {
            "SOURCES__GITHUB__APP_ID": DEMO_APP_ID,
            "SOURCES__GITHUB__APP_PRIVATE_KEY": str(pem),
            "SOURCES__CALENDAR__SERVICE_ACCOUNT_KEY": str(key_file),
        }


def _installation(app: GitHubApp, org: Org, api_root: str) -> dict:
    return {
        "id": app.installation_id,
        "app_id": int(app.app_id) if str(app.app_id).isdigit() else app.app_id,
        "account": {"login": org.github_org, "type": "Organization"},
        "target_type": "Organization",
        "repository_selection": "all",
        "access_tokens_url": f"{api_root}/app/installations/{app.installation_id}/access_tokens",
    }


def _oauth_error(req: Request, status: int, error: str, description: str) -> Response:
    return json_response({"error": error, "error_description": description}, req.origin, status)


def _github_error(req: Request, status: int, message: str) -> Response:
    return json_response(
        {"message": message, "documentation_url": GITHUB_APP_DOCS, "status": str(status)}, req.origin, status
    )
