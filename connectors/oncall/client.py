"""HTTP for the on-call connector: dlt's RESTClient on the shared ApiSession, with PagerDuty's
`Token token=` or Opsgenie's `GenieKey` authorization, and each API's paging."""

from __future__ import annotations

from collections.abc import Iterator

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import APIKeyAuth
from dlt.sources.helpers.rest_client.paginators import BasePaginator, JSONLinkPaginator, OffsetPaginator
from requests import Response

from connectors.common.http import ApiSession, SourceError, SourceInfo
from connectors.oncall import settings

NAMES = {"pagerduty": "PagerDuty", "opsgenie": "Opsgenie"}
AUTHORIZATION = {"pagerduty": "Token token={key}", "opsgenie": "GenieKey {key}"}
ACCEPT = {"pagerduty": settings.PAGERDUTY_ACCEPT, "opsgenie": "application/json"}


def _keep_response(response: Response, *args, **kwargs) -> None:
    """Replaces dlt's raise-for-status hook: ApiSession retries first, `_check` names the failure."""


class OncallClient:
    def __init__(self, provider: str, api_key: str, base_url: str, session: ApiSession | None = None):
        self.provider = provider
        self.name = NAMES[provider]
        self.session = session or ApiSession(SourceInfo(self.name, settings.API_KEY_SETTING))
        self.rest = RESTClient(
            base_url=base_url.rstrip("/"),
            headers={"Accept": ACCEPT[provider]},
            auth=APIKeyAuth(name="Authorization", api_key=AUTHORIZATION[provider].format(key=api_key)),
            session=self.session,
        )

    def pagerduty_pages(self, path: str, params: dict, data_selector: str) -> Iterator[list[dict]]:
        """Pages of a PagerDuty list: `offset`/`limit`, until `more` is false."""
        paginator = OffsetPaginator(limit=settings.PAGERDUTY_PAGE_SIZE, total_path=None, has_more_path="more")
        yield from self._pages(path, params, paginator, data_selector)

    def opsgenie_pages(self, path: str, params: dict) -> Iterator[list[dict]]:
        """Pages of an Opsgenie list: `data`, following `paging.next` until there is none."""
        params = {"limit": settings.OPSGENIE_PAGE_SIZE, **params}
        yield from self._pages(path, params, JSONLinkPaginator(next_url_path="paging.next"), "data")

    def _pages(self, path: str, params: dict, paginator: BasePaginator, data_selector: str) -> Iterator[list[dict]]:
        pages = self.rest.paginate(
            path, params=params, paginator=paginator, data_selector=data_selector, hooks={"response": [_keep_response]}
        )
        for page in pages:
            self._check(page.response)
            yield list(page)

    def _check(self, response: Response) -> None:
        """A final error (ApiSession already retried what can be retried) fails the run, named."""
        if response.status_code < 400:
            return
        try:
            body = response.json()
            message = (body.get("error") or {}).get("message") if "error" in body else body.get("message")
        except (ValueError, AttributeError):
            message = response.text[:200]
        path = response.request.path_url.split("?")[0] if response.request else response.url
        hint = f" (check {settings.BASE_URL_SETTING})" if response.status_code == 404 else ""
        raise SourceError(f"{self.name}: HTTP {response.status_code} on GET {path}: {message}{hint}")
