"""The view state: every filter and selection of the dashboard, in one object that round-trips to the URL."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta

from data.errors import FilterError
from data.model.text import show_invisible
from data.model.taxonomy import EVENT_TYPES, SIDE_LABELS, SIDES, STATUSES, SUB_EVENT_TYPES

MAX_VALUE_CHARS = 200
MAX_VALUES = 50
DEFAULT_DATASETS = ("seed",)
COLOUR_BY = ("side", "dataset")
MAP_SHOWS = ("events", "control", "both")  # the map's layers: events, who held what (data/model/control), or both
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2100, 12, 31)  # any date a link may name, whatever the data's range
_ID = re.compile(r"^[a-z0-9][a-z0-9._:-]{0,199}$")
FLAG_VALUES = {"1": True, "true": True, "on": True, "yes": True, "0": False, "false": False, "off": False, "no": False, "": False}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Vocabulary:
    """What a URL may name in the loaded data; from_query rejects anything else."""

    datasets: frozenset[str] = frozenset(DEFAULT_DATASETS)
    actors: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    outlets: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    origins: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ViewState:
    """Filters and selection; the empty default shows everything."""

    datasets: tuple[str, ...] = DEFAULT_DATASETS
    date_from: date | None = None
    date_to: date | None = None
    sides: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    text: str = ""
    selected_place: str | None = None
    selected_event: str | None = None
    colour_by: str = "side"  # map marks coloured by side, or by dataset when several are overlaid
    origins: tuple[str, ...] = ()  # claims whose information comes from these origins (data/model/claims.py)
    several_voices: bool = False  # hide events that only one independent voice speaks to
    numbers_disagree: bool = False  # only events whose figures disagree by more than 2x
    map_position: tuple[float, float, float] | None = None  # (lat, lon, zoom) the map opens on; None fits the filters
    control_day: date | None = None  # the "as of" day of the control layer; None: the end of the date filter
    map_shows: str = "events"  # events, control (who held what on control_day) or both

    def to_query(self) -> dict[str, list[str]]:
        """URL parameters: short names, only non-default values, lists as repeated keys."""
        query: dict[str, list[str]] = {}
        for spec in PARAMS:
            value = getattr(self, spec.attr)
            if value == spec.default:
                continue
            query[spec.name] = spec.write(value)
        return query

    @classmethod
    def from_query(
        cls, query: Mapping[str, Sequence[str] | str], vocabulary: Vocabulary | None = None
    ) -> tuple[ViewState, list[FilterError]]:
        """Parse URL parameters; each bad parameter becomes an error and falls back to its default.

        >>> view, errors = ViewState.from_query({"from": ["2016-08-01"], "status": ["contested"]})
        >>> view.date_from, view.statuses, errors
        (datetime.date(2016, 8, 1), ('contested',), [])
        >>> view, errors = ViewState.from_query({"from": ["yesterday"]})
        >>> view.date_from is None, str(errors[0])
        (True, "`from` must be a date like 2016-08-06, got 'yesterday'")
        """
        vocabulary = vocabulary or Vocabulary()
        values: dict[str, object] = {}
        errors: list[FilterError] = []
        known_names = {spec.name for spec in PARAMS}
        for name in query:
            if name not in known_names:
                errors.append(FilterError(_shown(name), f"is not a parameter of this page; expected one of: {', '.join(sorted(known_names))}"))
        for spec in PARAMS:
            if spec.name not in query:
                continue
            raw = query[spec.name]
            raw_list = [raw] if isinstance(raw, str) else list(raw)
            try:
                values[spec.attr] = spec.read(raw_list, vocabulary)
            except FilterError as exc:
                errors.append(exc)
        view = cls(**values)
        if view.event_types and view.sub_event_types:  # the sidebar offers only the sub-types of the chosen types
            offered = {sub for kind in view.event_types for sub in EVENT_TYPES[kind]}
            stray = [sub for sub in view.sub_event_types if sub not in offered]
            if stray:
                errors.append(FilterError("sub", f"has '{_shown(stray[0])}', which is not a sub-type of the chosen event "
                                                 f"types ({', '.join(view.event_types)}); it was left out"))
                view = replace(view, sub_event_types=tuple(sub for sub in view.sub_event_types if sub in offered))
        if view.date_from and view.date_to and view.date_from > view.date_to:
            errors.append(FilterError("from", f"({view.date_from}) must not be after `to` ({view.date_to}); showing all dates"))
            view = replace(view, date_from=None, date_to=None)
        return view, errors

    def describe(self, *, actor_names: Mapping[str, str] | None = None, place_names: Mapping[str, str] | None = None) -> str:
        """The active filters in plain words, e.g. '1 Aug 2016 to 15 Aug 2016; sides: Opposition; contested only'.

        Every parameter of PARAMS says itself how it reads (its `phrase`); the datasets come last.
        """
        names = {"actors": actor_names or {}, "places": place_names or {}}
        parts = [spec.phrase(self, names) for spec in PARAMS if spec.name != "ds" and spec.phrase and _is_set(self, spec)]
        if tuple(self.datasets) != DEFAULT_DATASETS:
            parts.append("datasets: " + ", ".join(self.datasets))
        return "; ".join(part for part in parts if part) or "no filters"

    def is_default(self) -> bool:
        """True when nothing is filtered or selected."""
        return self == ViewState()


def parse_day(text: str, name: str, *, period_end: bool = False) -> date:
    """A day from a URL or a typed date: 2016-08-06, or a month (2016-08) or year (2016) meaning its first day, or
    its last when `period_end`. Raises FilterError saying what arrived and what was expected.

    >>> parse_day("2016-08-06", "from"), parse_day("2016-02", "to", period_end=True), parse_day("2016", "from")
    (datetime.date(2016, 8, 6), datetime.date(2016, 2, 29), datetime.date(2016, 1, 1))
    >>> parse_day("2016-02-30", "to")
    Traceback (most recent call last):
    data.errors.FilterError: `to` must be a real calendar date like 2016-08-06, got '2016-02-30'
    """
    value = str(text).strip()
    found = _DATE.match(value)
    if not found:
        raise FilterError(name, f"must be a date like 2016-08-06, got '{_shown(value)}'")
    year, month, day = (int(part) if part else None for part in found.groups())
    try:
        if day is not None:
            parsed = date(year, month, day)
        elif month is not None:
            parsed = date(year, month, 1)
            if period_end:
                parsed = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        else:
            parsed = date(year, 12, 31) if period_end else date(year, 1, 1)
    except ValueError:
        raise FilterError(name, f"must be a real calendar date like 2016-08-06, got '{_shown(value)}'") from None
    if not EARLIEST_DAY <= parsed <= LATEST_DAY:
        raise FilterError(name, f"must be between {EARLIEST_DAY.year} and {LATEST_DAY.year}, got '{value}'")
    return parsed


MAP_ZOOM_RANGE = (2.0, 18.0)


def parse_position(text: str, name: str = "map") -> tuple[float, float, float]:
    """A map position from a URL or a typed field: 'latitude,longitude,zoom' in decimal degrees.

    >>> parse_position("36.2,37.15,11")
    (36.2, 37.15, 11.0)
    >>> parse_position("36.2,37.15")
    Traceback (most recent call last):
    data.errors.FilterError: `map` must be latitude,longitude,zoom like 36.2,37.15,11, got '36.2,37.15'
    """
    value = str(text).strip()
    parts = [part.strip() for part in value.replace(" ", ",").split(",") if part.strip()]
    try:
        lat, lon, zoom = (float(part) for part in parts) if len(parts) == 3 else (None, None, None)
    except ValueError:
        lat = lon = zoom = None
    if lat is None or not all(map(_finite, (lat, lon, zoom))):
        raise FilterError(name, f"must be latitude,longitude,zoom like 36.2,37.15,11, got '{_shown(value)}'")
    if not (-85 <= lat <= 85 and -180 <= lon <= 180):
        raise FilterError(name, f"has a latitude or longitude off the map (latitude -85..85, longitude -180..180), got '{_shown(value)}'")
    if not MAP_ZOOM_RANGE[0] <= zoom <= MAP_ZOOM_RANGE[1]:
        raise FilterError(name, f"has zoom {zoom:g}; expected {MAP_ZOOM_RANGE[0]:g} (a continent) to {MAP_ZOOM_RANGE[1]:g} (a street)")
    return round(lat, 5), round(lon, 5), round(zoom, 2)


def format_position(position: tuple[float, float, float]) -> str:
    """'36.2,37.15,11': the URL's spelling of a map position (no trailing zeros)."""
    return ",".join(f"{value:.5f}".rstrip("0").rstrip(".") for value in position[:2]) + "," + f"{position[2]:.2f}".rstrip("0").rstrip(".")


def _finite(value: float) -> bool:
    return value == value and value not in (float("inf"), float("-inf"))


def _is_set(view: ViewState, spec: _Param) -> bool:
    return getattr(view, spec.attr) != spec.default


def _listed(label: str, attr: str, names: str = ""):
    """A phrase 'label: a, b' for a list field, ids shown by name where names are given."""
    return lambda view, known: label + ", ".join(known.get(names, {}).get(v, v) for v in getattr(view, attr))


def _dates(view: ViewState, _known) -> str:
    start = _day(view.date_from) if view.date_from else "the start"
    end = _day(view.date_to) if view.date_to else "the end"
    return f"{start} to {end}"


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _shown(value: str) -> str:
    """A user-supplied string made safe to quote in a message: short, one line, no backticks, invisible characters named."""
    flat = show_invisible(" ".join(str(value).split()).replace("`", "'"))
    return flat if len(flat) <= 40 else flat[:37] + "..."


@dataclass(frozen=True)
class _Param:
    """How one attribute of ViewState is named and parsed in the URL."""

    name: str
    attr: str
    kind: str  # date, ids, choices, choice, text, id, flag (on or off), position
    default: object = None
    choices: tuple[str, ...] = ()
    vocab: str = ""  # attribute of Vocabulary that lists allowed ids
    what: str = ""
    split_commas: bool = True  # ids and choices may also be given comma-separated
    period_end: bool = False  # a date given as a month or a year means its last day (for `to`)
    phrase: Callable[[ViewState, Mapping[str, Mapping[str, str]]], str] | None = None  # how describe() reads it

    def write(self, value) -> list[str]:
        if self.kind == "flag":
            return ["1"]
        if self.kind == "date":
            return [value.isoformat()]
        if self.kind == "position":
            return [format_position(value)]
        if self.kind in ("ids", "choices"):
            return list(value)
        return [str(value)]

    def read(self, raw: list[str], vocabulary: Vocabulary):
        if len(raw) > MAX_VALUES:
            raise FilterError(self.name, f"is repeated {len(raw)} times; at most {MAX_VALUES} values are allowed")
        for item in raw:
            if len(item) > MAX_VALUE_CHARS:
                raise FilterError(self.name, f"is {len(item)} characters long; at most {MAX_VALUE_CHARS} are allowed")
        if self.kind in ("date", "text", "id", "position", "flag") and len(raw) > 1 and len(set(raw)) > 1:
            raise FilterError(self.name, f"is given {len(raw)} different values; expected one {self.what}")
        if self.kind == "text":
            text = " ".join(raw[0].split()) if raw else ""
            if any(ord(ch) < 32 for ch in raw[0] if ch not in "\t\n\r"):
                raise FilterError(self.name, "contains control characters; expected plain search text")
            return text
        if self.kind == "date":
            return parse_day(raw[0] if raw else "", self.name, period_end=self.period_end)
        if self.kind == "position":
            return parse_position(raw[0] if raw else "", self.name)
        if self.kind == "flag":
            value = raw[0].strip().lower() if raw else ""
            if value not in FLAG_VALUES:
                raise FilterError(self.name, f"must be 1 (on) or 0 (off), got '{_shown(raw[0])}'")
            return FLAG_VALUES[value]
        items: list[str] = []
        for item in raw:
            parts = item.split(",") if self.split_commas else [item]
            items.extend(part.strip() for part in parts if part.strip())
        if self.kind == "choice":
            if len(set(items)) != 1 or items[0] not in self.choices:
                raise FilterError(self.name, f"must be one of {', '.join(self.choices)}, got '{_shown(','.join(items))}'")
            return items[0]
        if self.kind == "id":
            if not items:
                raise FilterError(self.name, f"is empty; expected {self.what}")
            value = items[0]
            allowed = getattr(vocabulary, self.vocab)
            if not _ID.match(value) or value not in allowed:
                raise FilterError(self.name, f"names no known {self.what}: '{_shown(value)}'")
            return value
        allowed = set(self.choices) if self.kind == "choices" else getattr(vocabulary, self.vocab)
        unknown = [item for item in items if item not in allowed]
        if unknown:
            examples = ", ".join(sorted(allowed)[:6])
            raise FilterError(
                self.name,
                f"has unknown {self.what}: '{_shown(unknown[0])}'" + (f"; expected e.g. {examples}" if examples else ""),
            )
        unique = tuple(dict.fromkeys(items))
        if self.name == "ds" and not unique:
            raise FilterError(self.name, "is empty; expected a dataset id")
        return unique


PARAMS: tuple[_Param, ...] = (
    _Param("ds", "datasets", "ids", DEFAULT_DATASETS, vocab="datasets", what="dataset id"),
    _Param("from", "date_from", "date", None, what="date", phrase=_dates),
    _Param("to", "date_to", "date", None, what="date", period_end=True,
           phrase=lambda view, known: "" if view.date_from else _dates(view, known)),  # said with `from` when both
    _Param("side", "sides", "choices", (), choices=SIDES, what="side",
           phrase=lambda view, _: "sides: " + ", ".join(SIDE_LABELS.get(s, s) for s in view.sides)),
    _Param("actor", "actors", "ids", (), vocab="actors", what="actor id", phrase=_listed("actors: ", "actors", "actors")),
    _Param("type", "event_types", "choices", (), choices=tuple(EVENT_TYPES), what="event type", phrase=_listed("types: ", "event_types")),
    _Param("sub", "sub_event_types", "choices", (), choices=tuple(SUB_EVENT_TYPES), what="sub-event type",
           phrase=_listed("sub-types: ", "sub_event_types")),
    _Param("place", "places", "ids", (), vocab="places", what="place id", phrase=_listed("in ", "places", "places")),
    _Param("status", "statuses", "choices", (), choices=STATUSES, what="claim status",
           phrase=lambda view, _: " or ".join(view.statuses) + " only"),
    _Param("outlet", "outlets", "ids", (), vocab="outlets", what="outlet", split_commas=False, phrase=_listed("reported by ", "outlets")),
    _Param("src", "sources", "ids", (), vocab="sources", what="source id", phrase=_listed("sources: ", "sources")),
    _Param("q", "text", "text", "", what="search text", phrase=lambda view, _: f"matching “{view.text}”"),
    _Param("at", "selected_place", "id", None, vocab="places", what="place id",
           phrase=lambda view, known: "selected place: " + known["places"].get(view.selected_place, view.selected_place)),
    _Param("ev", "selected_event", "id", None, vocab="events", what="event id"),
    _Param("colour", "colour_by", "choice", "side", choices=COLOUR_BY, what="map colouring",
           phrase=lambda view, _: f"coloured by {view.colour_by}"),
    _Param("origin", "origins", "ids", (), vocab="origins", what="claim origin", split_commas=False,
           phrase=_listed("claims from ", "origins")),
    _Param("multi", "several_voices", "flag", False, what="switch",
           phrase=lambda view, _: "only what more than one voice says"),
    _Param("disagree", "numbers_disagree", "flag", False, what="switch",
           phrase=lambda view, _: "numbers disagree"),
    _Param("map", "map_position", "position", None, what="map position",
           phrase=lambda view, _: f"map at {view.map_position[0]:.3f}, {view.map_position[1]:.3f} (zoom {view.map_position[2]:g})"),
    _Param("asof", "control_day", "date", None, what="date", period_end=True,
           phrase=lambda view, _: f"control as of {_day(view.control_day)}"),
    _Param("show", "map_shows", "choice", "events", choices=MAP_SHOWS, what="map layer",
           phrase=lambda view, _: {"control": "map shows control", "both": "map shows control and events"}.get(view.map_shows, "")),
)
PARAM_NAMES = {spec.attr: spec.name for spec in PARAMS}
PARAM_ATTRS = {spec.name: spec.attr for spec in PARAMS}
assert {f.name for f in fields(ViewState)} == set(PARAM_NAMES), "every view field needs a URL parameter"
