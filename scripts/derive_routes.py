#!/usr/bin/env python3
"""Derive the compact nonstop air-route tables shipped in ``tripplanner/data``.

Source: the OpenFlights data exports (routes.dat, airports.dat), Open Database
License 1.0, credit "OpenFlights (openflights.org)".  The derived tables stay
under the ODbL; see tripplanner/data/README.md.

Usage (from the repository root)::

    python scripts/derive_routes.py [OPENFLIGHTS_DIR] [--out OUT_DIR]

OPENFLIGHTS_DIR defaults to ../shared/data/openflights relative to the
repository root; OUT_DIR defaults to tripplanner/data in the repository.

What it does:

* keeps nonstop routes (stops == 0);
* an endpoint written as a 4-letter ICAO code is mapped to its IATA code
  through airports.dat; a 3-letter code is the IATA code the airline used;
* airport details (name, position, tz zone) come from the airports.dat row
  that holds that IATA code (airports.dat is the 13 May 2019 revision, newer
  than routes.dat, so e.g. IST is the Istanbul Airport of 2019), or failing
  that from the row the route points to by airport id (e.g. INC, SIC); routes with an endpoint that has no IATA code or
  no airports.dat row at all are dropped (and counted);
* a route listed in one direction serves both ways: pairs are unordered and
  deduplicated, ``a < b`` alphabetically;
* ``airlines`` counts the distinct airlines listing the pair in either
  direction (codeshare listings included, airline id or, where the id is
  missing, the airline code);
* output is sorted, so reruns on the same input give byte-identical files.

Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "data" / "openflights"
DEFAULT_OUT = REPO_ROOT / "tripplanner" / "data"
NULL = "\\N"

ROUTES_FILE = "air_routes.csv"
AIRPORTS_FILE = "air_airports.csv"
LICENSE_FILE = "OPENFLIGHTS-LICENSE.txt"


def _value(field: str) -> str:
    """A field of an OpenFlights .dat file, with \\N as the empty string."""
    field = field.strip()
    return "" if field == NULL else field


def _read_dat(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [[_value(f) for f in row] for row in csv.reader(handle) if row]


def _coordinate(text: str) -> str:
    """Round to 6 decimals (about 0.1 m) and drop trailing zeros."""
    out = f"{float(text):.6f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def _header(title: str, rows: int) -> list[str]:
    return [
        f"# {title}",
        "# Derived from OpenFlights routes.dat (routes as of June 2014, export of 2 Feb 2017)",
        "# and airports.dat (revision of 13 May 2019): nonstop routes, unordered IATA pairs.",
        "# Licence: Open Database License (ODbL) 1.0, see OPENFLIGHTS-LICENSE.txt;",
        "# this derived database is under the ODbL too.",
        '# Credit: "OpenFlights (openflights.org)".',
        "# Produced by scripts/derive_routes.py; do not edit by hand.",
        f"# Rows: {rows}",
    ]


def _write_csv(path: Path, header: list[str], columns: list[str], rows: list[list[str]]) -> int:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for line in header:
            handle.write(line + "\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    return path.stat().st_size


def derive(source: Path, out: Path) -> tuple[dict[str, int], dict[str, int]]:
    airports = _read_dat(source / "airports.dat")
    routes = _read_dat(source / "routes.dat")

    # airports.dat columns: 0 id, 1 name, 2 city, 3 country, 4 IATA, 5 ICAO,
    # 6 latitude, 7 longitude, 8 altitude, 9 UTC offset, 10 DST, 11 tz zone.
    by_id = {row[0]: row for row in airports}
    by_iata = {row[4]: row for row in airports if len(row[4]) == 3}
    by_icao = {row[5]: row for row in airports if len(row[5]) == 4}

    def resolve(code: str, airport_id: str) -> tuple[str, list[str]] | None:
        """IATA code and airports.dat row of a route endpoint, or None."""
        code = code.upper()
        if len(code) == 4:  # ICAO code: map to IATA through airports.dat
            row = by_icao.get(code)
            if row is None or len(row[4]) != 3:
                return None
            return row[4], row
        if len(code) != 3:
            return None
        row = by_iata.get(code) or by_id.get(airport_id)
        if row is None:
            return None
        return code, row

    stats = defaultdict(int)
    airlines: dict[tuple[str, str], set[str]] = defaultdict(set)
    used: dict[str, list[str]] = {}
    ordered: set[tuple[str, str]] = set()
    unresolved: dict[str, int] = defaultdict(int)

    # routes.dat columns: 0 airline code, 1 airline id, 2 source airport,
    # 3 source id, 4 destination airport, 5 destination id, 6 codeshare,
    # 7 stops, 8 equipment.
    for row in routes:
        stats["routes_read"] += 1
        if row[7] != "0":
            stats["dropped_not_nonstop"] += 1
            continue
        ends = []
        for code, airport_id in ((row[2], row[3]), (row[4], row[5])):
            found = resolve(code, airport_id)
            if found is None:
                unresolved[code] += 1
            ends.append(found)
        if None in ends:
            stats["dropped_unknown_airport"] += 1
            continue
        (src, src_row), (dst, dst_row) = ends
        if src == dst:
            stats["dropped_same_airport"] += 1
            continue
        stats["routes_kept"] += 1
        used.setdefault(src, src_row)
        used.setdefault(dst, dst_row)
        ordered.add((src, dst))
        airline = row[1] if row[1] else "code:" + row[0]
        airlines[tuple(sorted((src, dst)))].add(airline)

    pair_rows = [[a, b, str(len(names))] for (a, b), names in sorted(airlines.items())]
    airport_rows = [
        [iata, row[1], _coordinate(row[6]), _coordinate(row[7]), row[11]]
        for iata, row in sorted(used.items())
    ]

    out.mkdir(parents=True, exist_ok=True)
    routes_size = _write_csv(
        out / ROUTES_FILE,
        _header("Nonstop air routes: a,b = IATA pair (a < b), airlines = distinct airlines either way.",
                len(pair_rows)),
        ["a", "b", "airlines"],
        pair_rows,
    )
    airports_size = _write_csv(
        out / AIRPORTS_FILE,
        _header("Airports served by the nonstop routes in air_routes.csv (tz database zone, empty if unknown).",
                len(airport_rows)),
        ["iata", "name", "latitude", "longitude", "timezone"],
        airport_rows,
    )
    license_src = source / "LICENSE"
    if license_src.exists():
        shutil.copyfile(license_src, out / LICENSE_FILE)

    stats["directed_pairs"] = len(ordered)
    stats["pairs"] = len(pair_rows)
    stats["one_way_only_pairs"] = sum(1 for a, b in ordered if (b, a) not in ordered)
    stats["airports"] = len(airport_rows)
    stats["airports_without_tz"] = sum(1 for r in airport_rows if not r[4])
    stats["routes_csv_bytes"] = routes_size
    stats["airports_csv_bytes"] = airports_size
    stats["unresolved_codes"] = len(unresolved)
    return dict(stats), dict(unresolved)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE,
                        help="folder holding routes.dat and airports.dat (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default: %(default)s)")
    args = parser.parse_args(argv)
    for name in ("routes.dat", "airports.dat"):
        if not (args.source / name).is_file():
            parser.error(f"{args.source / name} not found")
    stats, unresolved = derive(args.source, args.out)
    width = max(len(k) for k in stats)
    for key, value in stats.items():
        print(f"{key:<{width}}  {value}")
    if unresolved:
        worst = sorted(unresolved.items(), key=lambda kv: (-kv[1], kv[0]))
        print("unresolved endpoint codes (route rows):",
              ", ".join(f"{code} {n}" for code, n in worst))
    print(f"wrote {args.out / ROUTES_FILE} and {args.out / AIRPORTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
