"""A solver call that a stop request (Ctrl-C, the other search's proof) can cut short, and the
deadlines (time.monotonic() instants) that the stages building and solving models keep to."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

STOP_POLL_S = 0.1
"""How often a solve in progress looks for a stop request."""

T = TypeVar("T")


def deadline_in(seconds: float | None) -> float | None:
    """The instant `seconds` from now (None: no deadline)."""
    return None if seconds is None else time.monotonic() + seconds


def passed(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def until_stopped(run: Callable[[], T], interrupt: Callable[[], object], stop: threading.Event | None) -> T:
    """run(); with a stop event, run() goes to a thread and interrupt() is called within STOP_POLL_S of
    a request. The calling thread waits in short steps, so it keeps handling signals (the CLI's
    Ctrl-C handler is what sets the event: it runs only in the main thread, between its steps)."""
    if stop is None:
        return run()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(run())
        except BaseException as error:  # re-raised in the calling thread
            failure.append(error)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(STOP_POLL_S)
        if stop.is_set():
            interrupt()
    worker.join()
    if failure:
        raise failure[0]
    return outcome[0]
