"""GitHub → raw_github: repositories, pull requests and what hangs off them, issues,
comments and releases (docs/CONTRACTS.md, "Raw tables").

Incremental per repository; cursors and ETags live in dlt's resource state, which dlt
commits only with a successful extract, so a failed request never moves a cursor. When
the hourly quota runs low, repos' remaining work is deferred to the next run instead.
"""
from __future__ import annotations

import functools
import logging
import re
from datetime import datetime, timezone
from typing import Iterator, Sequence

import dlt

from connectors.common.http import SourceError
from connectors.common.shape import conforming
from connectors.github import settings
from connectors.github.client import GitHubClient, QuotaDeferred

# one line each: \s would let a trailer without email take the next line's "<...>"
CO_AUTHOR = re.compile(r"^[ \t]*co-authored-by:[ \t]*(?P<name>[^<\r\n]*?)[ \t]*<(?P<email>[^>\r\n]*)>[ \t\r]*$",
                       re.I | re.M)
TRAILING_NUMBER = re.compile(r"/(\d+)$")
log = logging.getLogger("loadbearing.github")


@dlt.source(name=settings.SOURCE_NAME, max_table_nesting=0)
def github_source(
    org: str | None = dlt.config.value,
    repos: Sequence[str] | None = None,
    base_url: str = settings.DEFAULT_BASE_URL,
    access_token: str = dlt.secrets.value,
    start_date: str | None = None,
):
    if not org and not repos:
        raise SourceError("GitHub: set SOURCES__GITHUB__ORG (or SOURCES__GITHUB__REPOS as owner/name list)")
    client = GitHubClient(base_url, access_token)
    start = _start_of(start_date)

    repositories = _table(dlt.resource, _repositories(client, org, list(repos or [])))
    pulls = _table(dlt.transformer, _pull_requests(client, start), repositories)
    return (
        repositories,
        pulls,
        _table(dlt.transformer, _pull_files(client), pulls, parallelized=True),
        _table(dlt.transformer, _reviews(client), pulls, parallelized=True),
        _table(dlt.transformer, _pull_commits(client), pulls, parallelized=True),
        _table(dlt.transformer, _since_list(client, settings.REVIEW_COMMENTS, start, "pull_number", "pull_request_url",
                                            "review_comments"), repositories),
        _table(dlt.transformer, _since_list(client, settings.ISSUE_COMMENTS, start, "issue_number", "issue_url",
                                            "issue_comments"), repositories),
        _table(dlt.transformer, _issues(client, start), repositories),
        _table(dlt.transformer, _releases(client, start), repositories),
    )


def _table(kind, extract, data_from=None, parallelized=False):
    """A resource named after its table, merged on the table's primary key. Children of a
    pull request (no state of their own) are fetched on dlt's worker threads."""
    name = extract.__name__
    options = {"data_from": data_from, "parallelized": parallelized} if data_from is not None else {}
    if name in settings.MERGE_KEYS:
        options["merge_key"] = settings.MERGE_KEYS[name]
    table = kind(extract, name=name, primary_key=settings.PRIMARY_KEYS[name], write_disposition="merge",
                 columns=settings.COLUMNS[name], **options)
    return table.add_map(conforming("GitHub", name, settings.COLUMNS[name], settings.ALWAYS_SENT.get(name, ()), _described))


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
    """Newest-updated first, stopping at the repo's cursor; each changed PR fetched in full.

    A PR updated while we page moves to page 1 and shifts the rest, so one PR can slip
    between two pages: when page 1 changed during a listing of several pages, list again
    (PRs already handled in this run are not fetched twice).
    A run the quota stops keeps the span of PRs it loaded ("partial"); the next run skips
    the PRs still in it (unchanged since) and goes on below it."""
    @_deferrable
    def pull_requests(repo: dict) -> Iterator[dict]:
        name = repo["full_name"]
        state = _repo_state(name)
        cursor = _parse(state.get("cursor"))
        seen = state.get("seen", {})  # PRs near the cursor already loaded: {id: updated_at}
        low, high = (_parse(at) for at in state.get("partial", (None, None)))
        floor = cursor - settings.PULLS_OVERLAP if cursor else start
        top = oldest = None  # the newest listed PR, the oldest one loaded (or known loaded) so far
        handled = {}  # {id: updated_at} of every PR listed in this run
        path, params = settings.PULLS.format(repo=name), {"state": "all", "sort": "updated", "direction": "desc"}
        etags = state.setdefault("etags", {})
        try:
            for _ in range(settings.PULLS_LISTINGS):
                pages = 0
                for page in client.pages(path, params, etags, deferrable=True):
                    pages += 1
                    for item in page:
                        updated = _parse(item["updated_at"])
                        if floor is not None and updated < floor:
                            break
                        top = max(top or updated, updated)
                        pr, at = str(item["id"]), item["updated_at"]
                        known = handled.get(pr) == at or seen.get(pr) == at or (low and low < updated <= high)
                        handled[pr] = at
                        if not known:
                            yield {**client.get(settings.PULL.format(repo=name, number=item["number"]),
                                                deferrable=True), "repo": name}
                        oldest = min(oldest or updated, updated)
                    else:
                        continue
                    break
                if pages < 2 or path not in etags or client.first_page_unchanged(path, params, etags[path][1]):
                    break
        except QuotaDeferred:
            if oldest and (high is None or oldest <= high):  # what this run loaded reaches the earlier span
                state["partial"] = [_format(min(oldest, low or oldest)), _format(top)]
            raise
        if top:
            state.pop("partial", None)
        if top and (cursor is None or top > cursor):
            state["cursor"] = _format(top)
            window = top - settings.PULLS_OVERLAP
            state["seen"] = {pr: at for pr, at in {**seen, **handled}.items() if _parse(at) >= window}
    return pull_requests


def _pull_files(client: GitHubClient):
    def pull_request_files(pull: dict) -> Iterator[dict]:
        yield from _children(client, settings.PULL_FILES, pull)
    return pull_request_files


def _reviews(client: GitHubClient):
    def reviews(pull: dict) -> Iterator[dict]:
        for review in _children(client, settings.PULL_REVIEWS, pull):
            review["state"] = (review.get("state") or "").upper()
            if review["state"] != "PENDING":  # a draft nobody else can see yet
                yield review
    return reviews


def _pull_commits(client: GitHubClient):
    def pull_request_commits(pull: dict) -> Iterator[dict]:
        for commit in _children(client, settings.PULL_COMMITS, pull):
            yield {**commit, "co_authors": co_authors((commit.get("commit") or {}).get("message") or "")}
    return pull_request_commits


def _since_list(client: GitHubClient, endpoint: str, start: datetime | None, number_column: str, url_key: str,
                table: str):
    """Repo-wide comment lists: everything updated since the repo's cursor."""
    @_deferrable
    def comments(repo: dict) -> Iterator[dict]:
        for item in _updated_since(client, endpoint, repo["full_name"], start):
            yield {**item, "repo": repo["full_name"], number_column: _number_in(item.get(url_key))}
    comments.__name__ = table
    return comments


def _issues(client: GitHubClient, start: datetime | None):
    @_deferrable
    def issues(repo: dict) -> Iterator[dict]:
        for item in _updated_since(client, settings.ISSUES, repo["full_name"], start, {"state": "all"}):
            if "pull_request" not in item:  # PRs are loaded from /pulls
                yield {**item, "repo": repo["full_name"]}
    return issues


def _releases(client: GitHubClient, start: datetime | None):
    """No `since` here; newest created first, so stop at the first one published before the cursor."""
    @_deferrable
    def releases(repo: dict) -> Iterator[dict]:
        name = repo["full_name"]
        state = _repo_state(name)
        cursor = _parse(state.get("cursor"))
        floor = cursor or start
        newest = cursor
        pages = client.pages(settings.RELEASES.format(repo=name), etags=state.setdefault("etags", {}), deferrable=True)
        for item in _until(pages, lambda r: floor is not None and _parse(r.get("published_at")) is not None
                           and _parse(r["published_at"]) < floor):
            published = _parse(item.get("published_at"))
            if published:
                newest = max(newest or published, published)
            yield {**item, "repo": name}
        if newest:
            state["cursor"] = _format(newest)
    return releases


# -- helpers --------------------------------------------------------------------------

def _until(pages: Iterator[list[dict]], done) -> Iterator[dict]:
    """Items of ordered pages up to the first one `done` says is already loaded; later pages are not fetched."""
    for page in pages:
        for item in page:
            if done(item):
                return
            yield item


def _children(client: GitHubClient, endpoint: str, pull: dict) -> Iterator[dict]:
    repo, number = pull["repo"], pull["number"]
    for page in client.pages(endpoint.format(repo=repo, number=number)):
        for item in page:
            yield {**item, "repo": repo, "pull_number": number}


def _updated_since(client: GitHubClient, endpoint: str, repo: str, start: datetime | None,
                   params: dict | None = None) -> Iterator[dict]:
    """`since` is inclusive, so the boundary item comes again and merge keeps one copy."""
    state = _repo_state(repo)
    since = _parse(state.get("cursor")) or start
    query = {**(params or {}), "sort": "updated", "direction": "asc"}
    if since:
        query["since"] = _format(since)
    newest = since
    try:
        for page in client.pages(endpoint.format(repo=repo), query, state.setdefault("etags", {}), deferrable=True):
            for item in page:
                updated = _parse(item["updated_at"])
                newest = max(newest or updated, updated)
                yield item
    finally:  # ascending: a run the quota stops has loaded everything up to `newest`
        if newest:
            state["cursor"] = _format(newest)


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
            log.warning("GitHub: %s of %s deferred to the next run: %s", dlt.current.resource_name(),
                        repo["full_name"], reason)
    return run


def _repo_state(repo: str) -> dict:
    return dlt.current.resource_state().setdefault("repos", {}).setdefault(repo, {})


def co_authors(message: str) -> list[dict]:
    """People credited by `Co-authored-by: Name <email>` trailers, in message order."""
    return [{"name": m["name"].strip(), "email": m["email"].strip()} for m in CO_AUTHOR.finditer(message)]


def _described(item: dict) -> str:
    """An item as a person finds it: its page, else its repo and number or id."""
    return item.get("html_url") or f"{item.get('repo', '')} {item.get('number') or item.get('pull_number') or item.get('id')}"


def _number_in(url: str | None) -> int | None:
    match = TRAILING_NUMBER.search(url or "")
    return int(match.group(1)) if match else None


def _start_of(start_date: str | None) -> datetime | None:
    if not start_date:
        return None
    try:
        value = datetime.fromisoformat(str(start_date))
    except ValueError:
        raise SourceError(f"GitHub: SOURCES__GITHUB__START_DATE={start_date!r} is not an ISO date") from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _format(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
