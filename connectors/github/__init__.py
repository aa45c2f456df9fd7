"""GitHub → raw_github: repositories, pull requests and what hangs off them, issues,
comments and releases (docs/CONTRACTS.md, "Raw tables"). Pull requests with their reviews,
commits, files and review request events come from the GraphQL API, a page of PRs per query (connectors.github.graphql);
the rest from REST lists.

Incremental per repository; cursors and ETags live in dlt's resource state, which dlt
commits only with a successful extract, so a failed request never moves a cursor. When
the hourly quota runs low, repos' remaining work is deferred to the next run instead.
The cursors are per repository, not dlt.sources.incremental (one per resource): a repo
deferred by the quota must keep its own cursor while the others move on, and a repo added
later must still be backfilled from start_date.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Sequence
from datetime import datetime

import dlt

from connectors.common.http import SourceError
from connectors.common.shape import conforming, missing_field
from connectors.common.time import parse_instant, start_of, utc_seconds
from connectors.github import graphql, settings
from connectors.github.app import installation_auth
from connectors.github.client import GitHubClient, QuotaDeferred
from connectors.github.deletions import CommentWindow, tombstone
from connectors.github.pulls import PullListing

# one line each: \s would let a trailer without email take the next line's "<...>"
CO_AUTHOR = re.compile(
    r"^[ \t]*co-authored-by:[ \t]*(?P<name>[^<\r\n]*?)[ \t]*<(?P<email>[^>\r\n]*)>[ \t\r]*$", re.I | re.M
)
TRAILING_NUMBER = re.compile(r"/(\d+)$")
log = logging.getLogger("loadbearing.github")


@dlt.source(name=settings.SOURCE_NAME, max_table_nesting=0)
def github_source(
    org: str | None = dlt.config.value,
    repos: Sequence[str] | None = None,
    base_url: str = settings.DEFAULT_BASE_URL,
    access_token: str | None = dlt.secrets.value,
    start_date: str | None = None,
    app_id: str | None = None,
    app_private_key: str | None = dlt.secrets.value,
    app_installation_id: str | None = None,
):
    """Credentials: a token (`access_token`), or a GitHub App (`app_id`, `app_private_key`, and
    `app_installation_id` or the app's installation on `org`), whose installation token is renewed."""
    if not org and not repos:
        raise SourceError("GitHub: set SOURCES__GITHUB__ORG (or SOURCES__GITHUB__REPOS as owner/name list)")
    if app_id and app_private_key:
        auth = installation_auth(base_url, app_id, app_private_key, app_installation_id, org, list(repos or []))
        client = GitHubClient(base_url, auth=auth)
    elif access_token:
        client = GitHubClient(base_url, access_token)
    else:
        raise SourceError(
            f"GitHub: set {settings.TOKEN_SETTING}, or {settings.APP_ID_SETTING} and {settings.APP_PRIVATE_KEY_SETTING}"
        )
    start = start_of(start_date, "GitHub", "SOURCES__GITHUB__START_DATE")

    repositories = _table(dlt.resource, "repositories", _repositories(client, org, list(repos or [])))
    pulls = _table(dlt.transformer, "pull_requests", _pull_requests(client, start), repositories)
    return (
        repositories,
        pulls,
        _table(dlt.transformer, "pull_request_files", _nested("files"), pulls),
        _table(dlt.transformer, "reviews", _nested("reviews", _unsent_review_dropped), pulls),
        _table(dlt.transformer, "pull_request_commits", _nested("commits", _with_co_authors), pulls),
        _table(dlt.transformer, "review_requests", _nested("timelineItems"), pulls),
        _table(
            dlt.transformer,
            "review_comments",
            _since_list(client, settings.REVIEW_COMMENTS, start, "pull_number", "pull_request_url"),
            repositories,
        ),
        _table(
            dlt.transformer,
            "issue_comments",
            _since_list(client, settings.ISSUE_COMMENTS, start, "issue_number", "issue_url"),
            repositories,
        ),
        _table(dlt.transformer, "issues", _issues(client, start), repositories),
        _table(dlt.transformer, "releases", _releases(client, start), repositories),
    )


def _table(kind, name: str, extract, data_from=None):
    """The resource of table `name`, merged on the table's primary key."""
    options = {"data_from": data_from} if data_from is not None else {}
    if name in settings.MERGE_KEYS:
        options["merge_key"] = settings.MERGE_KEYS[name]
    table = kind(
        extract,
        name=name,
        primary_key=settings.PRIMARY_KEYS[name],
        write_disposition="merge",
        columns=settings.COLUMNS[name],
        **options,
    )
    return table.add_map(
        conforming("GitHub", name, settings.COLUMNS[name], settings.ALWAYS_SENT.get(name, ()), _described)
    )


# -- resources ------------------------------------------------------------------------


def _repositories(client: GitHubClient, org: str | None, repos: list[str]):
    def repositories() -> Iterator[dict]:
        if repos:
            for name in repos:
                yield client.get(settings.REPO.format(repo=name))
            return
        for page in client.pages(settings.ORG_REPOS.format(org=org), {"type": "all", "sort": "full_name"}):
            yield from page

    return repositories


def _pull_requests(client: GitHubClient, start: datetime | None):
    """Each pull request the repo's listing finds changed (connectors.github.pulls), with its
    reviews, commits, files and review request events."""

    @_deferrable
    def pull_requests(repo: dict) -> Iterator[dict]:
        name = repo["full_name"]
        for node in PullListing(client, name, _repo_state(name), start):
            yield _with_nested(client, node, name)

    return pull_requests


class PullRequest(dict):
    """A pull request's row; `nested` holds its reviews, commits and files for the child
    tables (an attribute, so they are no column of pull_requests)."""

    __slots__ = ("nested",)

    def __init__(self, row: dict):
        super().__init__(row)
        self.nested: dict[str, list[dict]] = {}


def _with_nested(client: GitHubClient, node: dict, repo: str) -> PullRequest:
    table = "pull_requests"
    try:
        pull = PullRequest(graphql.rest_pull(node, repo))
        for connection, (table, to_rest) in graphql.NESTED_ROWS.items():
            pull.nested[connection] = [to_rest(n) for n in _nested_nodes(client, node, connection)]
    except KeyError as missing:  # GraphQL answers every field asked: a gap means the API changed
        raise missing_field(
            "GitHub", table, node.get("url") or f"{repo} {node.get('number')}", missing.args[0]
        ) from None
    return pull


def _nested_nodes(client: GitHubClient, pull: dict, connection: str) -> Iterator[dict]:
    """Every node of one nested list; pages after the first are asked by the PR's node id."""
    page = pull[connection]
    yield from page["nodes"]
    while page["pageInfo"]["hasNextPage"]:
        variables = {"id": pull["id"], "after": page["pageInfo"]["endCursor"]}
        page = client.graphql(graphql.nested_query(connection), variables)["node"][connection]
        yield from page["nodes"]


def _nested(connection: str, finish=None):
    """Rows of one nested list of each loaded pull request, `finish` shaping (or, with None, dropping) each."""

    def rows(pull: PullRequest) -> Iterator[dict]:
        for row in pull.nested[connection]:
            row = {**row, "repo": pull["repo"], "pull_number": pull["number"]}
            row = finish(row) if finish else row
            if row is not None:
                yield row

    return rows


def _unsent_review_dropped(review: dict) -> dict | None:
    return None if review["state"] == "PENDING" else review  # a draft nobody else can see yet


def _with_co_authors(commit: dict) -> dict:
    return {**commit, "co_authors": co_authors(commit["commit"]["message"] or "")}


def _since_list(client: GitHubClient, endpoint: str, start: datetime | None, number_column: str, url_key: str):
    """Repo-wide comment lists: everything updated since DELETIONS_WINDOW before the repo's cursor,
    then a tombstone for each comment of that window no longer listed (connectors.github.deletions)."""

    @_deferrable
    def comments(repo: dict) -> Iterator[dict]:
        name = repo["full_name"]
        state = _repo_state(name)
        window = CommentWindow(state)
        since = window.since(parse_instant(state.get("cursor")), start)
        listing = _Listing()
        for item in _updated_since(client, endpoint, name, since, listing=listing, etags=window.etags_trusted()):
            yield {**item, "repo": name, number_column: _number_in(item.get(url_key))}
        if listing.pages:  # answered, not 304
            yield from (tombstone(comment, name) for comment in window.vanished(since, listing.ids))
            window.keep(listing.ids, parse_instant(state.get("cursor")))

    return comments


def _issues(client: GitHubClient, start: datetime | None):
    @_deferrable
    def issues(repo: dict) -> Iterator[dict]:
        name = repo["full_name"]
        since = parse_instant(_repo_state(name).get("cursor")) or start
        for item in _updated_since(client, settings.ISSUES, name, since, {"state": "all"}):
            if "pull_request" not in item:  # PRs are loaded through GraphQL
                yield {**item, "repo": name}

    return issues


def _releases(client: GitHubClient, start: datetime | None):
    """No `since` here; newest created first, so stop at the first one published before the cursor."""

    @_deferrable
    def releases(repo: dict) -> Iterator[dict]:
        name = repo["full_name"]
        state = _repo_state(name)
        cursor = parse_instant(state.get("cursor"))
        floor = cursor or start
        newest = cursor
        pages = client.pages(settings.RELEASES.format(repo=name), etags=state.setdefault("etags", {}), deferrable=True)
        for item in _until(
            pages,
            lambda r: (
                floor is not None
                and parse_instant(r.get("published_at")) is not None
                and parse_instant(r["published_at"]) < floor
            ),
        ):
            published = parse_instant(item.get("published_at"))
            if published:
                newest = max(newest or published, published)
            yield {**item, "repo": name}
        if newest:
            state["cursor"] = utc_seconds(newest)

    return releases


# -- helpers --------------------------------------------------------------------------


def _until(pages: Iterator[list[dict]], done) -> Iterator[dict]:
    """Items of ordered pages up to the first one `done` says is already loaded; later pages are not fetched."""
    for page in pages:
        for item in page:
            if done(item):
                return
            yield item


class _Listing:
    """What one listing answered: its pages and {id: updated_at} of its items."""

    def __init__(self):
        self.pages = 0
        self.ids: dict[str, str] = {}


def _updated_since(
    client: GitHubClient,
    endpoint: str,
    repo: str,
    since: datetime | None,
    params: dict | None = None,
    listing: _Listing | None = None,
    etags: bool = True,
) -> Iterator[dict]:
    """Items updated at or after `since` (inclusive: the boundary item comes again and merge keeps
    one copy); the repo's cursor moves to the newest. Without `etags`, pages are asked unconditionally."""
    state = _repo_state(repo)
    cursor = parse_instant(state.get("cursor"))
    query = {**(params or {}), "sort": "updated", "direction": "asc"}
    if since:
        query["since"] = utc_seconds(since)
    newest = cursor or since
    listing = listing or _Listing()
    known = state.setdefault("etags", {}) if etags else None
    try:
        for page in client.pages(endpoint.format(repo=repo), query, known, deferrable=True):
            listing.pages += 1
            for item in page:
                updated = parse_instant(item["updated_at"])
                newest = max(newest or updated, updated)
                listing.ids[str(item["id"])] = item["updated_at"]
                yield item
    finally:  # ascending: a run the quota stops has loaded everything up to `newest`
        if newest:
            state["cursor"] = utc_seconds(newest)


def _deferrable(per_repo):
    """A repo's part stopped by a nearly spent quota ends quietly: what it yielded is loaded
    and its state records only what is complete, so a backfill larger than an hour's quota
    goes on from there in the next run."""

    @functools.wraps(per_repo)
    def run(repo: dict) -> Iterator[dict]:
        try:
            yield from per_repo(repo)
        except QuotaDeferred as reason:
            _repo_state(repo["full_name"]).pop("etags", None)  # an unfinished first page must be read again
            log.warning(
                "GitHub: %s of %s deferred to the next run: %s", dlt.current.resource_name(), repo["full_name"], reason
            )

    return run


def _repo_state(repo: str) -> dict:
    return dlt.current.resource_state().setdefault("repos", {}).setdefault(repo, {})


def co_authors(message: str) -> list[dict]:
    """People credited by `Co-authored-by: Name <email>` trailers, in message order."""
    return [{"name": m["name"].strip(), "email": m["email"].strip()} for m in CO_AUTHOR.finditer(message)]


def _described(item: dict) -> str:
    """An item as a person finds it: its page, else its repo and number or id."""
    return (
        item.get("html_url")
        or f"{item.get('repo', '')} {item.get('number') or item.get('pull_number') or item.get('id')}"
    )


def _number_in(url: str | None) -> int | None:
    match = TRAILING_NUMBER.search(url or "")
    return int(match.group(1)) if match else None
