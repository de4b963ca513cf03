"""plan --explain: each left-out project's suggestion, as printed, works as a --set option."""

import json
import re
import shlex

from tests.conftest import example

EXAMPLE = example("barcelona-zurich-2018")


def _visited(path) -> set[str]:
    data = json.loads(path.read_text())
    return {e["project_id"] for day in data["days"] for e in day["events"] if e["kind"] == "visit"}


def test_printed_suggestion_run_as_given_brings_its_project_in(run, tmp_path):
    """The '--set ...' a suggestion gives, passed to plan as written, yields a plan with its project."""
    out = tmp_path / "plan.json"
    result = run("plan", EXAMPLE, "--explain", "--time-limit", "2", "--out", out)
    assert result.exit_code == 0, result.output
    left_out = json.loads(out.read_text())["left_out"]
    suggested = [item for item in left_out if item["suggestion"]]
    assert suggested
    for item in suggested:
        option = re.search(r"(--set \S+(?: \S+)*?); the plan then", item["smallest_change"]).group(1)
        changed = tmp_path / f"{item['project_id']}.json"
        assert run("plan", EXAMPLE, *shlex.split(option), "--time-limit", "2", "--out", changed).exit_code == 0
        assert item["project_id"] in _visited(changed), option
