"""Command line for datasets: `python -m data import|datasets|export|extract ...` (see `python -m data -h`).

    python -m data import FILE --format acled|ucdp|atlas [--name NAME]   # one JSON line of counts on stdout
    python -m data datasets                                               # saved datasets, one JSON line each
    python -m data export --dataset ID --format csv|geojson|acled|claims|atlas --out PATH   # atlas: a zip, narratives included
    python -m data extract ...                                            # the article extractor (data.extract.cli)
    python -m data control --dataset ID --at YYYY-MM-DD [--json]         # who held each place that day (--place ID: one history)
    python -m data narratives [--json] [--export FILE] [--import FILE]    # the seed's and the editors' narratives

The database is `$ATLAS_DATA_DIR/atlas.duckdb` (default `~/.local/share/claim-atlas/`). Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from data.errors import AtlasError, DatasetError

EXPORT_FORMATS = ("csv", "claims", "geojson", "acled", "atlas")


def progress_bar(fraction: float, message: str, *, stream=None, width: int = 30) -> None:
    """A one-line progress bar on stderr, redrawn in place."""
    stream = stream or sys.stderr
    filled = int(round(max(0.0, min(1.0, fraction)) * width))
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction * 100:5.1f}% {message[:60]:<60}")
    if fraction >= 1.0:
        stream.write("\n")
    stream.flush()


def cmd_import(args: argparse.Namespace) -> int:
    from data.store.datasets import DatasetStore
    from data.store.imports import save_file

    path = Path(args.file)
    if not path.exists():
        print(f"error: {path} does not exist", file=sys.stderr)
        return 2
    # streamed into the store in one transaction (data/store/imports.py): memory does not grow with the file
    dataset_id, result = save_file(DatasetStore(), path, args.format, name=args.name or path.stem, progress=progress_bar)
    for problem in result.rejected[:20]:
        print(f"rejected: {problem}", file=sys.stderr)
    if len(result.rejected) > 20:
        print(f"rejected: ... and {len(result.rejected) - 20} more", file=sys.stderr)
    for warning in result.warnings[:5]:
        print(f"warning: {warning}", file=sys.stderr)
    if args.rejected_out and result.rejected:
        from data.importers import problems_csv

        Path(args.rejected_out).write_text(problems_csv(result.rejected), encoding="utf-8")
    progress_bar(1.0, "saved")
    print(json.dumps(result.summary(dataset_id)))
    return 0


def cmd_datasets(_args: argparse.Namespace) -> int:
    from data.store.datasets import DatasetStore

    for info in DatasetStore().list():
        print(
            json.dumps(
                {
                    "dataset_id": info.dataset_id,
                    "name": info.name,
                    "format": info.format,
                    "file_name": info.file_name,
                    "file_hash": info.file_hash,
                    "created": info.created.isoformat(timespec="seconds"),
                    "counts": info.counts,
                }
            )
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from data.views import exports
    from data.store.overlay import open_datasets

    ds = open_datasets([args.dataset])
    out = Path(args.out)
    if args.format == "csv":
        out.write_text(exports.events_to_csv(ds.events, ds.claims, ds.actor_index.names), encoding="utf-8")
    elif args.format == "claims":
        out.write_text(exports.claims_to_csv(ds.claims), encoding="utf-8")
    elif args.format == "geojson":
        out.write_text(exports.events_to_geojson_text(ds.events, ds.places), encoding="utf-8")
    elif args.format == "acled":
        out.write_text(exports.events_to_acled_csv(ds.events, ds.places, ds.actors, ds.claims), encoding="utf-8")
    else:
        from data.store.datasets import DatasetStore
        from data.store.narratives import carry_narratives, narratives_citing

        tables = exports.view_tables(ds.events, ds.claims, sources=ds.sources, places=ds.places, actors=ds.actors)
        carried, left_out = narratives_citing(DatasetStore(), args.dataset)  # they come back with an import of the zip
        out.write_bytes(carry_narratives(exports.view_to_zip(tables), carried, args.dataset))
        print(json.dumps({"dataset_id": args.dataset, "format": args.format, "out": str(out), "events": len(ds.events),
                          "narratives": [n.narrative_id for n in carried], "narratives_left_out": left_out}))
        for narrative_id in left_out:
            print(f"note: narrative {narrative_id} is not in the zip: it also walks through another saved dataset", file=sys.stderr)
        return 0
    print(json.dumps({"dataset_id": args.dataset, "format": args.format, "out": str(out), "events": len(ds.events)}))
    return 0


def cmd_control(args: argparse.Namespace) -> int:
    from data.model.control import infer_control, parse_day
    from data.model.dataset import SEED_DIR
    from data.store.overlay import open_datasets
    from data.views.control_view import control_claims_for

    if args.at is None and args.place is None:
        print("error: give --at YYYY-MM-DD (every place that day) or --place ID (one place's history)", file=sys.stderr)
        return 2
    day = parse_day(args.at) if args.at is not None else None
    ds = open_datasets([args.dataset])
    claims, problems = control_claims_for(ds, [args.dataset], seed_folder=SEED_DIR)  # the seed's file, editors' claims
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    control = infer_control(ds, control_claims=claims, lookback_days=args.lookback_days)
    if args.place is not None:
        rows = [i.to_dict() for i in control.history(args.place) if day is None or i.covers(day)]
        rows = [{"place_id": r["place_id"], "from": r["start"], "to": r["end"], "side": r["side"], "state": r["state"],
                 "evidence": r["event_ids"], "claims": r["claim_ids"], "basis": r["basis"]} for r in rows]
    else:
        rows = [state.to_dict() for state in control.on(day)]
    for row in rows:
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            since = row.get("since", row.get("from")) or "-"
            print("\t".join([row["place_id"], row["state"], row["side"] or "-", since, " ".join(row["evidence"]) or "-"]))
    return 0


def cmd_narratives(args: argparse.Namespace) -> int:
    """The seed's narratives and the store's (an editor's version of a seed narrative replaces it): id, title, steps."""
    from data.narratives.reading import seed_narratives
    from data.store.datasets import DatasetStore
    from data.store.narratives import NarrativeStore

    store = DatasetStore()
    if args.import_file:
        from data.store.narratives import import_narratives

        saved = import_narratives(store, Path(args.import_file).read_bytes())
        print(json.dumps({"imported": [n.narrative_id for n in saved]}))
        return 0
    listed = {n.narrative_id: (n, "seed") for n in seed_narratives()}
    listed.update({n.narrative_id: (n, "store") for n, _revision in NarrativeStore(store).list()})
    if args.export:
        from data.narratives.model import to_json

        Path(args.export).write_text(to_json(n for n, _origin in listed.values()), encoding="utf-8")
        return 0
    for narrative, origin in listed.values():
        row = {"id": narrative.narrative_id, "title": narrative.title, "steps": len(narrative.steps), "from": origin}
        print(json.dumps(row, ensure_ascii=False) if args.json else "\t".join([row["id"], str(row["steps"]), row["title"]]))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m data", description="Import, list and export Claim Atlas datasets.")
    sub = top.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="import an ACLED or UCDP GED CSV, or a folder/zip of our five CSVs")
    imp.add_argument("file")
    imp.add_argument("--format", choices=("acled", "ucdp", "atlas"), default=None, help="default: detect from the header")
    imp.add_argument("--name", default=None, help="display name (default: the file name)")
    imp.add_argument("--rejected-out", default=None, help="write rejected rows (line, column, value, reason) to this CSV")
    imp.set_defaults(run=cmd_import)
    lst = sub.add_parser("datasets", help="list saved datasets (one JSON line each)")
    lst.set_defaults(run=cmd_datasets)
    exp = sub.add_parser("export", help="export a dataset (or 'seed')")
    exp.add_argument("--dataset", required=True)
    exp.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    exp.add_argument("--out", required=True)
    exp.set_defaults(run=cmd_export)
    ctl = sub.add_parser("control", help="who held each place on a day, or one place's control history")
    ctl.add_argument("--dataset", required=True, help="'seed' or a saved dataset id")
    ctl.add_argument("--at", default=None, help="the day, YYYY-MM-DD")
    ctl.add_argument("--place", default=None, help="one place's whole history (with --at: its interval that day)")
    ctl.add_argument("--json", action="store_true", help="one JSON object a line")
    ctl.add_argument("--lookback-days", type=int, default=365, help="how far back a change says who held the place (365)")
    ctl.set_defaults(run=cmd_control)
    nar = sub.add_parser("narratives", help="list narratives: id, title, number of steps")
    nar.add_argument("--json", action="store_true", help="one JSON object a line")
    nar.add_argument("--export", metavar="FILE", default=None, help="write every narrative to a JSON file")
    nar.add_argument("--import", dest="import_file", metavar="FILE", default=None,
                     help="store the narratives of a JSON file (checked whole against the data: all or none)")
    nar.set_defaults(run=cmd_narratives)
    sub.add_parser("extract", help="extract claims from articles (see python -m data extract -h)", add_help=False)
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "extract":
        try:
            from data.extract.cli import main as extract_main
        except ImportError:
            print("error: the extractor (data.extract.cli) is not available", file=sys.stderr)
            return 2
        return int(extract_main(argv[1:]) or 0)
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
