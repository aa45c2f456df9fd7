"""A local stand-in for the GitHub, Jira Cloud and Google Calendar APIs, serving a
synthetic organization generated from a seed (see docs/CONTRACTS.md)."""
