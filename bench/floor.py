"""The DuckDB floor: the raw pages of a backfill fetched again from the sandbox (which times its
serving rate), saved as files (one JSON-lines file per endpoint, one page a line, a list page
wrapped as {"page": [...]}), and read by DuckDB's read_json into one table per endpoint (the
GraphQL pages: one row per pull request, its nested lists kept as lists)."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import requests

from bench.minimum import GH, endpoint

# endpoints that wrap their items in an object: the key holding them
ITEMS_KEY = {
    "/jira/rest/api/3/search/jql": "issues",
    "/jira/rest/api/3/issue/{key}/changelog": "values",
    "/jira/rest/api/3/issue/{key}/worklog": "worklogs",
    "/jira/rest/api/3/issue/{key}/comment": "comments",
    "/calendar/v3/calendars/{id}/events": "items",
}
LIST_PAGES = {
    "/github/orgs/{org}/repos",
    "/github/repos/{repo}/issues",
    "/github/repos/{repo}/issues/comments",
    "/github/repos/{repo}/pulls/comments",
    "/github/repos/{repo}/releases",
    "/jira/rest/api/3/users/search",
}
NOT_JSON = {"/ics/{feed}", "/jira/rest/api/3/myself"}  # iCalendar text; one user object
GRAPHQL = f"{GH}/graphql"  # a page of pull requests, each with its reviews, commits and files
GRAPHQL_ITEMS = "data.repository.pullRequests.nodes"


@dataclass
class Replay:
    requests: int
    seconds: float
    megabytes: float
    folder: Path

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def auth_headers(server) -> dict[str, dict[str, str]]:
    tokens = server.tokens
    basic = base64.b64encode(f"{tokens.jira_email}:{tokens.jira_api_token}".encode()).decode()
    return {
        "github": {"Authorization": f"Bearer {tokens.github_token}"},
        "jira": {"Authorization": f"Basic {basic}"},
        "calendar": {"Authorization": f"Bearer {tokens.calendar_token}"},
        "ics": {},
    }


def replay(server, log, folder: Path) -> Replay:
    """Every successful GET and GraphQL query of the log again, one client, one connection,
    bodies saved per endpoint."""
    headers = auth_headers(server)
    wanted = [r for r in log if (r.method == "GET" or r.path == GRAPHQL) and r.status == 200]
    files: dict[str, object] = {}
    size = 0
    folder.mkdir(parents=True, exist_ok=True)
    with requests.Session() as session:
        started = time.monotonic()
        for record in wanted:
            url = f"{server.base_url}{record.path}"
            if record.query:
                url += "?" + urlencode(record.query)
            body = session.request(
                record.method, url, headers=headers[record.path.split("/")[1]], timeout=60, data=record.body or None
            ).content
            size += len(body)
            template = endpoint(record.path)
            if template not in files:
                files[template] = open(folder / f"{_slug(template)}.jsonl", "wb")
            out = files[template]
            if template in NOT_JSON:
                continue
            if body.lstrip().startswith(b"["):
                out.write(b'{"page":' + body + b"}")
            else:
                out.write(body)
            out.write(b"\n")
        seconds = time.monotonic() - started
    for out in files.values():
        out.close()
    return Replay(len(wanted), seconds, size / 1e6, folder)


def read_pages(folder: Path) -> tuple[float, int]:
    """Seconds DuckDB's read_json takes to turn the saved pages into tables, and the rows made."""
    pages = {
        path: max((len(line) for line in path.open("rb")), default=1)  # the longest page
        for path in sorted(folder.glob("*.jsonl"))
        if _template(path.stem) not in NOT_JSON
    }
    con = duckdb.connect(":memory:")
    rows = 0
    started = time.monotonic()
    for path, largest in pages.items():
        template = _template(path.stem)
        read = f"read_json('{path}', format = 'newline_delimited', maximum_object_size = {largest + 1})"
        key = ITEMS_KEY.get(template) or ("page" if template in LIST_PAGES else None)
        if template == GRAPHQL:  # the nested queries of long lists leave it null: no rows
            key = GRAPHQL_ITEMS
        select = f"SELECT unnest({key}, max_depth := 2) FROM {read}" if key else f"SELECT * FROM {read}"
        table = path.stem
        con.execute(f'CREATE TABLE "{table}" AS {select}')
        rows += con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
    seconds = time.monotonic() - started
    con.close()
    return seconds, rows


def _slug(template: str) -> str:
    return template.strip("/").replace("/", "~").replace("{", "(").replace("}", ")")


def _template(slug: str) -> str:
    return "/" + slug.replace("~", "/").replace("(", "{").replace(")", "}")
