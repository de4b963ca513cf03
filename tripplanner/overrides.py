"""What-if overrides: `--set FIELD=VALUE` applied to a request's data before it is validated.

FIELD is a request path written as error messages write it: fields of mappings joined by dots,
list items by their index in brackets (``window.max_days``, ``anchors[0].start``);
``anchors.0.start`` is taken the same way. VALUE is read as YAML, as if it stood in the file:
``10``, ``8.5``, ``true``, ``2017-03-17 09:30``, ``[vie-housing]``, ``{within_km: 500}``; quote it
to keep ``: `` or `` #`` in a text (``name='Trip: draft'``), and leave it empty for null.

A field whose mapping is missing from the file is added with it (``limits.max_cities=3`` without a
``limits:`` block); whether the field exists is for the request model to say, so a mistyped name is
refused with the same message as in the file. A list item must exist: set the whole list to add one.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tripplanner.errors import Problem, RequestError
from tripplanner.yamlsource import YamlSource, YamlSyntaxError, join_path, parse_yaml

OPTION = "--set"
"""The command-line option the overrides come from, named in every message about one."""

MAX_SHOWN_CHARS = 60
"""An override is quoted in messages and plan names up to this many characters: a long list value
would otherwise bury the message it explains."""

_STEP = re.compile(r"([^.\[\]]*)((?:\[[0-9]+\])*)")
"""One dotted part of a field path: a name (or an index written as digits) and any [N] after it."""


@dataclass(frozen=True)
class Override:
    """One FIELD=VALUE: where it goes in the request data and what it puts there."""

    path: str
    """The field path in the form error messages use: ``anchors[0].start``."""
    steps: tuple[str | int, ...]
    """Mapping keys and list indices, from the top of the request."""
    value: object
    """The value as YAML read it (text, number, bool, list, mapping or None)."""
    text: str
    """FIELD=VALUE as given, shortened to MAX_SHOWN_CHARS."""

    @property
    def option(self) -> str:
        """How messages name it: ``--set window.max_days=10``."""
        return f"{OPTION} {self.text}"


def _shown(text: str) -> str:
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 3] + "..."


def _bad(text: str, message: str) -> RequestError:
    return RequestError(f"invalid {OPTION} option", [Problem(message, origin=f"{OPTION} {_shown(text)}")])


def _steps(field: str, text: str) -> tuple[str | int, ...]:
    """The keys and indices of a field path; RequestError naming the option when it is not one."""
    if not field:
        raise _bad(text, "the field is empty: write FIELD=VALUE, e.g. window.max_days=10")
    steps: list[str | int] = []
    for part in field.split("."):
        match = _STEP.fullmatch(part)
        if match is None or not match.group(1):
            raise _bad(text, f"{field!r} is not a field path: write names joined by dots and list items by their "
                             "index, e.g. window.max_days or anchors[0].start")
        name, indices = match.groups()
        steps.append(int(name) if name.isascii() and name.isdigit() else name)
        steps += [int(index) for index in re.findall("[0-9]+", indices)]
    if isinstance(steps[0], int):
        raise _bad(text, f"{field!r} starts with an index, but a request is a mapping: start with a field name")
    return tuple(steps)


def parse_override(text: str) -> Override:
    """FIELD=VALUE (the field a path, the value YAML); RequestError naming the option when malformed."""
    field, equals, raw = text.partition("=")
    if not equals:
        raise _bad(text, "no '=': write FIELD=VALUE, e.g. window.max_days=10")
    steps = _steps(field.strip(), text)
    try:
        value = parse_yaml(raw, OPTION).data
    except YamlSyntaxError as exc:
        raise _bad(text, f"the value is not YAML: {exc.problem.message}") from None
    path = ""
    for step in steps:
        path = join_path(path, step)
    return Override(path=path, steps=steps, value=value, text=_shown(f"{path}={raw.strip()}"))


def parse_overrides(texts: Sequence[str]) -> tuple[Override, ...]:
    """Every FIELD=VALUE parsed; one RequestError listing all the malformed ones."""
    overrides, problems = [], []
    for text in texts:
        try:
            overrides.append(parse_override(text))
        except RequestError as exc:
            problems += exc.problems
    if problems:
        raise RequestError(f"invalid {OPTION} option" + ("s" if len(problems) > 1 else ""), problems)
    return tuple(overrides)


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "empty" if value is None else "a text"


def _put(data: dict, override: Override) -> None:
    """Set one override in data (changed in place), adding the mappings on its way that are missing."""
    node: object = data
    walked = ""
    for position, step in enumerate(override.steps):
        last = position == len(override.steps) - 1
        if isinstance(step, int):
            if not isinstance(node, list):
                raise _bad(override.text, f"{walked} is {_kind(node)}, not a list: it has no item [{step}]")
            if step >= len(node):
                raise _bad(override.text, f"{walked} has {len(node)} item(s), so no [{step}]: set the whole list to "
                                          f"add one ({walked}=[...])")
        elif not isinstance(node, dict):
            raise _bad(override.text, f"{walked} is {_kind(node)}, not a mapping: it has no field {step!r}")
        here = join_path(walked, step)
        if last:
            node[step] = copy.deepcopy(override.value)
            return
        child = node[step] if isinstance(step, int) else node.get(step)
        if child is None:
            following = override.steps[position + 1]
            if isinstance(following, int):
                raise _bad(override.text, f"{here} is not in the request, so no [{following}]: set the whole list "
                                          f"({here}=[...])")
            child = node[step] = {}
        node, walked = child, here


def apply_overrides(source: YamlSource, overrides: Sequence[Override]) -> YamlSource:
    """The source's data with the overrides set, in order (a later one wins), remembering where each went.

    The source itself is left as it was; its data must be a mapping (a request)."""
    if not overrides:
        return source
    data = copy.deepcopy(source.data)
    for override in overrides:
        _put(data, override)
    changed = {**source.overrides}
    for override in overrides:
        changed.pop(override.path, None)  # the last one given is the one in force
        changed[override.path] = override.option
    return YamlSource(data=data, lines=source.lines, name=source.name, overrides=changed)


def describe_overrides(source: YamlSource) -> str:
    """'window.max_days=10, limits.max_cities=3': what a what-if changed, for its plan's name."""
    return ", ".join(option.removeprefix(f"{OPTION} ") for option in source.overrides.values())
