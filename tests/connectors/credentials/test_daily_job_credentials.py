"""The Dagster daily job, as `make demo` runs it, with credentials that expire: GitHub through a
GitHub App and Google Calendar through a service account with domain-wide delegation, set only
by SOURCES__* variables (the settings reach the connectors through pipelines/settings.py and the
ingest assets). One run (a daily job costs about a minute and a half here); the runs across
token expiry, day after day, are test_expiring_credentials.py's, on the same settings."""

from __future__ import annotations

from harness.deployment import deployed
from tests.connectors.credentials.keys import APP_ID, app_key_file, key_pair, sandbox_auth, service_account_file

TOKEN_LIFE_S = 2


def test_the_daily_job_loads_through_a_github_app_and_a_service_account(small_org, tmp_path):
    with deployed(small_org, tmp_path / "deployment", auth=sandbox_auth(TOKEN_LIFE_S)) as deployment:
        server = deployment.server
        for static in ("SOURCES__GITHUB__ACCESS_TOKEN", "SOURCES__CALENDAR__ACCESS_TOKEN"):
            deployment.env.pop(static)
        deployment.env.update(
            SOURCES__GITHUB__APP_ID=APP_ID,
            SOURCES__GITHUB__APP_PRIVATE_KEY=str(app_key_file(tmp_path)),
            SOURCES__CALENDAR__SERVICE_ACCOUNT_KEY=str(service_account_file(tmp_path, server.google_token_url)),
        )
        run = deployment.run_daily_job()
        assert run.returncode == 0, run.output[-6000:]
        grants = server.issuer.grants()
        assert {(g.kind, g.grant_type) for g in grants} == {("github", "installation"), ("google", "jwt_bearer")}
        data = [r for r in run.requests if r.path.startswith(("/github/repos/", "/github/graphql", "/calendar/v3/"))]
        assert data and all(r.status in (200, 304, 401) for r in data)
        # neither the keys nor the tokens they bought reach the run's output
        for secret in (key_pair("github-app")[0].splitlines()[1], key_pair("service-account")[0].splitlines()[1]):
            assert secret not in run.output
        assert not any(g.token in run.output for g in grants)
        with_people = {g.subject for g in server.issuer.grants("google")}
        assert with_people == set(small_org.calendars)
