"""HTTP for the GitHub connector: dlt's RESTClient on the shared ApiSession."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.exceptions import IgnoreResponseException
from dlt.sources.helpers.rest_client.paginators import HeaderLinkPaginator
from requests import Response

from connectors.common.auth import BearerAuth
from connectors.common.http import ApiSession, SourceError, SourceInfo
from connectors.github import settings

SOURCE = SourceInfo("GitHub", settings.TOKEN_SETTING)
APP_SOURCE = SourceInfo("GitHub", f"{settings.APP_ID_SETTING} and {settings.APP_PRIVATE_KEY_SETTING}")
# GitHub answers "not found" for what the token may not see
ACCESS_HINT = (
    f" (check SOURCES__GITHUB__ORG / SOURCES__GITHUB__REPOS and that {settings.TOKEN_SETTING}, or the GitHub App's "
    "installation, can read it)"
)


def _stop_on_not_modified(response: Response, *args, **kwargs) -> None:
    # a 304 has no body: end the pagination instead of parsing it
    if response.status_code == 304:
        raise IgnoreResponseException()


class QuotaDeferred(Exception):
    """The hour's quota is nearly spent: the repo's remaining work waits for the next run."""


class GitHubClient:
    """Paged GETs with Link headers and conditional first pages; GraphQL queries.

    `etags` is a dict kept in dlt state: {path: [query, etag]} of the last first page seen.
    """

    def __init__(self, base_url: str, access_token: str | None = None, auth: BearerAuth | None = None):
        """`auth`: a GitHub App installation's (connectors.github.app); else the static `access_token`."""
        self.session = ApiSession(APP_SOURCE if auth else SOURCE)
        self.rest = RESTClient(
            base_url=base_url.rstrip("/"),
            headers={"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": settings.API_VERSION},
            auth=auth or BearerAuth(access_token),
            paginator=HeaderLinkPaginator(),
            data_selector="$",
            session=self.session,
        )
        self.graphql_url = graphql_url(base_url)
        # X-RateLimit-Remaining of the last answer per quota: REST's "core", GraphQL's "graphql" points
        self.quota_left: dict[str, int] = {}

    def _check_quota(self, deferrable: bool, resource: str = "core") -> None:
        # work already promised (the rest of a loaded PR) goes on; new work stops early
        left = self.quota_left.get(resource)
        if deferrable and left is not None and left < settings.QUOTA_RESERVE:
            raise QuotaDeferred(
                f"{left} {'points' if resource == 'graphql' else 'requests'} of this hour's {resource} quota left"
            )

    def _note_quota(self, response: Response, *args, **kwargs) -> None:
        left = response.headers.get("X-RateLimit-Remaining", "")
        if left.isdigit():
            self.quota_left[response.headers.get("X-RateLimit-Resource", "core")] = int(left)

    def pages(
        self, path: str, params: dict | None = None, etags: dict | None = None, deferrable: bool = False
    ) -> Iterator[list[dict]]:
        """Every page of a list endpoint. With `etags`, an unchanged first page (304) yields nothing.
        `deferrable` lists raise QuotaDeferred before a page when the quota runs low."""
        self._check_quota(deferrable)
        params = {**(params or {}), "per_page": settings.PAGE_SIZE}
        query = urlencode(sorted(params.items()))
        headers = {}
        if etags is not None and path in etags and etags[path][0] == query:
            headers["If-None-Match"] = etags[path][1]
        first = True
        # dlt's default hook raises inside session.send, before ApiSession could retry or name the token
        for page in self.rest.paginate(
            path, params=params, headers=headers, hooks={"response": [self._note_quota, _stop_on_not_modified]}
        ):
            _check(page.response)
            if first and etags is not None and page.response.headers.get("ETag"):
                etags[path] = [query, page.response.headers["ETag"]]
            first = False
            yield list(page)
            if page.paginator.has_next_page:
                self._check_quota(deferrable)

    def get(self, path: str, deferrable: bool = False) -> dict:
        self._check_quota(deferrable)
        response = self.rest.get(path, hooks={"response": [self._note_quota]})
        _check(response)
        return response.json()

    def graphql(self, query: str, variables: dict, deferrable: bool = False) -> dict:
        """The `data` of a GraphQL query; its errors (GitHub answers them with 200) fail the run, named."""
        self._check_quota(deferrable, "graphql")
        response = self.rest.post(
            self.graphql_url, json={"query": query, "variables": variables}, hooks={"response": [self._note_quota]}
        )
        _check(response)
        answer = response.json()
        errors = answer.get("errors") or []
        if errors:
            first = errors[0]
            kind = first.get("type") or "GRAPHQL_ERROR"
            hint = ACCESS_HINT if kind == "NOT_FOUND" else ""
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise SourceError(
                f"GitHub: GraphQL {kind} on POST {urlsplit(self.graphql_url).path} "
                f"{variables}: {first.get('message', '')}{more}{hint}"
            )
        return answer["data"]


def graphql_url(base_url: str) -> str:
    """GitHub's GraphQL endpoint beside the REST base: api.github.com/graphql, HOST/api/graphql on Enterprise."""
    base = base_url.rstrip("/")
    return base.removesuffix("/v3") + "/graphql" if base.endswith("/api/v3") else base + "/graphql"


def _check(response: Response) -> None:
    """A final error (ApiSession already retried what can be retried) fails the run, named."""
    if response.status_code >= 400:
        try:
            message = response.json().get("message", "")
        except (ValueError, AttributeError):
            message = response.text[:200]
        path = response.request.path_url.split("?")[0] if response.request else response.url
        method = response.request.method if response.request else "GET"
        hint = ACCESS_HINT if response.status_code in (403, 404) else ""
        raise SourceError(f"GitHub: HTTP {response.status_code} on {method} {path}: {message}{hint}")
