"""The JQL the connector sends: one bound, the configured projects, an order."""

from __future__ import annotations


def search_jql(bound: str, projects: list[str], order: str) -> str:
    clauses = [bound]
    if projects:
        clauses.append("project in (" + ", ".join(f'"{p}"' for p in projects) + ")")
    return " AND ".join(clauses) + f" ORDER BY {order}"
