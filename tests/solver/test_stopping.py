"""A solver call cut short by a stop request (solver/stopping.py), and GLOP's bounds with one."""
from __future__ import annotations

import threading

import pytest

from tripplanner.solver.stopping import until_stopped

WAIT_S = 60.0
"""Longer than any test waits: the calls below end only when interrupted."""


def test_without_a_stop_event_the_call_runs_in_the_calling_thread():
    caller = threading.current_thread()
    assert until_stopped(lambda: threading.current_thread() is caller, lambda: None, None) is True


def test_a_stop_request_interrupts_the_call_and_its_outcome_is_returned():
    released = threading.Event()
    stop = threading.Event()
    stop.set()

    def run() -> str:
        return "interrupted" if released.wait(WAIT_S) else "ran to the end"

    assert until_stopped(run, released.set, stop) == "interrupted"


def test_without_a_request_the_call_runs_to_the_end_and_is_not_interrupted():
    interrupts: list[bool] = []
    assert until_stopped(lambda: 42, lambda: interrupts.append(True), threading.Event()) == 42
    assert interrupts == []


def test_an_error_in_the_call_reaches_the_caller():
    def run() -> None:
        raise ValueError("bad model")

    with pytest.raises(ValueError, match="bad model"):
        until_stopped(run, lambda: None, threading.Event())
