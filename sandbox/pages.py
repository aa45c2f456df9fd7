"""The browser side of the sandbox: a small HTML page at every placeholder URL an object
carries (html_url, htmlLink, Jira's /browse/KEY), so links in dashboards and evidence
packets open something, and the .ics feeds (no auth: they stand for secret-address
feeds, whose URL is the credential)."""

from __future__ import annotations

import html
from urllib.parse import unquote, urlsplit

from sandbox.model import PLACEHOLDER_ORIGIN, Org
from sandbox.oncall import oncall_incidents
from sandbox.wire import Response

HTML_TYPE = "text/html; charset=utf-8"
ICS_TYPE = "text/calendar; charset=utf-8"
PLACEHOLDER_HOST = urlsplit(PLACEHOLDER_ORIGIN).netloc
PAGERDUTY_WEB = "/pagerduty/web"  # sandbox.api_pagerduty's html_url
OPSGENIE_WEB = "/opsgenie/web"  # the account's web address (SOURCES__ONCALL__WEB_URL) the demo gives


class Pages:
    def __init__(self, org: Org):
        self.org = org
        self.titles: dict[str, tuple[str, str]] = {}  # path[?query] -> (kind, label)
        for repo in org.repos:
            self._add(repo.get("html_url"), "Repository", repo["full_name"])
        for name, pulls in org.pulls.items():
            for pull in pulls:
                self._add(pull.get("html_url"), "Pull request", f"{name}#{pull['number']}: {pull.get('title', '')}")
        for name, issues in org.issues.items():
            for issue in issues:
                self._add(issue.get("html_url"), "Issue", f"{name}#{issue['number']}: {issue.get('title', '')}")
        for name, releases in org.releases.items():
            for release in releases:
                self._add(
                    release.get("html_url"), "Release", f"{name} {release.get('name') or release.get('tag_name')}"
                )
        for kind, groups in (("Review comment", org.review_comments), ("Comment", org.issue_comments)):
            for name, comments in groups.items():
                for comment in comments:
                    self._add(comment.get("html_url"), kind, f"{name}: {(comment.get('body') or '')[:120]}")
        for (name, number), reviews in org.pull_reviews.items():
            for review in reviews:
                self._add(review.get("html_url"), "Review", f"{name}#{number}: {review.get('state')}")
        for (name, number), commits in org.pull_commits.items():
            for commit in commits:
                message = (commit.get("commit") or {}).get("message", "")
                self._add(commit.get("html_url"), "Commit", f"{name}@{commit.get('sha', '')[:7]}: {message[:120]}")
        for issue in org.jira_issues:
            summary = (issue.get("fields") or {}).get("summary", "")
            self.titles[f"/jira/browse/{issue['key']}"] = ("Jira issue", f"{issue['key']}: {summary}")
        for events in org.calendars.values():
            for event in events:
                self._add(event.get("htmlLink"), "Calendar event", event.get("summary") or "(busy)")
        for incident in oncall_incidents(org):
            self.titles[f"{PAGERDUTY_WEB}/incidents/{incident.pagerduty_id}"] = ("PagerDuty incident", incident.title)
            # Opsgenie's own alert page layout: <account web address>/alert/detail/<id>/details
            opsgenie_page = f"{OPSGENIE_WEB}/alert/detail/{incident.opsgenie_id}/details"
            self.titles[opsgenie_page] = ("Opsgenie alert", incident.title)

    def _add(self, url: str | None, kind: str, label: str) -> None:
        if not url:
            return
        parts = urlsplit(url)
        if parts.netloc != PLACEHOLDER_HOST:
            return
        key = parts.path + (f"?{parts.query}" if parts.query else "")
        self.titles.setdefault(key, (kind, label))  # a review's URL is its PR's page plus a fragment

    def page(self, path: str, raw_query: str) -> Response | None:
        found = self.titles.get(path + (f"?{raw_query}" if raw_query else "")) or self.titles.get(path)
        if found is None:
            return None
        kind, label = found
        body = (
            f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(label)}</title></head>"
            f"<body><p>{html.escape(kind)} in the Loadbearing sandbox (seed {self.org.seed})</p>"
            f"<h1>{html.escape(label)}</h1></body></html>"
        )
        return Response(200, body.encode(), {}, HTML_TYPE)

    def ics(self, path: str, origin: str) -> Response | None:
        """GET /ics/{name}.ics; None when the path is not a feed."""
        if not (path.startswith("/ics/") and path.endswith(".ics")):
            return None
        name = unquote(path[len("/ics/") : -len(".ics")])
        text = self.org.ics_feeds.get(name)
        if text is None:
            return Response(404, f"No feed named {name!r}\n".encode(), {}, "text/plain; charset=utf-8")
        return Response(200, text.replace(PLACEHOLDER_ORIGIN, origin).encode(), {}, ICS_TYPE)


def home_page(org: Org, urls: dict[str, str]) -> Response:
    """GET /: where each API lives, for a person poking at a running sandbox."""
    rows = "".join(f"<li>{html.escape(name)}: <code>{html.escape(url)}</code></li>" for name, url in urls.items())
    body = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Loadbearing sandbox</title></head><body>"
        f"<h1>Loadbearing sandbox (seed {org.seed}, clock {html.escape(org.now.isoformat())})</h1>"
        f"<ul>{rows}</ul></body></html>"
    )
    return Response(200, body.encode(), {}, HTML_TYPE)


def not_found_page(path: str) -> Response:
    body = f"<!doctype html><html><body><h1>Not found</h1><p>{html.escape(path)}</p></body></html>"
    return Response(404, body.encode(), {}, HTML_TYPE)
