"""python -m sandbox serve --seed 7 --people 60 --teams 8 --months 6 --port 0

Generates the synthetic organization, serves it until Ctrl-C, and prints the URLs
and tokens the connectors need."""

from __future__ import annotations

import argparse
import threading

from sandbox.auth import DemoCredentials
from sandbox.server import SandboxServer, SandboxTokens


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__.split("\n\n")[1])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve a generated organization over HTTP on 127.0.0.1")
    serve.add_argument("--seed", type=int, default=7)
    serve.add_argument("--people", type=int, default=60)
    serve.add_argument("--teams", type=int, default=8)
    serve.add_argument("--months", type=int, default=6)
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument(
        "--expiring-credentials",
        metavar="FOLDER",
        help="also issue expiring tokens (a Google service account, OAuth refresh-token credentials, a GitHub "
        "App): their keys are made now and written to FOLDER",
    )
    serve.add_argument("--token-life", type=float, default=3600.0, help="seconds an issued token lives (default 3600)")
    args = parser.parse_args(argv)

    from sandbox.generate import generate_org  # generating is the slow part; only when serving

    org = generate_org(seed=args.seed, people=args.people, teams=args.teams, months=args.months)
    tokens = SandboxTokens()
    demo = DemoCredentials.make(args.token_life) if args.expiring_credentials else None
    with SandboxServer(org, tokens, port=args.port, auth=demo.auth if demo else None) as server:
        print(describe(server), flush=True)
        if demo:
            settings = demo.write(args.expiring_credentials, server.google_token_url)
            print(f"Expiring credentials (tokens live {args.token_life:g} s), instead of the static tokens:")
            for name, value in settings.items():
                print(f"  {name}={value}")
            client = demo.auth.google_client
            print(
                f"  or SOURCES__CALENDAR__CLIENT_ID={client.client_id} SOURCES__CALENDAR__CLIENT_SECRET="
                f"{client.client_secret} SOURCES__CALENDAR__REFRESH_TOKEN={client.refresh_token} "
                f"SOURCES__CALENDAR__TOKEN_URI={server.google_token_url}",
                flush=True,
            )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped")


def describe(server: SandboxServer) -> str:
    org, tokens = server.org, server.tokens
    lines = [
        f"Loadbearing sandbox: seed {org.seed}, clock {org.now.isoformat()}, serving on {server.base_url}",
        f"  GitHub   {server.github_url}   org={org.github_org}   token={tokens.github_token}",
        f"  Jira     {server.jira_url}   email={tokens.jira_email}   api_token={tokens.jira_api_token}",
        f"  Calendar {server.calendar_url}   token={tokens.calendar_token}   calendars={len(org.calendars)}",
    ]
    lines += [f"  ics      {name}={server.ics_url(name)}" for name in sorted(org.ics_feeds)]
    lines.append("Ctrl-C to stop.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
