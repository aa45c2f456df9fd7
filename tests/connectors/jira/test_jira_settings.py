"""Jira settings: Cloud needs an email, Server a token alone (a PAT) or with a username."""

from __future__ import annotations

from connectors.jira.settings import JiraSettings

SERVER = {
    "SOURCES__JIRA__SITE_URL": "https://jira.example.invalid",
    "SOURCES__JIRA__DEPLOYMENT": "Server",
    "SOURCES__JIRA__API_TOKEN": "a-personal-access-token",
}


def test_server_with_a_personal_access_token_needs_no_email():
    settings = JiraSettings.from_env(SERVER)
    assert settings.validate() == []
    assert settings.source_arguments()["deployment"] == "server"
    assert "email" not in settings.source_arguments()


def test_bad_deployment_username_on_cloud_and_bad_reconcile_days_are_named():
    problems = JiraSettings.from_env(
        {
            **SERVER,
            "SOURCES__JIRA__DEPLOYMENT": "onprem",
            "SOURCES__JIRA__USERNAME": "jsmith",
            "SOURCES__JIRA__RECONCILE_DAYS": "weekly",
        }
    ).validate()
    assert any("SOURCES__JIRA__DEPLOYMENT must be cloud or server" in p for p in problems)
    assert any("SOURCES__JIRA__USERNAME is for Jira Server" in p for p in problems)
    assert any("SOURCES__JIRA__RECONCILE_DAYS" in p for p in problems)
    cloud = JiraSettings.from_env({**SERVER, "SOURCES__JIRA__DEPLOYMENT": "cloud"}).validate()
    assert any("SOURCES__JIRA__EMAIL is missing" in p for p in cloud)
