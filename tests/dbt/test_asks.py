"""Who was asked for the work: review requests from the pull request timelines
(fct_review_exchange) against the sandbox's ground truth, and fct_asked_vs_volunteered against
the organization's own records, on an organization the real connectors load from the sandbox."""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest


@pytest.fixture(scope="module")
def built(small_org, loaded_warehouse, dbt):
    work = loaded_warehouse.parent
    # the two marts, the people, what they are built from, and the tests of these alone
    dbt(
        loaded_warehouse,
        work,
        "build",
        "--select",
        "+fct_review_exchange",
        "+fct_asked_vs_volunteered",
        "+dim_people",
        "--indirect-selection",
        "cautious",
    )
    return loaded_warehouse


def _query(warehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _truth_review_asks(org) -> Counter:
    """(reviewer, PR author, how asked) -> submitted reviews, both people of the roster."""
    login = {name: p["person_id"] for p in org.people for name in p["github_logins"]}
    asked_as = {"user": "requested", "team": "requested_as_team"}
    found = Counter()
    for (repo, number), reviews in org.pull_reviews.items():
        pull = next(p for p in org.pulls[repo] if p["number"] == number)
        author = login.get(pull["user"]["login"])
        for review in reviews:
            reviewer = login.get(review["user"]["login"])
            if review["state"] != "PENDING" and None not in (author, reviewer) and reviewer != author:
                how = asked_as.get(org.ground_truth["review_requests"].get(str(review["id"])), "unrequested")
                found[reviewer, author, how] += 1
    return found


def test_requested_reviews_match_the_sandbox_truth(small_org, built):
    # GIVEN the sandbox's record of whom each author asked, in person or as a team, and withdrawals
    truth = _truth_review_asks(small_org)
    assert {how for _, _, how in truth} == {"requested", "requested_as_team", "unrequested"}
    # WHEN the timelines are loaded and modelled
    rows = _query(
        built,
        """select r.person_id, a.person_id, x.requested, x.requested_as_team, x.unrequested, x.reviews
        from marts.fct_review_exchange as x
        join marts.dim_people as r on x.reviewer_key = r.person_key
        join marts.dim_people as a on x.author_key = a.person_key""",
    )
    # THEN each pair's counts agree with the truth, within 2 % overall and per kind
    assert rows and all(requested + team + unrequested == reviews for *_, requested, team, unrequested, reviews in rows)
    for column, how in enumerate(["requested", "requested_as_team", "unrequested"], start=2):
        expected = sum(n for (_, _, kind), n in truth.items() if kind == how)
        counted = sum(row[column] for row in rows)
        assert abs(counted - expected) <= 0.02 * expected, f"{how}: {counted} in the mart, {expected} in the truth"
        off = [row[:2] for row in rows if abs(row[column] - truth[row[0], row[1], how]) > max(1, 0.02 * row[5])]
        assert not off, f"{how} differs for {off}"


def _truth_jira_asks(org) -> dict[str, bool]:
    """Finished issue id -> whether someone other than its completer gave it to them, replayed
    from the issues' changelogs (for an issue never reassigned: its reporter)."""
    out = {}
    for issue in org.jira_issues:
        fields = issue["fields"]
        if fields["status"]["statusCategory"]["key"] != "done" or not fields["assignee"]:
            continue
        histories = sorted(issue["changelog"]["histories"], key=lambda h: (h["created"], int(h["id"])))
        done_at = max(h["created"] for h in histories if any(i["field"] == "resolution" for i in h["items"]))
        assignee_changes = [h for h in histories for i in h["items"] if i["field"] == "assignee"]
        completer = next(
            (
                i["to"]
                for h in reversed(histories)
                if h["created"] <= done_at
                for i in h["items"]
                if i["field"] == "assignee"
            ),
            fields["assignee"]["accountId"],
        )
        to_completer = [
            h for h in assignee_changes if h["created"] <= done_at and any(i["to"] == completer for i in h["items"])
        ]
        if to_completer:
            by = to_completer[-1]["author"]["accountId"]
        elif not assignee_changes:
            by = (fields.get("reporter") or {}).get("accountId")
        else:
            continue
        if by:
            out[issue["id"]] = by != completer
    return out


def test_asked_vs_volunteered_counts_what_the_records_say(small_org, built):
    rows = _query(
        built,
        """select signal, sum(asked), sum(volunteered), sum(items), count(distinct work_category)
        from marts.fct_asked_vs_volunteered group by signal""",
    )
    found = {signal: (asked, volunteered, items, categories) for signal, asked, volunteered, items, categories in rows}
    assert set(found) == {"review", "jira_issue", "meeting"}
    assert all(
        asked + volunteered == items and asked and volunteered for asked, volunteered, items, _ in found.values()
    )
    # reviews: those of hidden categories, asked as fct_review_exchange's timeline says
    hidden = _query(
        built,
        """select sum(case when a.request_kind = 'unrequested' then 0 else 1 end), count(*)
        from marts.fct_work_events as e
        join marts.dim_work_categories as c using (work_category)
        join intermediate.int_github__review_asks as a on e.object_id = cast(a.review_id as varchar)
        where e.activity_type = 'review_submitted' and c.kind = 'hidden'""",
    )[0]
    assert found["review"][0] == hidden[0] and found["review"][2] == hidden[1]
    # Jira: issues someone else assigned vs self-assigned, as the changelogs replayed say
    truth = _truth_jira_asks(small_org)
    loaded = _query(
        built,
        """select e.object_id from marts.fct_work_events as e join marts.dim_work_categories as c using (work_category)
        where e.activity_type = 'jira_issue_completed' and c.kind = 'hidden'""",
    )
    known = [issue for (issue,) in loaded if issue in truth]
    assert found["jira_issue"][2] == len(known)
    assert found["jira_issue"][0] == sum(truth[issue] for issue in known)
