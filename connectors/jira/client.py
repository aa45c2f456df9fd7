"""HTTP for the Jira connector: dlt's RESTClient on the shared ApiSession, basic auth
with the account's email and API token."""

from __future__ import annotations

from collections.abc import Iterator

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import HttpBasicAuth
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


class JiraClient:
    def __init__(self, site_url: str, email: str, api_token: str, session: ApiSession | None = None):
        self.session = session or ApiSession(SOURCE)
        self.rest = RESTClient(
            base_url=site_url.rstrip("/"),
            headers={"Accept": "application/json"},
            auth=HttpBasicAuth(email, api_token),
            session=self.session,
        )

    def search(self, jql: str, fields: list[str], expand: str) -> Iterator[list[dict]]:
        """Pages of /search/jql, following nextPageToken until Jira gives none."""
        params = {"jql": jql, "fields": ",".join(fields), "expand": expand, "maxResults": settings.SEARCH_PAGE_SIZE}
        paginator = JSONResponseCursorPaginator(cursor_path="nextPageToken", cursor_param="nextPageToken")
        yield from self._pages(settings.SEARCH, params, paginator, "issues")

    def paged(self, path: str, page_size: int, data_selector: str) -> Iterator[list[dict]]:
        """Pages of a `startAt` list (changelog `values`, `worklogs`, `comments`, users `$`)."""
        yield from self._pages(path, {}, StartAtPaginator(page_size), data_selector)

    def get(self, path: str) -> dict:
        response = self._checked(lambda: self.rest.get(path, hooks={"response": [_keep_response]}))
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

    def _checked(self, call):
        try:
            response = call()
        except AuthError as exc:
            raise AuthError(f"{exc} and {settings.EMAIL_SETTING} (the account the token belongs to)") from None
        if isinstance(response, Response):
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
