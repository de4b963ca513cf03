"""The plan and verify commands: exit codes, JSON output, no silent overwrite."""

import json

from tests.conftest import DATA, EXAMPLES, example

EXAMPLE = example("paris-vienna-2017")


def test_plan_prints_days_and_writes_json(run, tmp_path):
    """plan exits 0, shows the day table and totals, and writes a JSON itinerary with a schema version."""
    out = tmp_path / "plan.json"
    result = run("plan", EXAMPLE, "--time-limit", "3", "--out", out)
    assert result.exit_code == 0, result.output
    assert "Totals" in result.output and "ANCHOR" in result.output
    data = json.loads(out.read_text())
    assert data["schema_version"] == "2.0" and data["days"]


def test_existing_output_is_not_overwritten(run, tmp_path):
    """Without --force an existing file is kept and the command exits 2 before solving."""
    out = tmp_path / "plan.json"
    out.write_text("keep me")
    result = run("plan", EXAMPLE, "--time-limit", "3", "--out", out)
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_text() == "keep me"


def test_verify_accepts_the_written_plan_and_rejects_an_edited_one(run, tmp_path):
    """verify exits 0 on the plan as written and 1 once a leg is made impossibly short."""
    out = tmp_path / "plan.json"
    assert run("plan", EXAMPLE, "--time-limit", "3", "--out", out).exit_code == 0
    assert run("verify", EXAMPLE, out).exit_code == 0
    data = json.loads(out.read_text())
    for day in data["days"]:
        for event in day["events"]:
            if event["kind"] == "leg" and event["mode"] == "air":
                event["arrive"] = event["depart"]
                break
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    result = run("verify", EXAMPLE, edited)
    assert result.exit_code == 1 and "travel_time" in result.output


def test_infeasible_request_exits_1_with_conflict(run, tmp_path):
    """A request whose anchors cannot both be reached exits 1 and names the shortfall."""
    result = run("plan", DATA / "bad" / "anchors-too-far-apart.yaml", "--time-limit", "2")
    assert result.exit_code == 1
    assert "no feasible plan" in result.output and "(+" in result.output


def test_bad_input_exits_2(run):
    """A malformed request exits 2 from plan too."""
    assert run("plan", DATA / "bad" / "malformed-yaml.yaml").exit_code == 2


def test_verify_rejects_a_non_plan_file(run, tmp_path):
    """A JSON file that is not an itinerary is refused with exit 2."""
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": 1}')
    result = run("verify", EXAMPLE, junk)
    assert result.exit_code == 2 and "not an itinerary" in result.output


def test_every_example_validates(run):
    """validate exits 0 on every bundled example."""
    for path in EXAMPLES:
        result = run("validate", path)
        assert result.exit_code == 0, (path, result.output)


def test_validate_lists_booked_nights(run):
    """The Bonn example books five nights; validate shows them before any solving."""
    result = run("validate", example("bonn-base-2017"))
    assert result.exit_code == 0, result.output
    assert "Booked nights" in result.output and "Fri 10 Nov - Tue 14 Nov (5)" in result.output


def test_travel_command_prints_breakdown(run):
    """travel shows the steps of a leg, its total, its source and the options considered."""
    result = run("travel", "Paris, FR", "Vienna, AT")
    assert result.exit_code == 0, result.output
    for text in ("check-in and security", "total", "Options considered", "chosen", "OpenFlights"):
        assert text in result.output


def test_travel_json_has_the_published_fields(run):
    """travel --json: the leg's fields and its segments, each with a mode of the published set and
    IATA codes for flights; every option considered comes too."""
    data = json.loads(run("travel", "Bratislava, SK", "Seoul, KR", "--json").output)
    for key in ("origin", "destination", "mode", "distance_km", "duration_min", "co2_kg", "source", "segments"):
        assert key in data
    assert data["mode"] == "air" and data["options"][0]["duration_min"] == data["duration_min"]
    assert {s["mode"] for s in data["segments"]} <= {"air", "rail", "road", "transfer", "wait"}
    assert sum(s["minutes"] for s in data["segments"]) == data["duration_min"]
    flights = [s for s in data["segments"] if s["mode"] == "air"]
    assert flights and all(len(s["from"]) == 3 and s["from"].isupper() and len(s["to"]) == 3 for s in flights)
    assert data["segments"][0] == {**data["segments"][0], "mode": "transfer", "from": "Bratislava", "to": "VIE"}


def test_a_plan_file_of_the_old_schema_is_refused(run, tmp_path):
    """A plan written before legs had segments (schema 1.0) is refused with a clear message, exit 2."""
    old = tmp_path / "old.json"
    data = json.loads((DATA / "plans" / "paris-vienna-2017-1.json").read_text())
    old.write_text(json.dumps({**data, "schema_version": "1.0"}))
    result = run("show", old)
    assert result.exit_code == 2 and "schema 1.0" in result.output and "plan the request again" in result.output


def test_show_formats(run, tmp_path):
    """show renders table, markdown, ics and json; --out writes atomically and refuses to overwrite."""
    plan = DATA / "plans" / "paris-vienna-2017-1.json"
    assert "Day by day" in run("show", plan, "--format", "markdown").output
    assert "BEGIN:VCALENDAR" in run("show", plan, "--format", "ics").output
    assert '"schema_version"' in run("show", plan, "--format", "json").output
    assert "Totals" in run("show", plan).output
    target = tmp_path / "trip.ics"
    assert run("show", plan, "--format", "ics", "--out", target).exit_code == 0
    assert run("show", plan, "--format", "ics", "--out", target).exit_code == 2
    assert run("show", plan, "--format", "pdf").exit_code == 2


def test_compare_command_plain_and_json(run):
    """compare prints plain tables when piped and valid JSON with --json."""
    plans = [DATA / "plans" / f"paris-vienna-2017-{k}.json" for k in (1, 2)]
    result = run("compare", *plans)
    assert result.exit_code == 0 and "What differs" in result.output and "╭" not in result.output
    data = json.loads(run("compare", *plans, "--json").output)
    assert data["labels"] == ["paris-vienna-2017-1", "paris-vienna-2017-2"]
    assert run("compare", plans[0]).exit_code == 2


def test_schema_command(run):
    """schema prints the itinerary JSON Schema."""
    data = json.loads(run("schema").output)
    assert data["title"] == "Itinerary" and "days" in data["properties"]


def test_plan_alternatives_written_to_out_dir(run, tmp_path):
    """--alternatives 2 --out-dir writes plan-1.json and plan-2.json and a comparison."""
    result = run("plan", EXAMPLE, "--alternatives", "2", "--time-limit", "3", "--out-dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plan-1.json").exists() and (tmp_path / "plan-2.json").exists()
    assert "What differs" in result.output


def test_validate_warns_of_an_anchor_in_the_local_night(run, tmp_path):
    """A keynote at 00:00-00:30 in Copenhagen (8 a.m. in Seoul: probably typed in home time) is allowed,
    with a warning that names the field and the home time; a daytime anchor gets none."""
    request = tmp_path / "night.yaml"
    request.write_text("""
name: Copenhagen keynote
home: "Seoul, KR"
window: {earliest_departure: "2019-10-07 08:00", latest_return: "2019-10-13 22:00", max_days: 7}
themes: {climate: 1}
anchors:
  - {name: C40 keynote, city: "Copenhagen, DK", start: "2019-10-10 00:00", end: "2019-10-10 00:30"}
""")
    result = run("validate", request)
    assert result.exit_code == 0, result.output
    assert "Warnings:" in result.output and "typed in home time" in result.output and "08:00" in result.output
    request.write_text(request.read_text().replace('"2019-10-10 00:00", end: "2019-10-10 00:30"',
                                                   '"2019-10-10 10:00", end: "2019-10-10 10:30"'))
    assert "Warnings:" not in run("validate", request).output


def test_frontier_writes_each_point_and_says_how_far_it_is(run, tmp_path):
    """--out-dir writes point-1.json ... least travel first, each a plan that verifies; a progress line
    names each point; a second run refuses to overwrite without --force."""
    folder = tmp_path / "points"
    result = run("frontier", EXAMPLE, "--points", "3", "--time-limit", "2", "--out-dir", folder)
    assert result.exit_code == 0, result.output
    assert "solving point 1 of 3" in result.output and "solving point 3 of 3" in result.output
    written = sorted(folder.glob("point-*.json"))
    assert written and written[0].name == "point-1.json"
    for plan in written:
        assert run("verify", EXAMPLE, plan).exit_code == 0
    again = run("frontier", EXAMPLE, "--points", "3", "--time-limit", "2", "--out-dir", folder)
    assert again.exit_code == 2 and "--force" in again.output
