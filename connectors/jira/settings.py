"""Jira connector settings: endpoints, the fields kept per issue, page sizes, the cursor overlap."""
from __future__ import annotations

from datetime import timedelta

SOURCE_NAME = "jira"
TOKEN_SETTING = "SOURCES__JIRA__API_TOKEN"
EMAIL_SETTING = "SOURCES__JIRA__EMAIL"
SITE_SETTING = "SOURCES__JIRA__SITE_URL"

API = "/rest/api/3"
SEARCH = f"{API}/search/jql"  # the old /search answers 410 on Jira Cloud
CHANGELOG = API + "/issue/{key}/changelog"
WORKLOGS = API + "/issue/{key}/worklog"
COMMENTS = API + "/issue/{key}/comment"
USERS = f"{API}/users/search"
MYSELF = f"{API}/myself"  # the API user's time zone: JQL dates are read in it

# the usual Jira Cloud id of the Sprint field (it is site-specific: check /rest/api/3/field)
SPRINT_FIELD = "customfield_10020"
FIELDS = [
    "summary", "description", "project", "issuetype", "priority", "labels", "components", "status",
    "assignee", "reporter", "creator", "created", "updated", "resolutiondate", "fixVersions",
    SPRINT_FIELD, "parent",
    "comment", "worklog",  # the first comments and worklogs, with their total: most issues need no more
]
# fields that are tables of their own, left out of the issues table's `fields`
CHILD_FIELDS = {"comment": "comments", "worklog": "worklogs"}

SEARCH_PAGE_SIZE = 100  # Jira's maximum when fields are asked for
CHANGELOG_PAGE_SIZE = 100  # maximum of /issue/{key}/changelog
WORKLOG_PAGE_SIZE = 5000
COMMENT_PAGE_SIZE = 5000
USER_PAGE_SIZE = 1000

# JQL has minute precision and the search index lags writes: re-read this much before the cursor
OVERLAP = timedelta(minutes=5)
FIRST_BACKFILL = "1970-01-01 00:00"  # Jira refuses unbounded JQL; without start_date, take everything

SETTINGS_HELP = f"""settings (env vars, .dlt/config.toml [sources.jira], or .dlt/secrets.toml):
  {SITE_SETTING}    e.g. https://acme.atlassian.net
  {EMAIL_SETTING}       the Atlassian account the API token belongs to
  {TOKEN_SETTING} (secret) an API token of that account (id.atlassian.com)
  SOURCES__JIRA__PROJECTS    optional list of project keys (default: every project the account sees)
  SOURCES__JIRA__START_DATE  optional ISO date; issues not updated since are not backfilled

tables (dataset raw_jira): issues, issue_changelogs, worklogs, comments, users.
Issues come from GET {SEARCH} (nextPageToken, {SEARCH_PAGE_SIZE} per page, expand=changelog) ordered by
updated; the next run asks for `updated >=` the cursor minus {int(OVERLAP.total_seconds() // 60)} min and
merges on id, so nothing is duplicated. Worklogs and comments come inline with those issues; an
issue with more than the search inlines has them read from /issue/{{key}}/worklog and /comment.
Sprint field: {SPRINT_FIELD}."""
