"""The synthetic roster: people, teams, managers, time zones, start dates and the roles
the story plants (see generate.py). All names are invented combinations."""

from __future__ import annotations

import random
from datetime import date, timedelta

EMAIL_DOMAIN = "loadbearing-demo.example"

FIRST_NAMES = [
    "Aino",
    "Bastian",
    "Chidi",
    "Dalia",
    "Emeka",
    "Farida",
    "Gustavo",
    "Hana",
    "Ilias",
    "Joana",
    "Kenji",
    "Lucía",
    "Mateus",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rania",
    "Soren",
    "Tamsin",
    "Ugo",
    "Vesna",
    "Wiremu",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Anouk",
    "Bruno",
    "Carmen",
    "Dmitri",
    "Elif",
    "Femi",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kavya",
    "Lior",
    "Mireille",
    "Nikhil",
    "Olu",
    "Paula",
    "Rafael",
    "Sakura",
    "Tobias",
    "Uma",
    "Viktor",
    "Wen",
    "Yara",
    "Zaid",
    "Amara",
    "Björn",
    "Céline",
    "Diego",
    "Esra",
    "Finn",
    "Gita",
    "Henrik",
    "Ifeoma",
    "Jasper",
    "Keiko",
    "Leandro",
    "Maya",
    "Noor",
    "Orla",
    "Pavel",
    "Rosa",
    "Sanjay",
    "Thandi",
    "Valentina",
]
LAST_NAMES = [
    "Abara",
    "Berglund",
    "Castellano",
    "Dimitrov",
    "Eskildsen",
    "Fonseca",
    "Gallagher",
    "Haddad",
    "Iwasaki",
    "Jovanović",
    "Kowalczyk",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okonkwo",
    "Petrov",
    "Quiroga",
    "Rahman",
    "Sandoval",
    "Tanaka",
    "Underwood",
    "Vasquez",
    "Whitfield",
    "Xu",
    "Yilmaz",
    "Zimmermann",
    "Achterberg",
    "Bhatt",
    "Carvalho",
    "Delacroix",
    "Engström",
    "Ferreira",
    "Grünewald",
    "Hosseini",
    "Ibarra",
    "Jansen",
    "Kaur",
    "Laurent",
    "Mbeki",
    "Nieminen",
    "Oyelaran",
    "Pereira",
    "Rossi",
    "Sato",
    "Thorsen",
    "Ueda",
    "Varga",
    "Wójcik",
    "Yamada",
    "Zhou",
]
TEAM_NAMES = [
    "payments",
    "platform",
    "mobile",
    "search",
    "identity",
    "data",
    "growth",
    "infra",
    "billing",
    "notifications",
    "checkout",
    "insights",
]
TIME_ZONES = [
    "America/New_York",
    "Europe/Berlin",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "Europe/London",
    "UTC",
    "America/Sao_Paulo",
    "Asia/Tokyo",
]
LEVELS = ["L2", "L3", "L3", "L4", "L4", "L5", "L6"]
PRONOUN_GROUPS = ["she/her", "he/him", "they/them"]
CAREGIVER = ["yes", "no", "no"]


def _ascii(name: str) -> str:
    table = str.maketrans("áéíóúãçöüäåøëïćńśźżłčšžğ", "aeiouacouaaoeicnszzlcszg")
    return name.lower().translate(table).replace(" ", "")


def make_roster(rng: random.Random, people: int, teams: int, start: date) -> list[dict]:
    """Roster rows as raw_people.people holds them; one manager per team, managers report
    to p001 (the head of engineering)."""
    team_names = TEAM_NAMES[:teams] if teams <= len(TEAM_NAMES) else [f"team{i + 1}" for i in range(teams)]
    names, logins = set(), set()
    roster = []
    for i in range(people):
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if (first, last) not in names:
                names.add((first, last))
                break
        pid = f"p{i + 1:03d}"
        handle = f"{_ascii(first)}.{_ascii(last)}"
        login = rng.choice(
            [
                f"{_ascii(first)}{_ascii(last)[:3]}",
                f"{_ascii(first)[0]}{_ascii(last)}",
                f"{_ascii(first)}-{_ascii(last)}",
                f"{_ascii(last)}{rng.randint(1, 99)}",
            ]
        )
        # a login belongs to one person (the roster connector refuses a shared one); numbered
        # without drawing from rng, so organizations without a clash stay as they were
        login = next(f"{login}{n or ''}" for n in range(len(logins) + 1) if f"{login}{n or ''}" not in logins)
        logins.add(login)
        team = team_names[i % teams]
        tz = rng.choice(TIME_ZONES)
        years_ago = rng.randint(200, 2500)
        roster.append(
            {
                "person_id": pid,
                "display_name": f"{first} {last}",
                "emails": [f"{handle}@{EMAIL_DOMAIN}"],
                "github_logins": [login],
                "jira_account_ids": [f"712020:{rng.getrandbits(128):032x}"[:43]],
                "team": team,
                "manager_id": None,
                "start_date": (start - timedelta(days=years_ago)).isoformat(),
                "time_zone": tz,
                "level": rng.choice(LEVELS),
                "attributes": _attributes(rng),
                # personal targets and intent: empty (the defaults) unless the story plants them
                "target_promotable_share": None,
                "seeks_promotion": None,
            }
        )
    # the first person of each team manages it; managers report to p001
    managers = {}
    for row in roster:
        managers.setdefault(row["team"], row["person_id"])
    for row in roster:
        boss = managers[row["team"]]
        row["manager_id"] = boss if boss != row["person_id"] else ("p001" if row["person_id"] != "p001" else None)
        if row["person_id"] == boss:
            row["level"] = "M1"
    # a few people have a second login or email
    for row in rng.sample(roster, max(1, people // 12)):
        row["github_logins"].append(row["github_logins"][0] + "-work")
    for row in rng.sample(roster, max(1, people // 15)):
        row["emails"].append(row["emails"][0].replace("@", ".old@"))
    return roster


def _attributes(rng: random.Random) -> dict:
    """Optional self-reported attributes; many people leave them out."""
    attrs = {}
    if rng.random() < 0.7:
        attrs["pronouns"] = rng.choice(PRONOUN_GROUPS)
    if rng.random() < 0.5:
        attrs["caregiver"] = rng.choice(CAREGIVER)
    return attrs
