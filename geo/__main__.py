"""Command line: `python -m geo geocode NAME... [--near X] [--json]` or `--csv FILE --column COL [--out OUT]`."""

import sys

from geo.cli import main

if __name__ == "__main__":
    sys.exit(main())
