"""Command line: extract candidate events and claims from article files and print them as JSON.

    python -m data.extract.cli FILE [FILE...] [--published YYYY-MM-DD] [--outlet NAME] --json
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from data.extract.extraction import extract


def _published(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--published must be a date like 2016-08-06, got {text!r}") from None


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"--min-confidence must be a number from 0 to 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data.extract.cli", description="Candidate events and claims from news articles (offline).")
    parser.add_argument("files", nargs="+", type=Path, help="plain-text article files (UTF-8)")
    parser.add_argument("--published", type=_published, help="publication date of every file, YYYY-MM-DD")
    parser.add_argument("--outlet", help="publisher of every file")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file (the only output format)")
    parser.add_argument("--dataset", type=Path, help="dataset folder whose actors.csv and places.csv resolve names (default: the seed)")
    parser.add_argument("--no-geocoder", action="store_true", help="do not resolve places (faster; names only)")
    parser.add_argument("--min-confidence", type=_share, default=0.35,
                        help="leave out events whose calibrated confidence (the share of such candidates found right) is lower")
    return parser


def _resources(dataset: Path | None, use_geocoder: bool):
    """The alias table and the geocoder, each None (with a note on stderr) when it cannot be loaded."""
    actors = geocoder = None
    try:
        from data.model.dataset import SEED_DIR, load_dataset

        folder = dataset or SEED_DIR
        actors = load_dataset(folder).actor_index
    except Exception as exc:  # the extractor still works on names alone
        print(f"note: actor table not loaded ({exc.__class__.__name__}: {str(exc)[:120]})", file=sys.stderr)
        folder = dataset
    if use_geocoder:
        try:
            from geo.geocoder import Geocoder

            places = folder / "places.csv" if folder and (folder / "places.csv").exists() else None
            geocoder = Geocoder(places=str(places) if places else None)
        except Exception as exc:
            print(f"note: geocoder not loaded ({exc.__class__.__name__}: {str(exc)[:120]})", file=sys.stderr)
    return actors, geocoder


def main(argv: list[str] | None = None) -> int:
    """Entry point (also reached as `python -m data extract ...`); returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    actors, geocoder = _resources(args.dataset, not args.no_geocoder)
    for path in args.files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            print(f"error: {path} is not UTF-8 text", file=sys.stderr)
            return 2
        result = extract(text, outlet=args.outlet, published=args.published, actors=actors, geocoder=geocoder,
                         min_confidence=args.min_confidence)
        payload = {"file": str(path), **result.to_dict()}
        print(json.dumps(payload, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
