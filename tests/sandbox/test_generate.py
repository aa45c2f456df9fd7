"""The synthetic organization: deterministic, API-shaped, self-consistent ground truth,
a story with the planted roles, and text that varies like real text."""

import csv
import json
import re
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from connectors.people.settings import COLUMNS as ROSTER_COLUMNS
from sandbox import text
from sandbox.generate import generate_org, write_ground_truth, write_roster
from sandbox.truth import ics_instances, parse_time

FIXTURES = Path(__file__).parents[1] / "fixtures"
CATEGORIES = {
    "launch",
    "design_leadership",
    "incident_response",
    "code_review",
    "onboarding_mentoring",
    "maintenance",
    "documentation",
    "coordination",
    "hiring",
    "covering",
    "other",
}
JIRA_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")
SMALL = {"seed": 11, "people": 16, "teams": 3, "months": 1}


@pytest.fixture(scope="module")
def org():
    started = time.perf_counter()
    made = generate_org()
    print(f"\ngenerate_org() (60 people, 8 teams, 6 months) took {time.perf_counter() - started:.2f} s")
    return made


def snapshot(o) -> str:
    return json.dumps(
        [
            o.ground_truth,
            o.pulls and {k: v for k, v in o.pulls.items()},
            o.jira_issues,
            o.calendars,
            o.ics_feeds,
            o.people,
        ],
        sort_keys=True,
        default=str,
    )


def by_type(o, activity_type):
    return [a for a in o.ground_truth["activities"] if a["activity_type"] == activity_type]


def all_pulls(o):
    return [(full, pull) for full, pulls in o.pulls.items() for pull in pulls]


# --- determinism and speed ---------------------------------------------------------------------


def test_same_seed_gives_the_same_organization_and_another_seed_another():
    first, second, other = generate_org(**SMALL), generate_org(**SMALL), generate_org(**{**SMALL, "seed": 12})
    assert snapshot(first) == snapshot(second)
    assert snapshot(first) != snapshot(other)


def test_the_default_organization_is_generated_quickly(org):
    started = time.perf_counter()
    generate_org(seed=8)
    elapsed = time.perf_counter() - started
    print(f"generate_org(seed=8) took {elapsed:.2f} s")
    assert elapsed < 15  # ~2 s on an idle 2-core machine; slack for a loaded one


# --- volume and ground truth ------------------------------------------------------------------


def test_volumes_are_those_of_a_real_sixty_person_org(org):
    counts = org.ground_truth["counts"]
    assert 1500 <= counts["raw_github.pull_requests"] <= 5000
    assert 10 <= counts["raw_github.repositories"] <= 14
    assert 10_000 <= len(org.ground_truth["activities"]) <= 30_000
    assert org.ground_truth["people"] == 60 and org.ground_truth["teams"] == 8


def test_counts_match_the_objects_as_the_connectors_load_them(org):
    counts = org.ground_truth["counts"]
    assert counts["raw_github.pull_requests"] == sum(len(v) for v in org.pulls.values())
    assert counts["raw_github.reviews"] == sum(
        1 for v in org.pull_reviews.values() for r in v if r["state"] != "PENDING"
    )
    assert counts["raw_github.issues"] == sum(1 for v in org.issues.values() for i in v if "pull_request" not in i)
    # every pull request also appears among the issues, as in the API
    assert sum(1 for v in org.issues.values() for i in v if "pull_request" in i) == counts["raw_github.pull_requests"]
    assert counts["raw_jira.issue_changelogs"] == sum(len(i["changelog"]["histories"]) for i in org.jira_issues)
    assert counts["raw_jira.users"] == len(org.jira_users)
    google = sum(len(v) for v in org.calendars.values())
    assert counts["raw_calendar.events"] == google + len(ics_instances(org))
    assert counts["raw_people.people"] == 60
    # a PENDING review exists and is not counted
    assert any(r["state"] == "PENDING" and "submitted_at" not in r for v in org.pull_reviews.values() for r in v)


def test_activities_are_unique_and_use_the_taxonomy(org):
    keys = [(a["source"], a["activity_type"], a["object_id"], a["person_id"]) for a in org.ground_truth["activities"]]
    assert len(keys) == len(set(keys))
    found = Counter(a["category"] for a in org.ground_truth["activities"])
    assert set(found) == CATEGORIES, set(found) ^ CATEGORIES
    roster = {p["person_id"] for p in org.people}
    assert {a["person_id"] for a in org.ground_truth["activities"]} <= roster


def test_not_activities_stay_out_of_the_truth(org):
    activity_ids = {(a["activity_type"], a["object_id"], a["person_id"]) for a in org.ground_truth["activities"]}
    login = {l: p["person_id"] for p in org.people for l in p["github_logins"]}
    reviews = [(r, org.pulls) for v in org.pull_reviews.values() for r in v]
    pending = [r for r, _ in reviews if r["state"] == "PENDING"]
    assert not any(("review_submitted", str(r["id"]), login.get(r["user"]["login"])) in activity_ids for r in pending)
    bot_prs = [(full, p) for full, p in all_pulls(org) if p["user"]["type"] == "Bot"]
    assert bot_prs
    assert not any(
        a["object_id"] == f"{full}#{p['number']}" for full, p in bot_prs for a in by_type(org, "pr_authored")
    )
    # self-reviews exist (COMMENTED, e.g. replies to review comments) and are not reviews
    self_reviews = [
        (key, r)
        for key, v in org.pull_reviews.items()
        for r in v
        if login.get(r["user"]["login"])
        and login.get(r["user"]["login"])
        == login.get(next(p for p in org.pulls[key[0]] if p["number"] == key[1])["user"]["login"])
    ]
    assert self_reviews and all(r["state"] == "COMMENTED" for _, r in self_reviews)
    assert not any(
        ("review_submitted", str(r["id"]), login[r["user"]["login"]]) in activity_ids for _, r in self_reviews
    )
    # calendar entries that are not meetings
    events = {e["id"]: e for v in org.calendars.values() for e in v}
    kinds = Counter(e.get("eventType") for e in events.values())
    assert kinds["focusTime"] and kinds["outOfOffice"] and kinds["workingLocation"]
    excluded = [
        e
        for e in events.values()
        if e["status"] == "cancelled"
        or e.get("eventType", "default") != "default"
        or e.get("transparency") == "transparent"
        or len(e.get("attendees", [])) > 100
    ]
    assert any(len(e.get("attendees", [])) > 100 for e in excluded)
    meeting_ids = {a["object_id"] for a in org.ground_truth["activities"] if a["source"] == "calendar"}
    assert not meeting_ids & {e["id"] for e in excluded}
    declined = [
        (e["id"], a["email"])
        for e in events.values()
        if e["status"] != "cancelled" and e.get("eventType") == "default"
        for a in e.get("attendees", [])
        if a["responseStatus"] == "declined"
    ]
    email = {m: p["person_id"] for p in org.people for m in p["emails"]}
    assert declined
    assert not any(("meeting_attended", eid, email.get(m)) in activity_ids for eid, m in declined)


def test_ground_truth_and_roster_files(org, tmp_path):
    write_ground_truth(org, tmp_path / "truth.json")
    written = json.loads((tmp_path / "truth.json").read_text())
    assert written["counts"] == org.ground_truth["counts"]
    assert set(written["planted"]) == {
        "incident_review_sink",
        "pr_finisher",
        "new_hires",
        "release_coordinator",
        "launch_shippers",
        "competence_trap",
        "personal_target",
        "not_seeking_promotion",
    }
    write_roster(org, tmp_path / "roster.csv")
    rows = list(csv.DictReader((tmp_path / "roster.csv").open(encoding="utf-8")))
    assert len(rows) == 60
    assert list(rows[0]) == ROSTER_COLUMNS  # what the people connector reads
    assert any(";" in r["github_logins"] for r in rows) and any(";" in r["emails"] for r in rows)
    assert all(isinstance(json.loads(r["attributes"]), dict) for r in rows)
    assert {r["time_zone"] for r in rows} >= {"America/New_York", "Europe/Berlin", "Asia/Kolkata"}
    # personal targets and intent: a few set, the rest left to the defaults
    targets = {r["person_id"]: r["target_promotable_share"] for r in rows if r["target_promotable_share"]}
    not_seeking = {r["person_id"] for r in rows if r["seeks_promotion"] == "False"}
    assert targets == {p["person_id"]: "0.5" for p in written["planted"]["personal_target"]} and len(targets) == 3
    assert (
        not_seeking == {p["person_id"] for p in written["planted"]["not_seeking_promotion"]} and len(not_seeking) == 3
    )
    assert {r["seeks_promotion"] for r in rows} == {"", "False"}


def test_personal_targets_and_intent_leave_the_planted_roles_alone(org):
    """The trap person and the launch shippers keep the default target and seek promotion, so the
    planted-pattern checks (harness/accuracy.py) still hold."""
    planted = org.ground_truth["planted"]
    roles = {
        p["person_id"] for key in ("competence_trap", "launch_shippers", "incident_review_sink") for p in planted[key]
    }
    chosen = {p["person_id"] for key in ("personal_target", "not_seeking_promotion") for p in planted[key]}
    assert chosen and not chosen & roles


# --- the planted story -----------------------------------------------------------------------------


def test_incident_review_sinks_carry_their_teams_incidents_and_reviews(org):
    for planted in org.ground_truth["planted"]["incident_review_sink"]:
        team = {p["person_id"] for p in org.people if p["team"] == planted["team"]}
        for category in ("incident_response", "code_review"):
            load = Counter(
                a["person_id"]
                for a in org.ground_truth["activities"]
                if a["category"] == category and a["person_id"] in team
            )
            assert load.most_common(1)[0][0] == planted["person_id"], (category, load.most_common(3))
    # at night too: a share of a sink's reviews is submitted between 22:00 and 08:00 their time
    for planted in org.ground_truth["planted"]["incident_review_sink"]:
        person = next(p for p in org.people if p["person_id"] == planted["person_id"])
        zone = ZoneInfo(person["time_zone"])
        hours = [
            parse_time(r["submitted_at"]).astimezone(zone).hour
            for v in org.pull_reviews.values()
            for r in v
            if r["user"]["login"] in person["github_logins"] and "submitted_at" in r
        ]
        night = [h for h in hours if h >= 22 or h < 8]
        assert len(night) / len(hours) > 0.05, (planted, len(night), len(hours))


def test_new_hires_are_onboarded_by_their_buddies(org):
    start = {p["person_id"]: date.fromisoformat(p["start_date"]) for p in org.people}
    for planted in org.ground_truth["planted"]["new_hires"]:
        hire, buddy = planted["person_id"], planted["buddy_id"]
        assert (org.now.date() - start[hire]).days <= 90
        mentoring = [
            a
            for a in org.ground_truth["activities"]
            if a["person_id"] == buddy and a["category"] == "onboarding_mentoring"
        ]
        assert {"github", "calendar"} <= {a["source"] for a in mentoring}  # self-reports may add to them


def test_finishers_coordinator_shippers_and_the_competence_trap(org):
    acts = org.ground_truth["activities"]
    covering = Counter(a["person_id"] for a in acts if a["category"] == "covering")
    for planted in org.ground_truth["planted"]["pr_finisher"]:
        assert planted["person_id"] in {p for p, _ in covering.most_common(5)}
    releases = Counter(a["person_id"] for a in by_type(org, "release_published"))
    assert releases.most_common(1)[0][0] == org.ground_truth["planted"]["release_coordinator"][0]["person_id"]
    launch = Counter(a["person_id"] for a in acts if a["category"] == "launch")
    for planted in org.ground_truth["planted"]["launch_shippers"]:
        assert planted["person_id"] in {p for p, _ in launch.most_common(8)}
    trap = org.ground_truth["planted"]["competence_trap"][0]["person_id"]
    mine = Counter(a["category"] for a in acts if a["person_id"] == trap)
    assert mine["launch"] + mine["design_leadership"] < 0.03 * sum(mine.values()), mine
    assert mine["code_review"] + mine["maintenance"] + mine["coordination"] > 100


# --- the clock ----------------------------------------------------------------------------------------


def test_nothing_is_dated_outside_the_window(org):
    stamps = [parse_time(p[f]) for _, p in all_pulls(org) for f in ("created_at", "updated_at")]
    stamps += [parse_time(i["fields"]["updated"]) for i in org.jira_issues]
    stamps += [parse_time(w["started"]) for v in org.jira_worklogs.values() for w in v]
    stamps += [
        parse_time(c["created_at"])
        for v in list(org.issue_comments.values()) + list(org.review_comments.values())
        for c in v
    ]
    stamps += [parse_time(r["submitted_at"]) for v in org.pull_reviews.values() for r in v if "submitted_at" in r]
    stamps += [parse_time(e["updated"]) for v in org.calendars.values() for e in v]
    assert org.start <= min(stamps) and max(stamps) <= org.now
    for instance in (i for _, i in ics_instances(org)):
        assert org.start <= instance["start"] <= org.now


def test_advance_day_adds_new_objects_and_updates_old_ones():
    o = generate_org(**SMALL)
    before, counts = o.now, dict(o.ground_truth["counts"])
    activities = len(o.ground_truth["activities"])
    o.advance_day()
    assert o.now == before + timedelta(days=1)
    assert sum(o.ground_truth["counts"].values()) > sum(counts.values())
    for _ in range(3):  # through a weekend, into a working Monday
        o.advance_day()
    assert o.now == before + timedelta(days=4)
    after = o.ground_truth["counts"]
    assert after["raw_github.pull_requests"] > counts["raw_github.pull_requests"]
    assert after["raw_calendar.events"] > counts["raw_calendar.events"]
    assert after["raw_jira.issue_changelogs"] > counts["raw_jira.issue_changelogs"]
    assert len(o.ground_truth["activities"]) > activities
    updated_old = [p for _, p in all_pulls(o) if parse_time(p["created_at"]) < before <= parse_time(p["updated_at"])]
    assert updated_old, "no pull request opened before the day was touched during it"
    assert max(parse_time(p["updated_at"]) for _, p in all_pulls(o)) <= o.now
    assert o.ics_feeds and all(i["start"] <= o.now for _, i in ics_instances(o))


# --- shapes of the objects -------------------------------------------------------------------------


def example(operation: str):
    spec = json.loads((FIXTURES / "github" / "github-rest-openapi-examples-subset.json").read_text())
    found = spec["operations"][operation]["examples"]["default"]
    return found[0] if isinstance(found, list) else found


def test_github_objects_have_the_keys_of_the_official_examples(org):
    full, pull = all_pulls(org)[0]
    key = (full, pull["number"])
    review = next(r for v in org.pull_reviews.values() for r in v if r["state"] == "APPROVED")
    assert set(example("pulls/get")) <= set(pull)
    assert set(example("pulls/get")["user"]) <= set(pull["user"])
    assert set(example("pulls/list-reviews")) <= set(review)
    assert set(example("pulls/list-commits")) <= set(org.pull_commits[key][0])
    assert set(example("pulls/list-review-comments-for-repo")) - {"in_reply_to_id"} <= set(org.review_comments[full][0])
    assert set(example("issues/list-comments-for-repo")) - {"minimized"} <= set(org.issue_comments[full][0])
    assert pull["html_url"] == f"http://sandbox.invalid/web/github/{full}/pull/{pull['number']}"
    co_authored = [c for v in org.pull_commits.values() for c in v if "\n\nCo-authored-by: " in c["commit"]["message"]]
    assert co_authored
    assert {p["author_association"] for _, p in all_pulls(org)} >= {"MEMBER", "FIRST_TIME_CONTRIBUTOR", "CONTRIBUTOR"}


def test_jira_objects_look_like_jira_cloud(org):
    issue = next(i for i in org.jira_issues if i["changelog"]["histories"] and i["fields"]["resolutiondate"])
    assert re.match(r"^[A-Z0-9]+-\d+$", issue["key"]) and issue["self"].endswith(f"/rest/api/3/issue/{issue['id']}")
    for stamp in (issue["fields"]["created"], issue["fields"]["updated"], issue["fields"]["resolutiondate"]):
        assert JIRA_TIME.match(stamp), stamp
    fields = {item["field"] for i in org.jira_issues for h in i["changelog"]["histories"] for item in h["items"]}
    assert fields >= {"status", "assignee", "Sprint", "Rank", "Fix Version", "priority", "resolution"}
    assert {i["fields"]["issuetype"]["name"] for i in org.jira_issues} >= {
        "Story",
        "Bug",
        "Task",
        "Incident",
        "Spike",
        "Epic",
    }
    assert {u["accountType"] for u in org.jira_users} == {"atlassian", "app"}
    worklog = next(w for v in org.jira_worklogs.values() for w in v)
    assert {"id", "issueId", "author", "started", "timeSpentSeconds", "created", "updated"} <= set(worklog)
    comment = next(c for v in org.jira_comments.values() for c in v)
    assert comment["body"]["type"] == "doc"


def test_calendar_events_look_like_google_events(org):
    events = [e for v in org.calendars.values() for e in v]
    instance = next(e for e in events if "recurringEventId" in e and e["status"] == "confirmed")
    assert instance["id"].startswith(instance["recurringEventId"] + "_") and "originalStartTime" in instance
    assert re.match(r"^\d{8}T\d{6}Z$", instance["id"].rsplit("_", 1)[1])
    assert any(e["status"] == "cancelled" for e in events)
    assert any(e.get("visibility") == "private" for e in events)
    assert any("date" in e.get("start", {}) for e in events)
    moved = [
        e
        for e in events
        if "originalStartTime" in e
        and "start" in e
        and parse_time(e["originalStartTime"]["dateTime"]) != parse_time(e["start"]["dateTime"])
    ]
    assert moved
    # the same event is in the organizer's and every attendee's calendar, marked `self` there
    shared = next(e for e in events if len(e.get("attendees", [])) > 3 and e["organizer"].get("self"))
    holders = [cal for cal, v in org.calendars.items() if any(x["id"] == shared["id"] for x in v)]
    assert len(holders) >= 3
    # (calendar_id, id) is the raw table's key
    keys = [(cal, e["id"]) for cal, v in org.calendars.items() for e in v]
    assert len(keys) == len(set(keys))


def test_ics_feeds_expand_with_exceptions(org):
    assert len(org.ics_feeds) == 2
    oncall = next(body for name, body in org.ics_feeds.items() if name.startswith("oncall-"))
    assert "RRULE:FREQ=WEEKLY" in oncall and "EXDATE" in oncall and "RECURRENCE-ID" in oncall
    instances = ics_instances(org)
    ids = [i["id"] for _, i in instances]
    assert len(ids) == len(set(ids))
    assert any(re.search(r"_\d{8}T\d{6}Z$", i) for i in ids)


# --- text varies like real text ---------------------------------------------------------------------


def pr_kinds(org):
    return {(a["object_id"]): a["category"] for a in by_type(org, "pr_authored")}


def test_pull_request_titles_vary_and_mix_languages(org):
    kinds = pr_kinds(org)
    titles = defaultdict(set)
    for full, pull in all_pulls(org):
        kind = kinds.get(f"{full}#{pull['number']}")
        if kind:
            titles[kind].add(re.sub(r"\d+", "N", pull["title"]))
    for kind in ("incident_response", "maintenance", "launch", "documentation", "design_leadership"):
        assert len(titles[kind]) >= 20, (kind, len(titles[kind]))
    every = [p["title"] for _, p in all_pulls(org)]
    non_ascii = [t for t in every if not t.isascii()]
    assert 0.02 < len(non_ascii) / len(every) < 0.3
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t) for t in every)
    assert any(t.startswith('Revert "') for t in every)
    meetings = {e["summary"] for v in org.calendars.values() for e in v if e.get("summary")}
    assert len(meetings) > 100
    assert {"Sync", "Quick chat"} & meetings


def test_incidents_are_often_unlabelled_but_rarely_unsignalled(org):
    kinds = pr_kinds(org)
    for kind in ("incident_response", "maintenance", "launch"):
        pulls = [p for full, p in all_pulls(org) if kinds.get(f"{full}#{p['number']}") == kind]
        labelled = [p for p in pulls if p["labels"]]
        signalled = [
            p
            for p in pulls
            if p["labels"]
            or text.has_signal(kind, p["title"])
            or text.has_signal(kind, p["head"]["ref"].replace("-", " ").replace("/", " ") + " ")
            or p["head"]["ref"].startswith(("hotfix", "fix/", "chore/", "deps/", "bugfix/", "ci/", "feat", "revert-"))
        ]
        assert len(labelled) / len(pulls) < 0.6, kind
        assert 0.003 < 1 - len(signalled) / len(pulls) <= 0.03, (kind, 1 - len(signalled) / len(pulls))
    incident_issues = [i for i in org.jira_issues if i["fields"]["issuetype"]["name"] == "Incident"]
    assert any("incident" not in i["fields"]["labels"] for i in incident_issues)


def test_a_roster_too_small_for_the_story_is_refused():
    with pytest.raises(ValueError, match="people=8 is too few for teams=2"):
        generate_org(people=8, teams=2)


def test_meetings_credit_organizers_and_attendees_differently(org):
    events = {e["id"]: e for v in org.calendars.values() for e in v}
    organized = {a["object_id"]: a["category"] for a in by_type(org, "meeting_organized")}
    attended = defaultdict(set)
    for a in by_type(org, "meeting_attended"):
        attended[a["object_id"]].add(a["category"])
    rituals = [
        eid
        for eid, e in events.items()
        if "recurringEventId" in e and eid in organized and organized[eid] == "coordination"
    ]
    assert rituals and all(attended[eid] <= {"other"} for eid in rituals)
    incident_rooms = [eid for eid, cat in organized.items() if cat == "incident_response" and eid in events]
    assert incident_rooms and all(attended[eid] <= {"incident_response"} for eid in incident_rooms)
    # a 1:1 with one's manager is not mentoring; one between peers is
    one_on_ones = Counter(
        cat for eid, cat in organized.items() if eid in events and "1:1" in (events[eid].get("summary") or "")
    )
    assert one_on_ones["other"] and one_on_ones["onboarding_mentoring"]


def test_bots_comment_and_publish_but_are_never_activities(org):
    bot_comments = [c for v in org.issue_comments.values() for c in v if c["user"]["type"] == "Bot"]
    bot_releases = [r for v in org.releases.values() for r in v if r["author"]["type"] == "Bot"]
    assert {c["user"]["login"] for c in bot_comments} >= {"codecov[bot]"} and bot_releases
    ids = {
        a["object_id"]
        for a in org.ground_truth["activities"]
        if a["activity_type"] in ("issue_comment", "release_published")
    }
    assert not ids & {str(x["id"]) for x in bot_comments + bot_releases}


def test_new_hires_leave_no_trace_before_their_first_day(org):
    for planted in org.ground_truth["planted"]["new_hires"]:
        person = next(p for p in org.people if p["person_id"] == planted["person_id"])
        first_day = date.fromisoformat(person["start_date"])
        logins, email = set(person["github_logins"]), person["emails"][0]
        stamps = [p["created_at"] for _, p in all_pulls(org) if p["user"]["login"] in logins]
        stamps += [
            r["submitted_at"]
            for v in org.pull_reviews.values()
            for r in v
            if r["user"]["login"] in logins and "submitted_at" in r
        ]
        stamps += [c["created_at"] for v in org.issue_comments.values() for c in v if c["user"]["login"] in logins]
        stamps += [e["start"].get("dateTime", e["start"].get("date")) for e in org.calendars[email] if "start" in e]
        account = person["jira_account_ids"][0]
        stamps += [c["created"] for v in org.jira_comments.values() for c in v if c["author"]["accountId"] == account]
        assert stamps and min(parse_time(s).date() for s in stamps) >= first_day - timedelta(days=1)


def test_pull_request_counters_match_their_children(org):
    review_comments = Counter(c["pull_request_url"] for v in org.review_comments.values() for c in v)
    comments = Counter(c["issue_url"] for v in org.issue_comments.values() for c in v)
    for full, pull in all_pulls(org):
        key = (full, pull["number"])
        assert pull["review_comments"] == review_comments[pull["url"]]
        assert pull["comments"] == comments[pull["issue_url"]]
        assert pull["commits"] == len(org.pull_commits[key])
        assert pull["changed_files"] == len(org.pull_files[key])
        assert pull["additions"] == sum(f["additions"] for f in org.pull_files[key])
        assert pull["merged"] == (pull["merged_at"] is not None)
