"""The geo command line: geocode names given as arguments or a column of a CSV file.

    python -m geo geocode "Ramousah" "Nubbul" --near aleppo --json
    python -m geo geocode --csv rows.csv --column location --out rows-geocoded.csv

Exit status: 0 on success (unmatched names are results, not errors), 1 on a geocoding error
(a bad --near or --country), 2 on a usage error (argparse) or a missing CSV column.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from geo.errors import GeocodeError

CSV_COLUMNS = ("geo_place_id", "geo_lat", "geo_lon", "geo_precision_m", "geo_provider", "geo_score",
               "geo_status", "geo_candidates")
CHUNK_ROWS = 2_000
PROGRESS_FROM_ROWS = 5_000


def status_of(match: Any) -> str:
    """'matched', 'ambiguous' or 'unmatched'."""
    if match is None:
        return "unmatched"
    return "ambiguous" if match.is_ambiguous else "matched"


def candidate_label(candidate: Any) -> str:
    """A place id, or 'provider:name' for a place outside our gazetteer."""
    return candidate.place_id or f"{candidate.provider}:{candidate.name}"


def parse_near(text: str | None) -> Any:
    """--near: a place id or name, or a point written 'lat=36.37,lon=37.0'.

    >>> parse_near("aleppo")
    'aleppo'
    >>> parse_near("lat=36.37,lon=37.0")
    LatLon(lat=36.37, lon=37.0)
    >>> parse_near(None) is None
    True
    >>> parse_near("36.37,37.0")
    Traceback (most recent call last):
    ...
    geo.errors.CoordinateError: a point must be written 'lat=<degrees>,lon=<degrees>', got '36.37,37.0'

    """
    from geo.match import LatLon

    if text is None:
        return None
    if text.strip().lower().startswith("lat") or not any(ch.isalpha() for ch in text):
        return LatLon.parse(text)  # a bare "36.37,37.0" is refused: say the axes
    return text


def to_json_line(query: str, match: Any) -> str:
    """One JSON object for one name: the query, its status and the match fields (if any)."""
    record: dict[str, Any] = {"query": query, "status": status_of(match)}
    if match is not None:
        record.update({k: v for k, v in match.to_dict().items() if k != "query"})
    return json.dumps(record, ensure_ascii=False)


def to_text_line(query: str, match: Any) -> str:
    """A tab-separated line for people: query, status, id or name, lat, lon, radius, provider, score."""
    if match is None:
        return f"{query}\tunmatched"
    label = candidate_label(match)
    line = (f"{query}\t{status_of(match)}\t{label}\t{match.lat:.5f}\t{match.lon:.5f}\t"
            f"{match.precision_m or ''}\t{match.provider}\t{match.score:g}")
    if match.is_ambiguous:
        line += "\tcandidates: " + " | ".join(candidate_label(c) for c in match.candidates)
    return line


def csv_cells(match: Any) -> dict[str, str]:
    """The geo_* columns for one row; an ambiguous row gets no coordinates, only its candidates."""
    cells = dict.fromkeys(CSV_COLUMNS, "")
    cells["geo_status"] = status_of(match)
    if match is None:
        return cells
    cells["geo_provider"] = match.provider
    cells["geo_score"] = f"{match.score:g}"
    if match.is_ambiguous:
        cells["geo_candidates"] = "|".join(candidate_label(c) for c in match.candidates)
        return cells
    cells.update(geo_place_id=match.place_id or "", geo_lat=f"{match.lat:.6f}", geo_lon=f"{match.lon:.6f}",
                 geo_precision_m="" if match.precision_m is None else f"{match.precision_m:g}")
    return cells


def geocode_csv(geocoder: Any, source: Path, column: str, out: TextIO, *, near: Any = None,
                country: str | None = None, progress: bool | None = None, stderr: TextIO | None = None) -> int:
    """Copy a CSV adding the geo_* columns for the names in `column`; return the number of data rows."""
    from geo.progress import Progress

    with source.open(newline="", encoding="utf-8-sig") as handle:
        total = max(sum(1 for _ in csv.reader(handle)) - 1, 0)
    with source.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        if column not in fields:
            raise KeyError(f"column {column!r} is not in {source.name}; its columns are: {', '.join(fields)}")
        writer = csv.DictWriter(out, fieldnames=fields + [c for c in CSV_COLUMNS if c not in fields],
                                lineterminator="\n")
        writer.writeheader()
        bar = Progress(total, stream=stderr, enabled=progress if progress is not None else total >= PROGRESS_FROM_ROWS)
        chunk: list[dict] = []
        for row in reader:
            chunk.append(row)
            if len(chunk) >= CHUNK_ROWS:
                _write_chunk(geocoder, chunk, column, writer, near=near, country=country)
                bar.update(len(chunk))
                chunk = []
        if chunk:
            _write_chunk(geocoder, chunk, column, writer, near=near, country=country)
            bar.update(len(chunk))
        if bar.enabled:
            bar.close()
    return total


def _write_chunk(geocoder: Any, rows: list[dict], column: str, writer: csv.DictWriter, *, near: Any,
                 country: str | None) -> None:
    matches = geocoder.geocode_many([row.get(column) or "" for row in rows], near=near, country=country)
    for row, match in zip(rows, matches):
        row.update(csv_cells(match))
        writer.writerow(row)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (one sub-command today: geocode)."""
    parser = argparse.ArgumentParser(prog="python -m geo", description="Offline geocoding for Claim Atlas.")
    commands = parser.add_subparsers(dest="command", required=True)
    geocode = commands.add_parser("geocode", help="geocode names, or a column of a CSV file")
    geocode.add_argument("names", nargs="*", help="place names to geocode")
    geocode.add_argument("--near", help="a place id or name, or a point 'lat=36.37,lon=37.0', to break ties")
    geocode.add_argument("--country", help="ISO2 country code to prefer, e.g. SY")
    geocode.add_argument("--json", action="store_true", help="print one JSON object per name")
    geocode.add_argument("--csv", type=Path, help="a CSV file whose --column holds the names")
    geocode.add_argument("--column", help="the CSV column with the names")
    geocode.add_argument("--out", type=Path, help="write the CSV here (default: standard output)")
    geocode.add_argument("--places", type=Path, action="append", default=[],
                         help="a places table (DATA-MODEL.md layout) that wins over the seed's and ours; repeatable")
    geocode.add_argument("--no-seed", action="store_true", help="do not load data/seed/places.csv")
    geocode.add_argument("--no-geonames", action="store_true", help="leave the GeoNames layer out")
    geocode.add_argument("--live", help="live geocoder provider ('nominatim'); default: ATLAS_LIVE_GEOCODER or off")
    geocode.add_argument("--cache-dir", type=Path, help="directory of the live geocoder's cache")
    progress = geocode.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None,
                          help="always show the progress bar on stderr")
    progress.add_argument("--no-progress", dest="progress", action="store_false",
                          help=f"never show it (default: shown from {PROGRESS_FROM_ROWS:,} rows)")
    return parser


def _geocoder(args: argparse.Namespace) -> Any:
    from geo.geocoder import SEED_PLACES, Geocoder, default_geocoder

    if not (args.places or args.no_seed or args.no_geonames or args.live is not None or args.cache_dir is not None):
        return default_geocoder()
    places = [str(p) for p in args.places]
    if not args.no_seed and SEED_PLACES.is_file():
        places.append(SEED_PLACES)
    return Geocoder(places, geonames=not args.no_geonames, live=args.live, cache_dir=args.cache_dir)


def main(argv: list[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.csv is None and not args.names:
        parser.error("give names to geocode, or --csv FILE --column COLUMN")
    if args.csv is not None and (args.names or not args.column):
        parser.error("--csv takes --column (and no names on the command line)")
    try:
        near = parse_near(args.near)
        geocoder = _geocoder(args)
        if args.csv is not None:
            if not args.csv.is_file():
                print(f"error: {args.csv} is not a file", file=stderr)
                return 2
            if args.out is not None:
                with args.out.open("w", newline="", encoding="utf-8") as out:
                    rows = geocode_csv(geocoder, args.csv, args.column, out, near=near, country=args.country,
                                       progress=args.progress, stderr=stderr)
                print(f"wrote {rows:,} rows to {args.out}", file=stderr)
            else:
                geocode_csv(geocoder, args.csv, args.column, stdout, near=near, country=args.country,
                            progress=args.progress, stderr=stderr)
            return 0
        matches = geocoder.geocode_many(args.names, near=near, country=args.country)
        for name, match in zip(args.names, matches):
            print(to_json_line(name, match) if args.json else to_text_line(name, match), file=stdout)
        return 0
    except KeyError as error:
        print(f"error: {error.args[0]}", file=stderr)
        return 2
    except GeocodeError as error:
        print(f"error: {error}", file=stderr)
        return 1
