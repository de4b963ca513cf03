"""Read YAML text safely and remember the line of every field, for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tripplanner.errors import Problem

MAX_FILE_BYTES = 2_000_000
"""Request and catalog files are hand-written; anything larger is refused before parsing."""


_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it (several times faster), the pure-Python one otherwise."""


class _Loader(_SafeBase):
    """A safe loader that leaves dates and times as text: their zone is only known after city lookup."""


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

    def line_of(self, path: str) -> int | None:
        """Line of the field, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None


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


def parse_yaml(text: str, name: str = "") -> YamlSource:
    """Parse YAML text (no aliases, dates kept as text); YamlSyntaxError on bad syntax."""
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1
                raise YamlSyntaxError(Problem("YAML aliases (*name) are not accepted in trip files", line=line))
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
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
    """The UTF-8 text of a small regular file; OSError/ValueError subclasses become YamlSyntaxError."""
    if path.is_dir():
        raise YamlSyntaxError(Problem(f"{path} is a directory, not a file"))
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlSyntaxError(Problem(f"cannot read {path}: {exc.strerror}")) from None
    if size > MAX_FILE_BYTES:
        raise YamlSyntaxError(Problem(f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlSyntaxError(Problem(f"cannot read {path}: {exc.strerror}")) from None
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
