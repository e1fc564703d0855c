"""A deterministic table of shared links built from the URL vocabulary and the seed's own ids, for AppTest and Chromium.

Each row is a link an analyst (or an attacker) might open, the parameter names its warning must name, and, where
it is certain from the dates alone, whether it must match no event. Valid dates outside the data's range are
valid filters: they warn about nothing and may simply match nothing.

>>> rows = build_table()
>>> len(rows) >= 200, len({row.id for row in rows}) == len(rows)
(True, True)
>>> quoted("a`b\\n c"), quoted("\\u202eevil"), quoted("x" * 50)
("a'b c", '<U+202E>evil', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...')
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import parse_qs, quote, urlencode

from data.model.dataset import load_dataset
from data.model.text import show_invisible
from data.model.taxonomy import EVENT_TYPES, SIDES, STATUSES
from data.views.view import PARAMS, ViewState, Vocabulary

RANDOM_SEED = 20161205  # fixed: the same table on every machine and run
NAMES = tuple(spec.name for spec in PARAMS)
LONG = 10_000
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
MARKDOWN = "**bold** _em_ [x](javascript:alert(1)) :red[x] $x^2$ # h"
JAVASCRIPT = "javascript:alert(document.cookie)"
BIDI = "\u202eopposition\u202c"  # right-to-left override: reads reversed
ENTITIES = "&lt;script&gt;&amp;#x27;"
CRLF = "x\r\nSet-Cookie: a=b"
NUL = "a\x00b"
HOMOGLYPH = "\u0430leppo"  # Cyrillic a
SQL = "' OR 1=1 --"
PATH = "../../etc/passwd"
HOSTILE = (SCRIPT, IMG, MARKDOWN, JAVASCRIPT, BIDI, ENTITIES, CRLF, NUL, HOMOGLYPH, SQL, PATH)
HOSTILE_TAGS = ("script", "img", "markdown", "javascript", "bidi", "entities", "crlf", "nul", "homoglyph", "sql", "path")


@dataclass(frozen=True)
class Link:
    """One row of the table: what the URL holds, and what the app must say about it."""

    id: str
    kind: str
    query: dict[str, list[str]]
    bad: frozenset[str]  # names as the warning quotes them (see quoted)
    empty: bool = False  # True only when the dates alone rule out every event
    raw: str | None = field(default=None, repr=False)  # the exact query string, when it matters (percent junk)

    @property
    def query_string(self) -> str:
        """The query string a browser is given (every byte percent-encoded, unless the row is raw on purpose)."""
        if self.raw is not None:
            return self.raw
        return urlencode([(k, v) for k, values in self.query.items() for v in values], quote_via=quote, safe="")


@dataclass(frozen=True)
class SeedVocabulary:
    """Real ids and the data's date range, read from the seed dataset."""

    first: date
    last: date
    actors: tuple[str, ...]
    places: tuple[str, ...]
    events: tuple[str, ...]
    sources: tuple[str, ...]
    outlets: tuple[str, ...]
    types: tuple[str, ...]
    words: tuple[str, ...]
    origins: tuple[str, ...] = ()

    def as_vocabulary(self) -> Vocabulary:
        """What the app accepts with only the seed available (an empty store)."""
        return Vocabulary(datasets=frozenset({"seed"}), actors=frozenset(self.actors), places=frozenset(self.places),
                          outlets=frozenset(self.outlets), events=frozenset(self.events), sources=frozenset(self.sources),
                          origins=frozenset(self.origins))


@lru_cache(maxsize=1)
def seed_vocabulary() -> SeedVocabulary:
    """The seed's vocabulary, computed rather than written down, so the table follows the data."""
    ds = load_dataset()
    events = ds.events
    words = sorted({w for s in events["summary"] for w in re.findall(r"[a-z]{6,}", str(s).lower())})
    return SeedVocabulary(
        first=events["date_start"].min().date(),
        last=events["date_end"].max().date(),
        actors=tuple(sorted(ds.actors["actor_id"])),
        places=tuple(sorted(ds.places["place_id"])),
        events=tuple(sorted(events["event_id"])),
        sources=tuple(sorted(ds.sources["source_id"])),
        outlets=tuple(sorted(set(ds.sources["outlet"]))),
        types=tuple(sorted(set(events["event_type"]))),
        words=tuple(words),
        origins=tuple(sorted(set(ds.claims["origin"].astype(str)))),
    )


def quoted(name: str) -> str:
    """How a warning quotes a user-supplied name: one line, ' for `, invisible characters as <U+XXXX>, 40 characters at most."""
    flat = show_invisible(" ".join(str(name).split()).replace("`", "'"))
    return flat if len(flat) <= 40 else flat[:37] + "..."


_NAMED = re.compile(r"^\s*(?:[•*-]\s*)?`([^`\n]*)`")


def named_params(texts: Iterable[str]) -> set[str]:
    """The parameter names warnings name: the backticked name that opens each line.

    >>> sorted(named_params(["Some were not understood:\\n\\n• `from` (x) must not be after `to`\\n• `side` bad"]))
    ['from', 'side']
    """
    return {m.group(1) for text in texts for line in text.splitlines() if (m := _NAMED.match(line))}


def expected_settled(link: Link) -> dict[str, list[str]]:
    """The URL the app should settle on: every understood parameter kept (canonical form), everything else dropped."""
    view, _ = ViewState.from_query(link.query, seed_vocabulary().as_vocabulary())
    return view.to_query()


def parser_verdict(link: Link) -> set[str]:
    """The names data/views/view.py's parser reports for this link (to check the table against it)."""
    _, errors = ViewState.from_query(link.query, seed_vocabulary().as_vocabulary())
    return {error.param for error in errors}


def _link(kind: str, label: str, query: dict[str, list[str] | str], bad: Iterable[str] = (), *, empty: bool = False) -> Link:
    lists = {name: [value] if isinstance(value, str) else list(value) for name, value in query.items()}
    return Link(f"{kind}:{label}", kind, lists, frozenset(quoted(b) for b in bad), empty)


def _raw(kind: str, label: str, raw: str, bad: Iterable[str] = ()) -> Link:
    return Link(f"{kind}:{label}", kind, parse_qs(raw, keep_blank_values=True), frozenset(quoted(b) for b in bad), raw=raw)


def _day(value: date) -> str:
    return value.isoformat()


def _dates(v: SeedVocabulary, rng: random.Random) -> dict[str, list[date]]:
    """Well-formed dates before, inside and after the data's range (its own first and last days included)."""
    span = (v.last - v.first).days
    inside = sorted({v.first + timedelta(days=rng.randrange(1, span)) for _ in range(4)})
    return {
        "before": [date(1900, 1, 1), date(1990, 1, 1), date(2000, 1, 1), v.first - timedelta(days=365), v.first - timedelta(days=1)],
        "inside": [v.first, *inside, v.last],
        "after": [v.last + timedelta(days=1), date(2016, 12, 31), date(2099, 1, 1), date(2100, 12, 31)],
    }


def date_links(v: SeedVocabulary, rng: random.Random) -> list[Link]:
    """Single dates and ranges before, inside, after and across the data; reversed ranges; the bounds a date may take."""
    days = _dates(v, rng)
    rows: list[Link] = []
    for where, values in days.items():
        for value in values:
            kind = "date-inside" if where == "inside" else "date-outside"
            rows.append(_link(kind, f"from={_day(value)}", {"from": _day(value)}, empty=value > v.last))
            rows.append(_link(kind, f"to={_day(value)}", {"to": _day(value)}, empty=value < v.first))
    before, inside, after = days["before"], days["inside"], days["after"]
    pairs = [
        ("date-inside", inside[1], inside[3]), ("date-inside", v.first, v.last), ("date-inside", inside[2], inside[2]),
        ("date-outside", before[0], before[-1]), ("date-outside", after[0], after[-1]),
        ("date-outside", date(2016, 12, 1), date(2017, 1, 31)),
        ("date-across", before[1], inside[2]), ("date-across", inside[2], after[1]), ("date-across", before[0], after[-1]),
        ("date-across", before[-1], v.first), ("date-across", v.last, after[0]), ("date-across", before[2], after[2]),
    ]
    for kind, start, end in pairs:
        rows.append(_link(kind, f"{_day(start)}..{_day(end)}", {"from": _day(start), "to": _day(end)},
                          empty=start > v.last or end < v.first))
    for start, end in [(inside[3], inside[1]), (v.last, v.first), (after[2], before[1]), (v.last + timedelta(days=1), v.last),
                       (date(2017, 1, 31), date(2016, 12, 1)), (inside[2] + timedelta(days=1), inside[2])]:
        rows.append(_link("date-reversed", f"{_day(start)}..{_day(end)}", {"from": _day(start), "to": _day(end)}, {"from"}))
    malformed = ["yesterday", "2016-02-30", "2015-02-29", "2016-13-01", "2016-00-10", "2016-8-1", "01/08/2016",
                 "2016-08-01T00:00", "20160801", "2016-08-01 12:00", "0000-01-01", "-2016-08-01", "2016\u201308\u201301", "99999-01-01", "now()"]
    for i, value in enumerate(malformed):
        name = ("from", "to")[i % 2]
        rows.append(_link("date-malformed", f"{name}={value.encode('ascii', 'backslashreplace').decode()}", {name: value}, {name}))
    # Digits of other scripts are still digits to the parser: understood, and written back in ASCII
    rows.append(_link("date-inside", "from=fullwidth-digits", {"from": "\uff12\uff10\uff11\uff16-08-01"}))
    rows.append(_link("date-malformed", "valid-from-bad-to", {"from": _day(inside[1]), "to": "2016-02-30"}, {"to"}))
    rows.append(_link("date-malformed", "bad-from-valid-to", {"from": "tomorrow", "to": _day(inside[1])}, {"from"}))
    for name, value in [("from", "1899-12-31"), ("to", "2101-01-01"), ("from", "9999-12-31"), ("to", "0001-01-01")]:
        rows.append(_link("date-beyond-bounds", f"{name}={value}", {name: value}, {name}))
    return rows


def _valid_values(name: str, v: SeedVocabulary, rng: random.Random) -> list[str]:
    """One valid value (two for some list parameters) of a parameter, drawn from the real vocabulary."""
    many = rng.random() < 0.3
    pick = (lambda pool: rng.sample(pool, 2 if many and len(pool) > 1 else 1))
    span = (v.last - v.first).days
    values = {
        "ds": lambda: ["seed"],
        "from": lambda: [_day(v.first + timedelta(days=rng.randrange(span)))],
        "to": lambda: [_day(v.first + timedelta(days=rng.randrange(span)))],
        "side": lambda: pick(list(SIDES)),
        "actor": lambda: pick(list(v.actors)),
        "type": lambda: pick(list(v.types)),
        "sub": lambda: pick([s for t in v.types for s in EVENT_TYPES[t]]),
        "place": lambda: pick(list(v.places)),
        "status": lambda: pick(list(STATUSES)),
        "outlet": lambda: pick(list(v.outlets)),
        "src": lambda: pick(list(v.sources)),
        "q": lambda: [rng.choice(v.words)],
        "at": lambda: [rng.choice(v.places)],
        "ev": lambda: [rng.choice(v.events)],
        "colour": lambda: [rng.choice(["side", "dataset"])],
        "map": lambda: [rng.choice(["36.2,37.15,11", "35,38.5,6", "36.21,37.16,12.5", "36.52,37.95,10"])],
        "origin": lambda: pick(list(v.origins)),
        "multi": lambda: ["1"],
        "disagree": lambda: ["1"],
        "asof": lambda: [_day(v.first + timedelta(days=rng.randrange(span)))],
        "show": lambda: [rng.choice(["events", "control", "both"])],
    }
    return values[name]()


def _consistent(query: dict[str, list[str]], rng: random.Random) -> dict[str, list[str]]:
    """Order a valid from/to pair and keep sub-types under their chosen types, so a valid combination stays valid."""
    if "from" in query and "to" in query and query["from"] > query["to"]:
        query["from"], query["to"] = query["to"], query["from"]
    if "type" in query and "sub" in query:
        query["sub"] = [rng.choice(EVENT_TYPES[rng.choice(query["type"])])]
    return query


def valid_links(v: SeedVocabulary, rng: random.Random) -> list[Link]:
    """Every parameter alone with real values, then seeded random combinations of them."""
    rows = [_link("valid-single", "ds=seed", {"ds": "seed"}), _link("valid-single", "colour=dataset", {"colour": "dataset"}),
            _link("valid-single", "colour=side", {"colour": "side"}), _link("valid-single", "q-padded", {"q": "  siege  "}),
            _link("valid-single", "map=aleppo-city", {"map": "36.2,37.15,11"}), _link("valid-single", "map=syria", {"map": "35,38.5,5.5"}),
            _link("valid-single", "q-two-words", {"q": "east   aleppo"}), _link("valid-single", "multi=1", {"multi": "1"}),
            _link("valid-single", "disagree=1", {"disagree": "1"}), _link("valid-single", "multi=off", {"multi": "off"}),
            _link("valid-single", "origin=Reuters", {"origin": "Reuters"}),
            _link("valid-single", "asof=2016-08-20", {"asof": "2016-08-20"}), _link("valid-single", "asof=2016-08", {"asof": "2016-08"}),
            _link("valid-single", "asof-before-data", {"asof": "1990-01-01"}), _link("valid-single", "show=control", {"show": "control"}),
            _link("valid-single", "show=both", {"show": "both"}), _link("valid-single", "asof+show", {"asof": "2016-10-10", "show": "control"})]
    for status in STATUSES:
        rows.append(_link("valid-single", f"status={status}", {"status": status}))
    for outlet in v.outlets:
        rows.append(_link("valid-single", f"outlet={outlet}", {"outlet": outlet}))
    for kind in EVENT_TYPES:  # the seed has only some of them: the others are valid and match nothing
        rows.append(_link("valid-single", f"type={kind}", {"type": kind}))
    samples = {"side": rng.sample(SIDES, 3), "actor": rng.sample(v.actors, 3), "place": rng.sample(v.places, 3),
               "src": rng.sample(v.sources, 2), "at": rng.sample(v.places, 2), "ev": rng.sample(v.events, 3),
               "sub": rng.sample([s for t in v.types for s in EVENT_TYPES[t]], 2), "q": rng.sample(v.words, 2)}
    for name, values in samples.items():
        for value in values:
            rows.append(_link("valid-single", f"{name}={value}", {name: value}))
    seen: set[str] = set()
    while len(seen) < 40:
        names = rng.sample(NAMES, rng.randint(2, 5))
        query = _consistent({name: _valid_values(name, v, rng) for name in names}, rng)
        link = _link("valid-combo", f"{len(seen):02d}-" + "+".join(names), query)
        if link.query_string not in seen:
            seen.add(link.query_string)
            rows.append(link)
    rows.append(_link("valid-combo", "every-parameter", _consistent({name: _valid_values(name, v, rng) for name in NAMES}, rng)))
    return rows


def _bad_values(v: SeedVocabulary) -> dict[str, list[str]]:
    """Values each parameter cannot use: unknown ids, near misses of real ones, wrong choices, malformed dates."""
    return {
        "ds": ["somebody-elses-dataset", "acled-000000000000", "SEED"],
        "from": ["yesterday", "2016-02-30", "01/08/2016"],
        "to": ["tomorrow", "2016-13-01", "2016-8-1"],
        "side": ["rebels", "Opposition", "government ally"],
        "actor": ["no-such-actor", v.actors[0].upper(), v.actors[1] + "-x"],
        "type": ["Battle", "battles", "Explosions"],
        "sub": ["Airstrike", "armed clash"],
        "place": ["atlantis", v.places[0] + "s", v.places[1].upper()],
        "status": ["maybe", "Contested", "single source"],
        "outlet": ["Unknown Gazette", v.outlets[0].lower(), v.outlets[1] + "s"],
        "src": ["no-such-source", v.sources[0] + "0"],
        "q": ["a\x00b", "\x1b[31mred", "y" * 201],
        "at": ["atlantis", v.places[2] + "-x"],
        "ev": ["no-such-event", v.events[0][:-1]],
        "colour": ["rainbow", "Side"],
        "map": ["36.2,37.15", "north,east,9", "nan,37,9", "91,37,9", "36.2,37.15,30", "36.2,37.15,inf"],
        "origin": ["Nobody Agency", v.origins[0] + "s", v.origins[1].upper()],
        "multi": ["maybe", "2"],
        "disagree": ["yes please", "-1"],
        "asof": ["last week", "2016-02-30", "06/08/2016"],
        "show": ["map", "Control", "events,control"],
    }


def unknown_links(v: SeedVocabulary) -> list[Link]:
    """Unknown ids, near misses of real ids and wrong choices, one per row; then a real id beside an unknown one."""
    rows = []
    for name, values in _bad_values(v).items():
        for value in values:
            label = value if len(value) <= 30 else value[:27] + "..."
            rows.append(_link("unknown-value", f"{name}={label.encode('ascii', 'backslashreplace').decode()}", {name: value}, {name}))
    rows.append(_link("unknown-value", "real-and-unknown-actor", {"actor": [v.actors[3], "nobody"]}, {"actor"}))
    # the sidebar offers only the sub-types of the chosen types: another one cannot apply, so it is named
    rows.append(_link("unknown-value", "sub-outside-its-type", {"type": "Battles", "sub": "Air/drone strike"}, {"sub"}))
    rows.append(_link("unknown-value", "real-and-unknown-place", {"place": [v.places[4], "atlantis"]}, {"place"}))
    return rows


def repeated_links(v: SeedVocabulary) -> list[Link]:
    """Repeated keys: same value twice (fine), two different single values (bad), comma lists, too many values."""
    day, other = _day(v.last - timedelta(days=30)), _day(v.last - timedelta(days=10))
    rows = [
        _link("repeated", "status-two", {"status": ["contested", "corroborated"]}),
        _link("repeated", "side-twice-same", {"side": ["opposition", "opposition"]}),
        _link("repeated", "from-twice-same", {"from": [day, day]}),
        _link("repeated", "at-twice-same", {"at": [v.places[5]] * 2}),
        _link("repeated", "ev-twice-same", {"ev": [v.events[5]] * 2}),
        _link("repeated", "ds-twice-seed", {"ds": ["seed", "seed"]}),
        _link("repeated", "side-commas", {"side": "opposition,government"}),
        _link("repeated", "status-commas-and-repeat", {"status": ["contested,single-source", "unclaimed"]}),
        _link("repeated", "outlet-two", {"outlet": list(v.outlets[:2])}),
        _link("repeated", "status-fifty", {"status": ["contested"] * 50}),
        _link("repeated", "from-two-values", {"from": [day, other]}, {"from"}),
        _link("repeated", "to-two-values", {"to": [other, day]}, {"to"}),
        _link("repeated", "ev-two-real-events", {"ev": list(v.events[:2])}, {"ev"}),
        _link("repeated", "at-two-real-places", {"at": list(v.places[:2])}, {"at"}),
        _link("repeated", "q-two-values", {"q": ["siege", "corridor"]}, {"q"}),
        _link("repeated", "colour-two-values", {"colour": ["side", "dataset"]}, {"colour"}),
        _link("repeated", "map-two-values", {"map": ["36.2,37.15,11", "35,38.5,6"]}, {"map"}),
        _link("repeated", "actor-sixty", {"actor": [v.actors[0]] * 60}, {"actor"}),
        _link("repeated", "status-fifty-one", {"status": ["contested"] * 51}, {"status"}),
        _link("repeated", "outlet-comma-is-one-name", {"outlet": ",".join(v.outlets[:2])}, {"outlet"}),
    ]
    return rows


def hostile_links() -> list[Link]:
    """Script tags, markdown, javascript: URLs, bidi overrides, control characters... in every parameter, in turn."""
    rows = []
    for i, name in enumerate(NAMES):
        for j in (i, i + 6):
            tag, value = HOSTILE_TAGS[j % len(HOSTILE)], HOSTILE[j % len(HOSTILE)]
            # search text is free text: only control characters (other than whitespace) make it unusable
            bad = name != "q" or any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value)
            rows.append(_link("hostile", f"{name}-{tag}", {name: value}, {name} if bad else ()))
    return rows


def long_links() -> list[Link]:
    """10,000-character values in every parameter, and the search box's 200-character limit from both sides."""
    rows = [_link("long", f"{name}-10000-chars", {name: ("2016-08-01" if name in ("from", "to") else "a") + "a" * (LONG - 10)}, {name})
            for name in NAMES]
    rows.append(_link("long", "q-200-chars", {"q": ("siege " * 40)[:199] + "s"}))
    rows.append(_link("long", "q-201-chars", {"q": "s" * 201}, {"q"}))
    rows.append(_link("long", "name-10000-chars", {"n" * LONG: "1"}, {"n" * LONG}))
    return rows


def percent_links(v: SeedVocabulary) -> list[Link]:
    """Raw query strings with broken, double and needless percent-encoding, as a pasted link may carry."""
    place = next(p for p in v.places if p.startswith("a"))
    return [
        _raw("percent", "q-invalid-escape", "q=%zz"),
        _raw("percent", "q-lone-percent", "q=%"),
        _raw("percent", "q-truncated-utf8", "q=%E2%80"),
        _raw("percent", "q-invalid-utf8", "q=%FF%FE"),
        _raw("percent", "q-double-encoded", "q=%2525"),
        _raw("percent", "q-plus-is-space", "q=east+aleppo"),
        _raw("percent", "place-needless-escape", "place=%61" + quote(place[1:], safe="")),
        _raw("percent", "from-escaped-digits", "from=%32%30%31%36-08-01&to=2016%2D08%2D31"),
        _raw("percent", "name-escaped", "%71=siege"),
        _raw("percent", "actor-invalid-utf8", "actor=%FF", {"actor"}),
        _raw("percent", "status-escaped-nul", "status=contested%00", {"status"}),
        _raw("percent", "side-double-encoded", "side=%25%32%35", {"side"}),
        _raw("percent", "ev-escaped-newline", "ev=%0A", {"ev"}),
        _raw("percent", "name-invalid-utf8", "%FF=1", {"\ufffd"}),
        _raw("percent", "to-escaped-junk", "to=%G0%2016-08-01", {"to"}),
    ]


def empty_links() -> list[Link]:
    """Every parameter given with no value; a list filter left empty means no filter, a single value is required."""
    required = {"ds", "from", "to", "at", "ev", "colour", "map", "asof", "show"}
    rows = [_link("empty", f"{name}=", {name: ""}, {name} if name in required else ()) for name in NAMES]
    rows += [_raw("empty", "bare-name", "from", {"from"}), _raw("empty", "only-ampersands", "&&&"),
             _raw("empty", "no-name", "=1", {""}), _raw("empty", "all-lists-empty", "side=&actor=&status=&q=")]
    return rows


def unknown_name_links() -> list[Link]:
    """Parameter names the app does not have: typos, other casings, tracking tags, markup, a backtick."""
    names = ["foo", "FROM", "Side", "date", "utm_source", "from[]", "q2", "<svg onload=alert(1)>", "**bold**", "a b", "`tick`",
             "\u202elevel\u202c", "zero\u200bwidth"]
    rows = [_link("unknown-name", f"name-{i:02d}", {name: "1"}, {name}) for i, name in enumerate(names)]
    rows.append(_link("unknown-name", "beside-valid", {"status": "contested", "sort": "date"}, {"sort"}))
    return rows


def mixed_links(v: SeedVocabulary, rng: random.Random) -> list[Link]:
    """Seeded mixtures of valid and bad parameters: only the bad ones are named, the valid ones still apply."""
    bad_values = _bad_values(v)
    rows = []
    for n in range(25):
        names = rng.sample(NAMES, rng.randint(2, 6))
        n_bad = rng.randint(1, max(1, len(names) - 1))
        bad, good = names[:n_bad], names[n_bad:]
        query = _consistent({name: _valid_values(name, v, rng) for name in good}, rng)
        query.update({name: [rng.choice(bad_values[name])] for name in bad})
        extra = []
        if rng.random() < 0.25:
            query["zz"] = ["1"]
            extra = ["zz"]
        rows.append(_link("mixed", f"{n:02d}-bad-" + "+".join(sorted(bad + extra)), query, bad + extra))
    everything = {name: [bad_values[name][0]] for name in NAMES} | {"nonsense": ["1"]}
    rows.append(_link("mixed", "every-parameter-bad", everything, [*NAMES, "nonsense"]))
    # the same with values as long as a message quotes (40 characters) and three unknown names: a long warning
    wordy = {name: [f"{name}-{'x' * 30}-not-a-value\x1b"] for name in NAMES} | {name: ["1"] for name in ("utm_source", "fbclid", "ref")}
    rows.append(_link("mixed", "every-parameter-bad-wordy", wordy, wordy))
    return rows


def build_table() -> list[Link]:
    """The whole table, the same on every run."""
    v = seed_vocabulary()
    rng = random.Random(RANDOM_SEED)
    rows = [*date_links(v, rng), *valid_links(v, rng), *unknown_links(v), *repeated_links(v), *hostile_links(),
            *long_links(), *percent_links(v), *empty_links(), *unknown_name_links(), *mixed_links(v, rng)]
    ids = [row.id for row in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate link ids: {duplicates}"
    return rows


BROWSER_NAMED = (  # the issue's own examples, always in the browser sample
    "date-outside:to=2016-12-31", "date-outside:from=2099-01-01", "date-outside:from=1990-01-01",
    "date-outside:to=2000-01-01", "date-outside:2016-12-01..2017-01-31", "date-malformed:from=yesterday",
    "date-malformed:to=2016-02-30", "mixed:every-parameter-bad", "mixed:every-parameter-bad-wordy",
    "unknown-value:sub-outside-its-type", "hostile:actor-bidi", "hostile:q-script", "unknown-name:name-11",
)


def browser_sample(rows: list[Link], per_kind: int = 2) -> list[Link]:
    """A fixed sample for Chromium: the issue's examples, topped up to per_kind rows of every class (seeded)."""
    rng = random.Random(RANDOM_SEED + 1)
    by_id = {row.id: row for row in rows}
    chosen = [by_id[i] for i in BROWSER_NAMED]
    for kind in dict.fromkeys(row.kind for row in rows):
        pool = [row for row in rows if row.kind == kind and row not in chosen]
        missing = per_kind - sum(row.kind == kind for row in chosen)
        chosen += rng.sample(pool, max(0, min(missing, len(pool))))
    return chosen
