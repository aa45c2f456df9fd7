"""The synthetic organization read through the sandbox's Jira Data Center / Server stand-in (REST v2,
usernames, plain-text bodies) gives the same marts as read through its Jira Cloud stand-in."""

from __future__ import annotations

import duckdb
import requests

from harness.deployment import SourcesDeployment
from harness.warehouses import compare
from sandbox.server import SandboxServer

# lists identities no roster entry matched, by each system's own id (Cloud accountIds, Server usernames)
OWN_IDS = "marts.rpt_unmapped_identities"


def test_server_and_cloud_give_the_same_marts(small_org, tmp_path):
    # GIVEN one organization, WHEN every source is loaded with Jira read once as Cloud and once as Server
    deployments = {}
    for deployment in ("cloud", "server"):
        with SandboxServer(small_org, jira_deployment=deployment) as server:
            loaded = SourcesDeployment(tmp_path / deployment)
            loaded.must_load(small_org, server)
            log = server.request_log
        loaded.build_marts()
        deployments[deployment] = (loaded, log)

    # THEN the Server load went through REST v2 only, with usernames in its raw tables
    server_paths = {r.path for r in deployments["server"][1] if r.path.startswith("/jira/")}
    assert "/jira/rest/api/2/search" in server_paths and not [p for p in server_paths if "/rest/api/3/" in p]
    server_warehouse = deployments["server"][0].warehouse
    with duckdb.connect(str(server_warehouse), read_only=True) as con:
        (with_account_id,) = con.execute(
            "select count(*) from raw_jira.issues where json_extract_string(fields, '$.assignee.accountId') is not null"
        ).fetchone()
        (assigned,) = con.execute(
            "select count(*) from raw_jira.issues where json_extract_string(fields, '$.assignee.name') is not null"
        ).fetchone()
    assert with_account_id == 0 and assigned > 50

    # AND every mart holds the same rows as through Cloud
    marts = [
        t
        for t in compare(deployments["cloud"][0].warehouse, server_warehouse).tables
        if t.table.startswith("marts.") and t.table != OWN_IDS
    ]
    assert len(marts) > 10 and sum(t.rows for t in marts) > 1000
    assert all(not t.lost and not t.duplicated for t in marts), [t for t in marts if t.lost or t.duplicated]


def test_the_server_stand_in_pages_by_offset_and_takes_a_personal_access_token(small_org):
    with SandboxServer(small_org, jira_deployment="server") as server:
        search, pat = (
            f"{server.jira_url}/rest/api/2/search",
            {"Authorization": f"Bearer {server.tokens.jira_api_token}"},
        )
        jql = {"jql": 'created >= "1970-01-01 00:00" ORDER BY created ASC', "fields": "id", "maxResults": 5000}
        assert requests.get(search, params=jql, timeout=10).status_code == 401
        assert requests.get(f"{server.jira_url}/rest/api/3/myself", headers=pat, timeout=10).status_code == 404
        first = requests.get(search, params=jql, headers=pat, timeout=10).json()
        later = requests.get(search, params={**jql, "startAt": 7, "maxResults": 3}, headers=pat, timeout=10).json()
    assert first["maxResults"] == 1000 and first["total"] == len(small_org.jira_issues)
    assert [i["id"] for i in later["issues"]] == [i["id"] for i in first["issues"][7:10]]
