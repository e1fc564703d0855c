"""Narratives: a titled, ordered walk through the data; each step is a shared link's view with a few words of its own.

A step's `view` is exactly the query a shared link carries (`ViewState.to_query()`, map position included), so a
step opens the same map, timeline and claims as that link, and "explore from here" is that link on the Atlas.
Text is plain text: control and invisible characters removed, lengths limited; pages show it escaped.

The JSON file (docs/DATA-MODEL.md): {"format": "claim-atlas-narratives", "version": 1, "narratives": [...]}.
Reading it checks everything first and raises one NarrativeError listing every problem; nothing is half-read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from data.errors import AtlasError
from data.model.text import strip_invisible
from data.views.view import PARAMS, ViewState, Vocabulary

FORMAT_NAME = "claim-atlas-narratives"
FORMAT_VERSION = 1
MAX_TITLE_CHARS = 120
MAX_SUMMARY_CHARS = 1200
MAX_AUTHOR_CHARS = 80
MAX_STEP_TEXT_CHARS = 1500
MAX_STEPS = 40
MAX_CLAIMS_PER_STEP = 20
MAX_FILE_BYTES = 2_000_000
_NARRATIVE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class NarrativeError(AtlasError, ValueError):
    """A narrative or narrative file that cannot be used; `problems` names each one (where, and what was expected)."""

    def __init__(self, message: str, problems: Sequence[str] = ()):
        self.problems = tuple(problems)
        listed = "".join(f"\n  {p}" for p in self.problems[:20])
        more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(message + listed + more)


@dataclass(frozen=True)
class Step:
    """One moment of a narrative: a title, the author's words, the view (URL parameters) and the claims it rests on."""

    title: str
    text: str = ""
    view: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    claims: tuple[str, ...] = ()

    def view_state(self, vocabulary: Vocabulary | None = None) -> ViewState:
        """The step's view as the app's view state (parameters the vocabulary refuses fall back to defaults)."""
        return ViewState.from_query({k: list(v) for k, v in self.view.items()}, vocabulary)[0]

    def to_dict(self) -> dict:
        return {"title": self.title, "text": self.text, "view": {k: list(v) for k, v in self.view.items()},
                "claims": list(self.claims)}


@dataclass(frozen=True)
class Narrative:
    """A titled, ordered list of steps over some datasets, written by one author."""

    narrative_id: str
    title: str
    summary: str = ""
    author: str = ""
    datasets: tuple[str, ...] = ("seed",)
    steps: tuple[Step, ...] = ()

    def to_dict(self) -> dict:
        return {"id": self.narrative_id, "title": self.title, "summary": self.summary, "author": self.author,
                "datasets": list(self.datasets), "steps": [step.to_dict() for step in self.steps]}

    # --- editing: each returns a new narrative (checked again before it is saved) -----------------------------------

    def with_step(self, step: Step, at: int | None = None) -> Narrative:
        """A step added at position `at` (0-based; the end when None)."""
        steps = list(self.steps)
        steps.insert(len(steps) if at is None else max(0, min(at, len(steps))), step)
        datasets = tuple(dict.fromkeys([*self.datasets, *step.view.get("ds", ())]))
        return replace(self, steps=tuple(steps), datasets=datasets)

    def with_step_moved(self, index: int, offset: int) -> Narrative:
        """Step `index` moved `offset` places (-1 earlier, +1 later); unchanged at either end."""
        target = index + offset
        if not (0 <= index < len(self.steps) and 0 <= target < len(self.steps)):
            return self
        steps = list(self.steps)
        steps.insert(target, steps.pop(index))
        return replace(self, steps=tuple(steps))

    def with_step_replaced(self, index: int, step: Step) -> Narrative:
        steps = list(self.steps)
        steps[index] = step
        return replace(self, steps=tuple(steps))

    def without_step(self, index: int) -> Narrative:
        return replace(self, steps=tuple(s for i, s in enumerate(self.steps) if i != index))


def clean_text(value: object, limit: int, what: str, *, multiline: bool = False, required: bool = False) -> str:
    """Plain text as stored: invisible and control characters removed, spaces folded, at most `limit` characters.

    >>> clean_text("  The  siege\\u202e ends ", 40, "title")
    'The siege ends'
    >>> clean_text("x" * 5, 4, "title")
    Traceback (most recent call last):
    data.narratives.model.NarrativeError: title has 5 characters; at most 4 are allowed
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise NarrativeError(f"{what} must be text, got {type(value).__name__}")
    text = strip_invisible(value)
    if multiline:
        paragraphs = [" ".join(_CONTROL.sub(" ", line).split()) for line in text.replace("\r\n", "\n").split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(paragraphs)).strip()
    else:
        text = " ".join(_CONTROL.sub(" ", text).split())
    if required and not text:
        raise NarrativeError(f"{what} cannot be blank")
    if len(text) > limit:
        raise NarrativeError(f"{what} has {len(text)} characters; at most {limit} are allowed")
    return text


def clean_query(query: Mapping[str, object], vocabulary: Vocabulary | None, what: str) -> dict[str, tuple[str, ...]]:
    """A view's URL parameters checked by ViewState.from_query against the data's vocabulary, in its canonical spelling.

    Any parameter the app would ignore is an error here: a step must open exactly what its author saw.
    """
    if not isinstance(query, Mapping):
        raise NarrativeError(f"{what} must be an object of URL parameters like {{\"ev\": [\"...\"]}}")
    as_lists: dict[str, list[str]] = {}
    for name, raw in query.items():
        values = [raw] if isinstance(raw, str) else raw
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise NarrativeError(f"{what}: `{str(name)[:40]}` must be text or a list of texts")
        as_lists[str(name)] = values
    view, errors = ViewState.from_query(as_lists, vocabulary or _any_ids(as_lists))
    if errors:
        raise NarrativeError(f"{what}: {errors[0]}")
    return {name: tuple(values) for name, values in view.to_query().items()}


def _any_ids(query: Mapping[str, list[str]]) -> Vocabulary:
    """A vocabulary that knows every id the query names: the query's form is checked, not whether the data holds it
    (used for a stored narrative, checked against its data again where it is shown)."""
    named: dict[str, set[str]] = {}
    for spec in PARAMS:
        if spec.vocab:
            named.setdefault(spec.vocab, set()).update(v.strip() for value in query.get(spec.name, []) for v in value.split(",") + [value])
    return Vocabulary(**{vocab: frozenset(ids) for vocab, ids in named.items()})


def make_step(raw: Mapping[str, object], vocabulary: Vocabulary | None = None, claim_ids: frozenset[str] | None = None,
              *, where: str = "step") -> Step:
    """A step from its JSON object (or a form's values), every field checked; NarrativeError names the first problem."""
    if not isinstance(raw, Mapping):
        raise NarrativeError(f"{where} must be an object with title, text and view")
    unknown = sorted(set(raw) - {"title", "text", "view", "claims"})
    if unknown:
        raise NarrativeError(f"{where} has an unknown field '{str(unknown[0])[:40]}'; expected title, text, view, claims")
    claims = raw.get("claims") or []
    if not isinstance(claims, list) or not all(isinstance(c, str) for c in claims):
        raise NarrativeError(f"{where}.claims must be a list of claim ids")
    if len(claims) > MAX_CLAIMS_PER_STEP:
        raise NarrativeError(f"{where}.claims lists {len(claims)} claims; at most {MAX_CLAIMS_PER_STEP} are allowed")
    if claim_ids is not None:
        missing = [c for c in claims if c not in claim_ids]
        if missing:
            raise NarrativeError(f"{where}.claims names no known claim: '{clean_text(missing[0], 200, 'claim id')[:60]}'")
    return Step(
        title=clean_text(raw.get("title"), MAX_TITLE_CHARS, f"{where}.title", required=True),
        text=clean_text(raw.get("text"), MAX_STEP_TEXT_CHARS, f"{where}.text", multiline=True),
        view=clean_query(raw.get("view") or {}, vocabulary, f"{where}.view"),
        claims=tuple(dict.fromkeys(claims)),
    )


def make_narrative(raw: Mapping[str, object], vocabulary: Vocabulary | None = None,
                   claim_ids: frozenset[str] | None = None, *, where: str = "narrative") -> Narrative:
    """A narrative from its JSON object; raises NarrativeError listing every problem found in it."""
    if not isinstance(raw, Mapping):
        raise NarrativeError(f"{where} must be an object with id, title and steps")
    problems: list[str] = []

    def checked(func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NarrativeError as problem:
            problems.append(str(problem))
            return None

    unknown = sorted(set(raw) - {"id", "title", "summary", "author", "datasets", "steps"})
    if unknown:
        problems.append(f"{where} has an unknown field '{str(unknown[0])[:40]}'; expected id, title, summary, author, datasets, steps")
    narrative_id = raw.get("id")
    if not isinstance(narrative_id, str) or not _NARRATIVE_ID.match(narrative_id):
        problems.append(f"{where}.id must be lowercase letters, digits and hyphens (at most 64), got '{clean_text(str(narrative_id), 10_000, 'id')[:40]}'")
    datasets = raw.get("datasets") or ["seed"]
    if not isinstance(datasets, list) or not datasets or not all(isinstance(d, str) for d in datasets):
        problems.append(f"{where}.datasets must be a list of dataset ids")
        datasets = ["seed"]
    elif vocabulary is not None and (missing := [d for d in datasets if d not in vocabulary.datasets]):
        problems.append(f"{where}.datasets names a dataset that is not here: '{clean_text(missing[0], 10_000, 'id')[:60]}'")
    steps_raw = raw.get("steps") or []
    if not isinstance(steps_raw, list):
        problems.append(f"{where}.steps must be a list")
        steps_raw = []
    if len(steps_raw) > MAX_STEPS:
        problems.append(f"{where}.steps has {len(steps_raw)} steps; at most {MAX_STEPS} are allowed")
        steps_raw = steps_raw[:MAX_STEPS]
    steps = [checked(make_step, item, vocabulary, claim_ids, where=f"{where}.steps[{i}]") for i, item in enumerate(steps_raw)]
    title = checked(clean_text, raw.get("title"), MAX_TITLE_CHARS, f"{where}.title", required=True)
    summary = checked(clean_text, raw.get("summary"), MAX_SUMMARY_CHARS, f"{where}.summary", multiline=True)
    author = checked(clean_text, raw.get("author"), MAX_AUTHOR_CHARS, f"{where}.author")
    if problems:
        raise NarrativeError(f"{where} cannot be used:", problems)
    return Narrative(narrative_id, title, summary, author, tuple(dict.fromkeys(datasets)), tuple(steps))


def check_narrative(narrative: Narrative, vocabulary: Vocabulary | None = None,
                    claim_ids: frozenset[str] | None = None) -> Narrative:
    """The same narrative read back through make_narrative: what an editor built is checked as a file would be."""
    return make_narrative(narrative.to_dict(), vocabulary, claim_ids)


def to_json(narratives: Iterable[Narrative]) -> str:
    """The narrative file: UTF-8 JSON, one wrapper naming the format and its version."""
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "narratives": [n.to_dict() for n in narratives]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def from_json(data: bytes | str, vocabulary: Vocabulary | None = None,
              claim_ids: frozenset[str] | None = None) -> list[Narrative]:
    """Every narrative of a file, or NarrativeError naming every problem (nothing is returned half-read).

    >>> from_json('{"format": "claim-atlas-narratives", "version": 1, "narratives": []}')
    []
    >>> from_json('{"narratives": [')
    Traceback (most recent call last):
    data.narratives.model.NarrativeError: the file is not valid JSON (line 1, column 17)
    """
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise NarrativeError(f"the file is {len(data):,} bytes; narrative files are at most {MAX_FILE_BYTES:,}")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise NarrativeError("the file is not UTF-8 text") from None
    elif len(data) > MAX_FILE_BYTES:
        raise NarrativeError(f"the file has {len(data):,} characters; narrative files are at most {MAX_FILE_BYTES:,}")
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise NarrativeError(f"the file is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise NarrativeError("the file nests too deeply to be a narrative file") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise NarrativeError(f"the file is not a narrative file: expected an object with \"format\": \"{FORMAT_NAME}\"")
    if document.get("version") != FORMAT_VERSION:
        raise NarrativeError(f"the file is version {str(document.get('version'))[:10]}; this app reads version {FORMAT_VERSION}")
    items = document.get("narratives")
    if not isinstance(items, list):
        raise NarrativeError("\"narratives\" must be a list")
    problems: list[str] = []
    narratives: list[Narrative] = []
    for i, item in enumerate(items):
        try:
            narratives.append(make_narrative(item, vocabulary, claim_ids, where=f"narratives[{i}]"))
        except NarrativeError as error:
            problems.extend(error.problems or [str(error)])
    ids = [item.get("id") for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        problems.append(f"the id '{twice[0]}' is used by more than one narrative")
    if problems:
        raise NarrativeError("the narrative file cannot be imported; nothing was saved:", problems)
    return narratives
