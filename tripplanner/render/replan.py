"""What a re-plan changed, day by day, as plain text."""

from __future__ import annotations

from collections import Counter

from tripplanner.changes import Changes, ItemChange
from tripplanner.timeutil import format_minutes

STATUS_WIDTH = 8
"""Width of the status column: 'dropped ' and 'kept    ' line up."""


def _item(change: ItemChange) -> str:
    """'visit vie-housing (Vienna, AT)', 'anchor C40 Mayors meeting (Paris, FR)', 'night in Bonn, DE'."""
    if change.kind == "night":
        return change.name
    return f"{change.kind} {change.name} ({change.city})"


def _line(change: ItemChange) -> str:
    text = _item(change)
    if change.status == "moved" and change.after is not None:
        text += f" to {change.after:%a %d %b}"
    return f"{change.status:<{STATUS_WIDTH}} {text}" + (f": {change.reason}" if change.reason else "")


def _figure(name: str, figure: float, text: str) -> str:
    """'value +1.20', 'travel -3 h 10', 'days unchanged'."""
    return f"{name} unchanged" if figure == 0 else f"{name} {'+' if figure > 0 else ''}{text}"


def render_changes(changes: Changes) -> str:
    """Each day of the old or the new plan with its items kept, moved, dropped or added (and why), then a summary."""
    lines = [f"What changed from {changes.old_plan}:"]
    day = None
    for change in changes.changes:
        when = change.before or change.after
        head = f"{when:%a %d %b}" if when != day else ""
        day = when
        lines.append(f"  {head:<10}  {_line(change)}")
    count = Counter(change.status for change in changes.changes)
    old_items = count["kept"] + count["moved"] + count["dropped"]
    summary = (f"Kept {count['kept']} of the old plan's {old_items} items on their days, moved {count['moved']}, "
               f"dropped {count['dropped']}, added {count['added']}")
    if changes.figures is not None:
        f = changes.figures
        summary += "; " + ", ".join([
            _figure("value", f.value, f"{f.value:.2f}"), _figure("worth", f.worth, f"{f.worth:.2f}"),
            _figure("travel", f.travel_min, format_minutes(f.travel_min)), _figure("days", f.days, str(f.days))])
        summary += f"; cities added: {', '.join(f.added) or 'none'}; dropped: {', '.join(f.dropped) or 'none'}"
    lines.append(summary)
    if changes.note:
        lines.append(f"Note: {changes.note}")
    return "\n".join(lines)
