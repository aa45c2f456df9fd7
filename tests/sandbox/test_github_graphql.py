"""GitHub GraphQL over real HTTP (sandbox.api_github_graphql): the connector's queries
against a small generated org, the rest against the hand-built tiny one."""

from __future__ import annotations

import math

import pytest
import requests

from connectors.github.graphql import PULLS_QUERY, nested_query
from sandbox.api_github import GitHubQuota
from sandbox.generate import generate_org
from sandbox.model import PLACEHOLDER_ORIGIN
from sandbox.server import SandboxServer
from tests.sandbox.tiny_org import OWNER, PULLS_IN_API, tiny_org

SMALL = {"seed": 3, "people": 12, "teams": 2, "months": 1}


@pytest.fixture(scope="module")
def generated():
    with SandboxServer(generate_org(**SMALL)) as running:
        yield running


@pytest.fixture
def tiny():
    with SandboxServer(tiny_org()) as running:
        yield running


def post(server, query: str, **variables) -> requests.Response:
    headers = {"Authorization": f"Bearer {server.tokens.github_token}"}
    return requests.post(
        f"{server.github_url}/graphql", json={"query": query, "variables": variables}, headers=headers, timeout=10
    )


def data(server, query: str, **variables) -> dict:
    response = post(server, query, **variables)
    assert response.status_code == 200 and "errors" not in response.json(), response.text[:500]
    return response.json()["data"]


def pulls_query(arguments: str, fields: str = "nodes { number }", variables: str = "") -> str:
    """A hand-written query of one repository's pullRequests(arguments) { fields }."""
    connection = f"pullRequests({arguments})" if arguments else "pullRequests"
    return (
        f"query($owner: String!, $name: String!{variables}) "
        f"{{ repository(owner: $owner, name: $name) {{ {connection} {{ {fields} }} }} }}"
    )


def walk_pulls(server, repo: str, first: int) -> tuple[list[dict], int]:
    """Every PR node of a repo as the connector pages PULLS_QUERY; (nodes, pages)."""
    owner, name = repo.split("/")
    nodes, after, pages = [], None, 0
    while True:
        pulls = data(server, PULLS_QUERY, owner=owner, name=name, first=first, after=after)["repository"][
            "pullRequests"
        ]
        nodes += pulls["nodes"]
        pages += 1
        if not pulls["pageInfo"]["hasNextPage"]:
            return nodes, pages
        after = pulls["pageInfo"]["endCursor"]


# -- the connector's queries ---------------------------------------------------------------


def test_pulls_query_pages_every_pull_newest_first_with_its_nested_lists(generated):
    org = generated.org
    for repo, pulls in org.pulls.items():
        nodes, pages = walk_pulls(generated, repo, first=10)
        assert pages == max(1, math.ceil(len(pulls) / 10))
        expected = sorted(pulls, key=lambda p: (p["updated_at"], p["id"]), reverse=True)
        assert [n["id"] for n in nodes] == [p["node_id"] for p in expected]  # none lost, none repeated
        for node, pull in zip(nodes, expected):
            key = (repo, pull["number"])
            assert node["url"] == pull["html_url"].replace(PLACEHOLDER_ORIGIN, generated.base_url)
            assert node["state"] == ("MERGED" if pull["merged_at"] else pull["state"].upper())
            assert node["headRefName"] == pull["head"]["ref"] and node["changedFiles"] == pull["changed_files"]
            reviews = node["reviews"]["nodes"]
            assert [int(r["url"].rsplit("-", 1)[1]) for r in reviews] == [r["id"] for r in org.pull_reviews[key]]
            assert [r["state"] for r in reviews] == [r["state"] for r in org.pull_reviews[key]]
            assert [c["commit"]["oid"] for c in node["commits"]["nodes"]] == [c["sha"] for c in org.pull_commits[key]]
            assert [(f["path"], f["changeType"]) for f in node["files"]["nodes"]] == [
                (f["filename"], "DELETED" if f["status"] == "removed" else f["status"].upper())
                for f in org.pull_files[key]
            ]
            requests = [r["requestedReviewer"] for r in node["reviewRequests"]["nodes"]]
            assert [r["login"] for r in requests if r["__typename"] == "User"] == [
                u["login"] for u in pull["requested_reviewers"]
            ]
            assert len(requests) == len(pull["requested_reviewers"]) + len(pull["requested_teams"])
            # the timeline's request events, a team's by its slug
            assert [
                (e["__typename"], e["requestedReviewer"].get("login") or e["requestedReviewer"]["slug"])
                for e in node["timelineItems"]["nodes"]
            ] == [
                (
                    "ReviewRequestedEvent" if e["event"] == "review_requested" else "ReviewRequestRemovedEvent",
                    (e.get("requested_reviewer") or e.get("requested_team"))[
                        "login" if "requested_reviewer" in e else "slug"
                    ],
                )
                for e in org.pull_timeline.get(key, [])
            ]


def test_a_bot_is_named_without_its_rest_suffix(generated):
    repo, pull = next((r, p) for r, ps in generated.org.pulls.items() for p in ps if p["user"]["type"] == "Bot")
    node = next(n for n in walk_pulls(generated, repo, first=100)[0] if n["number"] == pull["number"])
    assert node["author"] == {"__typename": "Bot", "login": pull["user"]["login"].removesuffix("[bot]")}
    assert "[bot]" in pull["user"]["login"]
    # a bot's commits: the git author has no User (GitHub's GitActor.user is a User, never a Bot)
    assert {c["commit"]["author"]["user"] is None for c in node["commits"]["nodes"]} == {True}


@pytest.mark.parametrize(
    "connection, rest", [("reviews", "pull_reviews"), ("commits", "pull_commits"), ("files", "pull_files")]
)
def test_a_nested_list_continues_with_nested_query(generated, connection, rest):
    org = generated.org
    (repo, number), items = next((k, v) for k, v in getattr(org, rest).items() if len(v) >= 3)
    pull_id = next(p["node_id"] for p in org.pulls[repo] if p["number"] == number)
    # no PR of the small org has over 100 items, so the first page is a hand-written `first: 2`
    first_page = data(
        generated,
        "query($id: ID!) { node(id: $id) { ... on PullRequest { %s(first: 2) "
        "{ pageInfo { hasNextPage endCursor } nodes { %s } } } } }"
        % (connection, {"reviews": "url", "commits": "commit { oid }", "files": "path"}[connection]),
        id=pull_id,
    )["node"][connection]
    assert first_page["pageInfo"]["hasNextPage"]
    rest_page = data(generated, nested_query(connection), id=pull_id, after=first_page["pageInfo"]["endCursor"])[
        "node"
    ][connection]
    assert not rest_page["pageInfo"]["hasNextPage"]
    seen = first_page["nodes"] + rest_page["nodes"]
    if connection == "reviews":
        assert [int(r["url"].rsplit("-", 1)[1]) for r in seen] == [r["id"] for r in items]
    elif connection == "commits":
        assert [c["commit"]["oid"] for c in seen] == [c["sha"] for c in items]
    else:
        assert [f["path"] for f in seen] == [f["filename"] for f in items]


def test_a_review_database_id_overflows_int_as_on_github(generated):
    (repo, number), reviews = next((k, v) for k, v in generated.org.pull_reviews.items() if v)
    pull_id = next(p["node_id"] for p in generated.org.pulls[repo] if p["number"] == number)
    response = post(
        generated,
        "query($id: ID!) { node(id: $id) { ... on PullRequest { databaseId fullDatabaseId "
        "reviews(first: 100) { nodes { databaseId fullDatabaseId } } } } }",
        id=pull_id,
    )
    node, errors = response.json()["data"]["node"], response.json()["errors"]
    assert reviews[0]["id"] > 2**31 - 1  # as GitHub's review ids are now; GraphQL's Int is 32-bit
    assert node["reviews"]["nodes"] == [{"databaseId": None, "fullDatabaseId": str(r["id"])} for r in reviews]
    assert len(errors) == len(reviews) and {e["path"][-1] for e in errors} == {"databaseId"}
    assert all("non 32-bit signed integer" in e["message"] for e in errors)
    assert node["fullDatabaseId"] == str(node["databaseId"])  # pull request ids still fit


def test_cost_is_githubs_formula_and_the_quota_is_graphqls_own(generated):
    repo = next(iter(generated.org.pulls))
    owner, name = repo.split("/")
    assert data(generated, "{ rateLimit { cost } }") == {"rateLimit": {"cost": 1}}  # no connection: the minimum
    before = post(generated, PULLS_QUERY, owner=owner, name=name, first=100)
    after = post(generated, PULLS_QUERY, owner=owner, name=name, first=100)
    # PULLS_QUERY with first 100: pullRequests needs 1 request; labels, reviewRequests, reviews,
    # commits, files and timelineItems (first: 100 each) need one per PR: 6 x 100. (1 + 600) / 100 = 6.01 -> 6 points
    assert after.json()["data"]["rateLimit"]["cost"] == 6
    assert int(after.headers["X-RateLimit-Used"]) - int(before.headers["X-RateLimit-Used"]) == 6
    assert after.json()["data"]["rateLimit"]["remaining"] == int(after.headers["X-RateLimit-Remaining"])
    assert after.headers["X-RateLimit-Resource"] == "graphql" and "ETag" not in after.headers
    rest = requests.get(
        f"{generated.github_url}/repos/{repo}/pulls",
        timeout=10,
        headers={"Authorization": f"Bearer {generated.tokens.github_token}"},
    )
    assert rest.headers["X-RateLimit-Resource"] == "core"


def test_the_answers_follow_the_org_as_it_advances():
    with SandboxServer(generate_org(**SMALL)) as server:
        repo = max(server.org.pulls, key=lambda r: len(server.org.pulls[r]))
        owner, name = repo.split("/")
        query = pulls_query("first: 1, orderBy: {field: UPDATED_AT, direction: DESC}", "totalCount nodes { updatedAt }")
        before = data(server, query, owner=owner, name=name)["repository"]["pullRequests"]  # the listing is built
        server.org.advance_day()
        after = data(server, query, owner=owner, name=name)["repository"]["pullRequests"]
        assert after["totalCount"] == len(server.org.pulls[repo]) > before["totalCount"]
        assert after["nodes"][0]["updatedAt"] == max(p["updated_at"] for p in server.org.pulls[repo])


# -- paging ------------------------------------------------------------------------------


def test_default_order_is_oldest_first_and_states_filter(tiny):
    query = pulls_query(
        "first: 100, states: $states", "totalCount nodes { number state }", ", $states: [PullRequestState!]"
    )
    everything = data(tiny, query, owner=OWNER, name="api")["repository"]["pullRequests"]
    assert [n["number"] for n in everything["nodes"]] == list(range(1, PULLS_IN_API + 1))  # created on day n
    merged = data(tiny, query, owner=OWNER, name="api", states=["MERGED"])["repository"]["pullRequests"]
    assert merged["totalCount"] == 4 and {n["state"] for n in merged["nodes"]} == {"MERGED"}  # odd n merged


def test_a_pull_updated_mid_listing_shifts_no_other(tiny):
    query = pulls_query(
        "first: 3, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}",
        "pageInfo { endCursor } nodes { number }",
        ", $after: String",
    )
    first = data(tiny, query, owner=OWNER, name="api")["repository"]["pullRequests"]
    assert [n["number"] for n in first["nodes"]] == [7, 6, 5]  # PR n updated on day 2n
    pull_2 = next(p for p in tiny.org.pulls[f"{OWNER}/api"] if p["number"] == 2)
    pull_2["updated_at"] = "2026-11-20T17:00:00Z"  # now the newest: it moves to the front, already read
    tiny.refresh()
    second = data(tiny, query, owner=OWNER, name="api", after=first["pageInfo"]["endCursor"])
    assert [n["number"] for n in second["repository"]["pullRequests"]["nodes"]] == [4, 3, 1]


def test_last_and_before_page_backwards_with_edges(tiny):
    query = pulls_query("last: 2", "pageInfo { hasPreviousPage hasNextPage } edges { cursor node { number } }")
    page = data(tiny, query, owner=OWNER, name="api")["repository"]["pullRequests"]
    assert [e["node"]["number"] for e in page["edges"]] == [6, 7]
    assert page["pageInfo"] == {"hasPreviousPage": True, "hasNextPage": False}
    before = pulls_query("last: 2, before: $before", variables=", $before: String")
    earlier = data(tiny, before, owner=OWNER, name="api", before=page["edges"][0]["cursor"])
    assert [n["number"] for n in earlier["repository"]["pullRequests"]["nodes"]] == [4, 5]


# -- errors ------------------------------------------------------------------------------


def graphql_errors(response: requests.Response) -> list[dict]:
    assert response.status_code == 200, response.text[:300]
    return response.json()["errors"]


def test_unknown_repository_is_not_found_with_200(tiny):
    response = post(tiny, PULLS_QUERY, owner=OWNER, name="nope")
    [error] = graphql_errors(response)
    assert error["type"] == "NOT_FOUND" and error["path"] == ["repository"]
    assert error["message"] == f"Could not resolve to a Repository with the name '{OWNER}/nope'."
    assert response.json()["data"]["repository"] is None


def test_unknown_node_is_not_found(tiny):
    [error] = graphql_errors(post(tiny, nested_query("files"), id="PR_nope"))
    assert error["type"] == "NOT_FOUND" and error["message"].endswith("global id of 'PR_nope'.")


@pytest.mark.parametrize(
    "arguments, kind",
    [
        ("first: 101", "EXCESSIVE_PAGINATION"),
        ("last: 500", "EXCESSIVE_PAGINATION"),
        ("", "MISSING_PAGINATION_BOUNDARIES"),
        ('first: 2, after: "bm90IGEgY3Vyc29y"', "INVALID_CURSOR_ARGUMENTS"),
    ],
)
def test_pagination_arguments_are_checked_like_github(tiny, arguments, kind):
    response = post(tiny, pulls_query(arguments), owner=OWNER, name="api")
    [error] = graphql_errors(response)
    assert error["type"] == kind and error["path"] == ["repository", "pullRequests"]
    assert response.json()["data"]["repository"] is None
    if kind == "MISSING_PAGINATION_BOUNDARIES":  # ... unless only the count is asked
        assert data(tiny, pulls_query("", "totalCount"), owner=OWNER, name="api") == {
            "repository": {"pullRequests": {"totalCount": PULLS_IN_API}}
        }


def test_syntax_and_validation_errors_have_no_data(tiny):
    for query in ("{ repository(", '{ repository(owner: "a", name: "b") { stars } }'):
        response = post(tiny, query)
        assert graphql_errors(response)[0]["locations"] and "data" not in response.json()


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
def test_bad_credentials_are_401(tiny, headers):
    response = requests.post(
        f"{tiny.github_url}/graphql", json={"query": "{ rateLimit { cost } }"}, headers=headers, timeout=5
    )
    assert response.status_code == 401
    assert response.json()["message"] == "Bad credentials"
    assert response.json()["documentation_url"] == "https://docs.github.com/graphql"


def test_a_body_that_is_not_json_is_400(tiny):
    response = requests.post(
        f"{tiny.github_url}/graphql",
        data=b"{query",
        timeout=5,
        headers={"Authorization": f"Bearer {tiny.tokens.github_token}"},
    )
    assert response.status_code == 400 and response.json()["message"] == "Problems parsing JSON"


def test_injected_502_on_graphql_is_answered_then_the_query_runs(tiny):
    tiny.faults.add(r"^/github/graphql$", 502, times=1)
    assert post(tiny, "{ rateLimit { cost } }").status_code == 502
    assert data(tiny, "{ rateLimit { cost } }") == {"rateLimit": {"cost": 1}}
    assert [(r.method, r.path, r.status) for r in tiny.request_log] == [
        ("POST", "/github/graphql", 502),
        ("POST", "/github/graphql", 200),
    ]


def test_an_enforced_spent_quota_is_rate_limited_and_leaves_rest_alone():
    with SandboxServer(tiny_org(), graphql_quota=GitHubQuota(limit=7, enforce=True, resource="graphql")) as server:
        query = {"owner": OWNER, "name": "api", "first": 100}  # PULLS_QUERY costs 6 points
        assert post(server, PULLS_QUERY, **query).json()["data"]["rateLimit"]["remaining"] == 1
        limited = post(server, PULLS_QUERY, **query)
        assert limited.status_code == 200
        assert limited.json() == {
            "errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}]
        }
        assert limited.headers["X-RateLimit-Remaining"] == "1"
        assert data(server, "{ rateLimit { cost remaining } }") == {"rateLimit": {"cost": 1, "remaining": 0}}
        rest = requests.get(
            f"{server.github_url}/orgs/{OWNER}/repos",
            timeout=5,
            headers={"Authorization": f"Bearer {server.tokens.github_token}"},
        )
        assert rest.status_code == 200 and rest.headers["X-RateLimit-Used"] == "1"
