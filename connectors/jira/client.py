"""HTTP for the Jira connector: dlt's RESTClient on the shared ApiSession. Jira Cloud: basic
auth with the account's email and API token; Jira Server / Data Center: a personal access token
as Bearer, or basic auth with a username and password."""

from __future__ import annotations

from collections.abc import Iterator

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import AuthConfigBase, BearerTokenAuth, HttpBasicAuth
from dlt.sources.helpers.rest_client.paginators import BasePaginator, JSONResponseCursorPaginator
from requests import Request, Response

from connectors.common.http import ApiSession, AuthError, SourceError, SourceInfo
from connectors.jira import settings

SOURCE = SourceInfo("Jira", settings.TOKEN_SETTING)


class StartAtPaginator(BasePaginator):
    """Jira's `startAt` paging, advanced by what the page really held (Jira may cap
    `maxResults` below what was asked), until `total`/`isLast` says so or a page is empty."""

    def __init__(self, page_size: int):
        super().__init__()
        self.page_size = page_size
        self.start_at = 0

    def init_request(self, request: Request) -> None:
        request.params = {**(request.params or {}), "startAt": 0, "maxResults": self.page_size}

    def update_state(self, response: Response, data: list | None = None) -> None:
        body = response.json()
        received = len(data or [])
        self.start_at += received
        total = body.get("total") if isinstance(body, dict) else None
        is_last = body.get("isLast") if isinstance(body, dict) else None
        self._has_next_page = received > 0 and not is_last and (total is None or self.start_at < total)

    def update_request(self, request: Request) -> None:
        request.params["startAt"] = self.start_at


def _keep_response(response: Response, *args, **kwargs) -> None:
    """Replaces dlt's raise-for-status hook: ApiSession retries first, `_check` names the failure."""


def credentials(deployment: str, user: str | None, api_token: str) -> AuthConfigBase:
    """Cloud: the account's email and API token. Server: username and password, else the token as a PAT."""
    if deployment == settings.SERVER and not user:
        return BearerTokenAuth(api_token)
    return HttpBasicAuth(user, api_token)


class JiraClient:
    def __init__(
        self, site_url: str, auth: AuthConfigBase, deployment: str = settings.CLOUD, session: ApiSession | None = None
    ):
        self.session = session or ApiSession(SOURCE)
        self.deployment = deployment
        self.api = settings.APIS[deployment]
        self.rest = RESTClient(
            base_url=site_url.rstrip("/"), headers={"Accept": "application/json"}, auth=auth, session=self.session
        )

    def search(self, jql: str, fields: list[str], expand: str | None, page_size: int) -> Iterator[list[dict]]:
        """Pages of the search: Cloud's /search/jql by nextPageToken until Jira gives none; Server's
        /search by startAt, advanced by what each page held (Server caps maxResults), until `total`."""
        params = {"jql": jql, "fields": ",".join(fields), **({"expand": expand} if expand else {})}
        if self.deployment == settings.SERVER:
            yield from self._pages(self.api.search, params, StartAtPaginator(page_size), "issues")
            return
        paginator = JSONResponseCursorPaginator(cursor_path="nextPageToken", cursor_param="nextPageToken")
        yield from self._pages(self.api.search, {**params, "maxResults": page_size}, paginator, "issues")

    def issue_exists(self, id_or_key: str) -> bool:
        """False when Jira answers 404: the issue is gone (or this account may no longer see it)."""
        path = self.api.issue.format(key=id_or_key)
        response = self._checked(
            lambda: self.rest.get(path, params={"fields": "id"}, hooks={"response": [_keep_response]}), allowed=(404,)
        )
        return response.status_code != 404

    def paged(self, path: str, page_size: int, data_selector: str, params: dict | None = None) -> Iterator[list[dict]]:
        """Pages of a `startAt` list (changelog `values`, `worklogs`, `comments`, users `$`)."""
        yield from self._pages(path, params or {}, StartAtPaginator(page_size), data_selector)

    def get(self, path: str, params: dict | None = None) -> dict:
        response = self._checked(lambda: self.rest.get(path, params=params, hooks={"response": [_keep_response]}))
        return response.json()

    def _pages(self, path: str, params: dict, paginator: BasePaginator, data_selector: str) -> Iterator[list[dict]]:
        pages = self.rest.paginate(
            path, params=params, paginator=paginator, data_selector=data_selector, hooks={"response": [_keep_response]}
        )
        while True:
            page = self._checked(lambda: next(pages, None))
            if page is None:
                return
            _check(page.response)
            yield list(page)

    def _checked(self, call, allowed: tuple[int, ...] = ()):
        try:
            response = call()
        except AuthError as exc:
            account = (
                f"{settings.EMAIL_SETTING} (the account the token belongs to)"
                if self.deployment == settings.CLOUD
                else f"{settings.USERNAME_SETTING} (unset: the token is a personal access token)"
            )
            raise AuthError(f"{exc} and {account}") from None
        if isinstance(response, Response) and response.status_code not in allowed:
            _check(response)
        return response


def _check(response: Response) -> None:
    """A final error (ApiSession already retried what can be retried) fails the run, named."""
    if response.status_code < 400:
        return
    try:
        body = response.json()
        message = "; ".join(body.get("errorMessages") or []) or str(body.get("errors") or "")
    except (ValueError, AttributeError):
        message = response.text[:200]
    path = response.request.path_url.split("?")[0] if response.request else response.url
    hint = f" (check {settings.SITE_SETTING})" if response.status_code in (404, 410) else ""
    raise SourceError(f"Jira: HTTP {response.status_code} on GET {path}: {message}{hint}")
