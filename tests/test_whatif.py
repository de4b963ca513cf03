"""plan_whatif: the baseline and the what-if planned alike, compared, and refused or stopped cleanly."""

import threading

import pytest

from tripplanner.errors import RequestError
from tripplanner.solver.params import SolveParams
from tripplanner.whatif import plan_whatif

from tests.conftest import example

EXAMPLE = example("paris-vienna-2017")
PARAMS = SolveParams(time_limit_s=2)


def test_free_travel_adds_cities_to_the_baseline():
    """At no cost of travel the what-if keeps the baseline's cities, adds some and gains value."""
    result = plan_whatif(EXAMPLE, ["scoring.travel_cost_per_hour=0"], PARAMS)
    assert result.comparison is not None and result.comparison.labels == ["baseline", "what-if"]
    baseline, changed = result.baseline.itinerary, result.whatif.itinerary
    assert result.change.added and not result.change.dropped
    assert set(result.change.added) == set(changed.totals.cities) - set(baseline.totals.cities)
    assert result.change.value == round(changed.totals.value - baseline.totals.value, 2) > 0
    assert result.overrides == "scoring.travel_cost_per_hour=0"
    assert "what-if" not in baseline.name and "(what-if: scoring.travel_cost_per_hour=0)" in changed.name


def test_a_bad_override_is_refused_before_any_solve():
    """The what-if request is validated before the baseline is solved: no progress is ever reported."""
    reported = []
    with pytest.raises(RequestError):
        plan_whatif(EXAMPLE, ["window.max_dayz=6"], PARAMS, progress=lambda best, bound: reported.append(best))
    assert reported == []


def test_no_override_is_refused():
    """A what-if of nothing is a usage error, not two identical solves."""
    with pytest.raises(RequestError, match="at least one --set"):
        plan_whatif(EXAMPLE, [], PARAMS)


def test_a_stop_asked_before_solving_leaves_both_unplanned():
    """With the stop already set, neither request is solved and nothing is compared."""
    stop = threading.Event()
    stop.set()
    result = plan_whatif(EXAMPLE, ["window.max_days=6"], PARAMS, stop=stop)
    assert (result.baseline.status, result.whatif.status) == ("interrupted", "interrupted")
    assert result.comparison is None and result.change is None
