"""The sandbox's self-reports: deterministic, from the organization's seed; a day more keeps every
earlier entry; the written files read back as the truth says, malformed entries on the lines it names."""

from connectors.selfreports import read_folder
from sandbox.generate import generate_org, write_self_reports


def test_the_ledger_is_deterministic_and_a_day_more_keeps_earlier_entries():
    org, again = generate_org(seed=3, people=12, teams=2, months=1), generate_org(seed=3, people=12, teams=2, months=1)
    assert org.ground_truth["self_reports"] == again.ground_truth["self_reports"]
    before = {a["object_id"] for a in org.ground_truth["self_reports"]["activities"]}
    for _ in range(7):
        org.advance_day()
    after = {a["object_id"] for a in org.ground_truth["self_reports"]["activities"]}
    assert before < after


def test_the_files_read_back_as_the_truth_says(tmp_path):
    org = generate_org(seed=3, people=12, teams=2, months=1)
    truth = org.ground_truth["self_reports"]
    found = read_folder(write_self_reports(org, tmp_path, "http://127.0.0.1:1"))
    assert sorted(r["entry_id"] for r in found.self_reports) == sorted(a["object_id"] for a in truth["activities"])
    # URLs point at the server that serves the organization
    assert sorted((e["endorser_person_id"], e["endorsed_person_id"], e["item"]) for e in found.endorsements) == sorted(
        (e["endorser"], e["about"], e["item"].replace("http://sandbox.invalid", "http://127.0.0.1:1"))
        for e in truth["endorsements"]
    )
    assert [(p["file"], p["line"]) for p in found.problems] == [(m["file"], m["line"]) for m in truth["malformed"]]
