"""Read YAML text safely and remember the line of every field, for error messages."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tripplanner.errors import Problem
from tripplanner.inputfile import UnreadableFile, read_capped

MAX_FILE_BYTES = 1_000_000
"""Request and catalog files are hand-written (the examples are 2 kB, the project catalog 13 kB); anything
larger is refused before parsing. At 1 MB even the slowest shape to compose (a list of explicitly
tagged items, which MAX_VALUES only catches once composed) is refused in about a second."""


_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it (several times faster), the pure-Python one otherwise."""


class _Loader(_SafeBase):
    """A safe loader that leaves dates and times as text: their zone is only known after city lookup,
    and that stops composing past MAX_VALUES values (counted as their tags are resolved)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.values = 0

    def resolve(self, kind, value, implicit):
        self.values += 1
        if self.values > MAX_VALUES:
            raise YamlSyntaxError(Problem(f"more than {MAX_VALUES:,} values in one file"))
        return super().resolve(kind, value, implicit)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlSource:
    """Parsed YAML data with the 1-based line of each field path (``anchors[0].start``)."""

    data: object
    lines: dict[str, int] = field(default_factory=dict)
    name: str = ""
    overrides: dict[str, str] = field(default_factory=dict)
    """Field paths whose value came from the command line instead of the file, each with the option that set
    it (``window.max_days`` -> ``--set window.max_days=10``); see tripplanner/overrides.py."""

    def line_of(self, path: str) -> int | None:
        """Line of the field, or of its nearest parent that has one; None for a field set by an override
        (or inside one), whose value is on no line of the file."""
        if any(_within(path, changed) for changed in self.overrides):
            return None
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None

    def origin_of(self, path: str) -> str:
        """The options that set the field, a field inside it or a field around it (``window``, when
        ``--set window.latest_return=...`` made it inconsistent); '' for a field as the file has it."""
        return ", ".join(option for changed, option in self.overrides.items()
                         if path and (_within(path, changed) or _within(changed, path)))

    def attributed(self, problems: list[Problem]) -> list[Problem]:
        """The problems, each naming the options behind its field (origin_of) when it has no origin yet."""
        if not self.overrides:
            return problems
        return [dataclasses.replace(p, origin=self.origin_of(p.path)) if not p.origin else p for p in problems]


def _within(path: str, outer: str) -> bool:
    """Whether the field path is outer or inside it (anchors[0].start is within anchors[0] and anchors)."""
    return path == outer or path.startswith((outer + ".", outer + "["))


def join_path(parent: str, key: object) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def _record_lines(node: yaml.Node, path: str, lines: dict[str, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = join_path(path, key_node.value)
            lines[child] = key_node.start_mark.line + 1
            _record_lines(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, join_path(path, index), lines)


MAX_NUMBER_CHARS = 100
"""The longest number accepted, in characters. Trip and catalog numbers have a few digits; a longer
one is refused before Python converts it: beyond 4,300 digits int() raises, and a base-60 integer
(1:2:3, YAML 1.1) of a million parts takes minutes to convert."""

MAX_DEPTH = 64
"""The deepest nesting of lists and mappings accepted. Trip files nest 4 levels; libyaml stops at
1,000, which is too deep for the recursive walks after parsing (line numbers, pydantic)."""

MAX_TEXT_CHARS = 10_000
"""The longest value accepted, in characters: names have at most 200 and project notes a few hundred;
a city name of a megabyte would only make the lookup and the error message crawl."""

MAX_VALUES = 20_000
"""The most values (scalars, lists, mappings) accepted in one file: a trip file has about a hundred and
the project catalog a few thousand; a million-item list would take minutes to check, item by item."""

_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _check_shape(root: yaml.Node) -> None:
    """YamlSyntaxError naming the field of the first alias, value longer than MAX_TEXT_CHARS, number longer
    than MAX_NUMBER_CHARS or value nested deeper than MAX_DEPTH, or when there are more than MAX_VALUES
    values. Walked without recursion, before any value is built: an alias is the one way a node is
    reached twice, so a "billion laughs" stops at its first repetition."""
    seen: set[int] = set()
    todo = [(root, "", 0)]
    while todo:
        node, path, depth = todo.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            raise YamlSyntaxError(Problem("YAML aliases (*name) are not accepted in trip files", path=path))
        seen.add(id(node))
        if len(seen) > MAX_VALUES:
            raise YamlSyntaxError(Problem(f"more than {MAX_VALUES:,} values in one file", path=path, line=line))
        if depth > MAX_DEPTH:
            shown = path if len(path) <= 60 else path[:60] + "..."
            raise YamlSyntaxError(Problem(f"nested more than {MAX_DEPTH} levels deep", path=shown, line=line))
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > MAX_TEXT_CHARS:
                raise YamlSyntaxError(Problem(f"a value of {len(node.value):,} characters; the limit is {MAX_TEXT_CHARS:,}",
                                              path=path, line=line))
            if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
                raise YamlSyntaxError(Problem(f"a number of {len(node.value):,} characters; numbers here have at most "
                                              f"{MAX_NUMBER_CHARS}", path=path, line=line))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                child = join_path(path, key.value)
                todo += [(value, child, depth + 1), (key, child, depth + 1)]
        elif isinstance(node, yaml.SequenceNode):
            todo += [(item, join_path(path, index), depth + 1) for index, item in reversed(list(enumerate(node.value)))]


def parse_yaml(text: str, name: str = "") -> YamlSource:
    """Parse YAML text (no aliases, dates kept as text, within the limits above); YamlSyntaxError otherwise."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_shape(node)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except RecursionError:  # the pure-Python parser (no libyaml) recurses before MAX_DEPTH can be checked
        raise YamlSyntaxError(Problem(f"nested more than {MAX_DEPTH} levels deep")) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(Problem(f"malformed YAML: {exc.problem or exc.context}", line=line)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(f"malformed YAML: {exc}")) from None
    lines: dict[str, int] = {}
    if node is not None:
        _record_lines(node, "", lines)
    return YamlSource(data=data, lines=lines, name=name)


class YamlSyntaxError(Exception):
    """The text is not YAML the tool accepts; carries one Problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def read_text(path: Path) -> str:
    """The UTF-8 text of a small regular file (no device, pipe or folder); YamlSyntaxError otherwise."""
    try:
        raw = read_capped(path, MAX_FILE_BYTES)
    except UnreadableFile as exc:
        raise YamlSyntaxError(Problem(str(exc))) from None
    if b"\x00" in raw:
        raise YamlSyntaxError(Problem("file is binary, not YAML text"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlSyntaxError(Problem(f"file is not UTF-8 text (byte {exc.start})", line=line)) from None


def problems_from_validation(exc, source: YamlSource, known_names: set[str] = frozenset()) -> list[Problem]:
    """Turn a pydantic ValidationError into Problems that name field path and line."""
    import difflib

    problems = []
    for error in exc.errors(include_url=False):
        path = ""
        for part in error["loc"]:
            if isinstance(part, str) and (part.startswith(("function-", "tagged-union")) or part in ("project_id", "inline_project")):
                continue
            path = join_path(path, part)
        message = error["msg"]
        hint = ""
        if error["type"] == "extra_forbidden":
            field_name = str(error["loc"][-1])
            message = f"unknown field {field_name!r}"
            close = difflib.get_close_matches(field_name, sorted(known_names), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else ""
        elif error["type"] == "missing":
            message = "required field is missing"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        problems.append(Problem(message, path=path, line=source.line_of(path), hint=hint))
    return problems
