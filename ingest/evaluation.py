"""Scoring of extracted stances and meetings against a hand-made gold standard."""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from rapidfuzz import fuzz

from diplograph.errors import ValidationError
from diplograph.ingest.records import Actor, ArticleExtraction, Meeting, Stance

__all__ = [
    "FUZZY_THRESHOLD",
    "ErrorItem",
    "EvalReport",
    "GoldActor",
    "GoldArticle",
    "GoldMeeting",
    "GoldSet",
    "GoldStance",
    "Score",
    "evaluate",
    "load_gold",
    "normalise",
]

#: Minimum rapidfuzz ``token_set_ratio`` (0-100) between a predicted and a gold name on
#: normalised strings for a fuzzy name match. The ratio alone is lenient (a pred whose words
#: are a subset of the gold's scores 100), so a fuzzy match also requires every distinctive
#: word of the gold name to occur in the prediction (same ratio per word, for plurals).
FUZZY_THRESHOLD = 90

_QUOTES = "\"'`´‘’‚‛“”„‟«»‹›"
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_PARENTHETICAL = re.compile(r"\s*\([^)]*\)")
_PRONOUNS = frozenset(
    "it its he him his she her hers they them their theirs we us our i me my you your "
    "this that these those who which".split()
)
_STOPWORDS = frozenset(
    "the a an of on in at for to and with between by from its their his her our this that "
    "these those it".split()
)
#: Head nouns shared by many initiative names: they identify nothing on their own.
_GENERIC = frozenset(
    "talks talk summit summits congress conference conferences meeting meetings agreement "
    "agreements accord accords deal deals plan plans process treaty treaties resolution "
    "resolutions ceasefire truce initiative initiatives proposal proposals declaration "
    "declarations negotiations negotiation forum session sessions round rounds signing "
    "ceremony gathering event pact pacts protocol communique memorandum framework programme "
    "program draft vote statement document documents consensus arrangement settlement offer "
    "joint new".split()
)
_STATE_KEY = re.compile(r"^[A-Z]{3}$")
_SECTOR_KEY = re.compile(r"^([A-Z]{3})-([A-Z]{2,4})$")
_STATUS_EQUIVALENT = {"postponed": "planned"}


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True, slots=True)
class Score:
    """Counts of true positives, false positives and false negatives.

    Precision is 1.0 when nothing was predicted and recall is 1.0 when nothing was
    to be found (vacuous truth); F1 is 0.0 when both precision and recall are 0.

    >>> Score(tp=3, fp=1, fn=0).precision
    0.75
    """

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """tp / (tp + fp)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, float | int]:
        """The counts and the three measures."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One error for error analysis.

    ``kind`` is one of ``stance-fp``, ``stance-fn``, ``stance-conditional``,
    ``meeting-fp``, ``meeting-fn``, ``participant-fp``, ``participant-fn``,
    ``meeting-location``, ``meeting-date``, ``meeting-status`` and ``article-missing``.
    """

    article: str
    kind: str
    description: str
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class EvalReport:
    """The result of :func:`evaluate`.

    Scores are micro-averaged over articles. The attribute accuracies are fractions of
    matched meeting pairs (a null gold value is matched by a null prediction);
    ``conditional_accuracy`` is the recall of the conditional flag on matched stances whose
    gold ``negated_or_conditional`` is true, ``conditional_agreement`` the flag agreement on
    all matched stances. A measure with no cases is ``nan`` (``None`` in :meth:`as_dict`).
    """

    stances: Score
    meetings: Score
    participants: Score
    location_accuracy: float
    start_date_accuracy: float
    start_month_accuracy: float
    status_accuracy: float
    conditional_accuracy: float
    conditional_agreement: float = math.nan
    per_article: dict[str, dict] = field(default_factory=dict)
    errors: tuple[ErrorItem, ...] = ()
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (``nan`` becomes ``None``)."""
        return {
            "stances": self.stances.as_dict(),
            "meetings": self.meetings.as_dict(),
            "participants": self.participants.as_dict(),
            "location_accuracy": _json_float(self.location_accuracy),
            "start_date_accuracy": _json_float(self.start_date_accuracy),
            "start_month_accuracy": _json_float(self.start_month_accuracy),
            "status_accuracy": _json_float(self.status_accuracy),
            "conditional_accuracy": _json_float(self.conditional_accuracy),
            "conditional_agreement": _json_float(self.conditional_agreement),
            "per_article": self.per_article,
            "errors": [
                {"article": e.article, "kind": e.kind, "description": e.description,
                 "sentence": e.sentence}
                for e in self.errors
            ],
            "warnings": list(self.warnings),
        }

    def table(self) -> list[tuple[str, str]]:
        """Rows ``(measure, value)`` for printing."""
        rows: list[tuple[str, str]] = []
        for name, score in (
            ("stances", self.stances),
            ("meetings", self.meetings),
            ("meeting participants", self.participants),
        ):
            rows.append((f"{name} TP/FP/FN", f"{score.tp}/{score.fp}/{score.fn}"))
            rows.append((f"{name} precision", _fmt(score.precision)))
            rows.append((f"{name} recall", _fmt(score.recall)))
            rows.append((f"{name} F1", _fmt(score.f1)))
        rows += [
            ("stance conditional flag recall", _fmt(self.conditional_accuracy)),
            ("stance conditional flag agreement", _fmt(self.conditional_agreement)),
            ("meeting location accuracy", _fmt(self.location_accuracy)),
            ("meeting start date accuracy (exact)", _fmt(self.start_date_accuracy)),
            ("meeting start date accuracy (same month)", _fmt(self.start_month_accuracy)),
            ("meeting status accuracy", _fmt(self.status_accuracy)),
        ]
        return rows


def _fmt(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


def _json_float(value: float) -> float | None:
    return None if math.isnan(value) else value


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else math.nan


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True, slots=True)
class GoldActor:
    """An entry of ``actors.json``."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    iso3: str | None = None
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class GoldStance:
    """One gold stance; ``conditional`` is the gold ``negated_or_conditional`` flag."""

    holder: str
    polarity: str
    target: str
    conditional: bool
    sentence: str
    holder_aliases: tuple[str, ...] = ()
    target_aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GoldMeeting:
    """One gold meeting; ``date`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``None``."""

    name: str
    status: str
    aliases: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    hosts_or_mediators: tuple[str, ...] = ()
    location: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """The gold annotation of one article."""

    id: str
    pub_date: str | None
    stances: tuple[GoldStance, ...] = ()
    meetings: tuple[GoldMeeting, ...] = ()


class GoldSet(dict[str, GoldArticle]):
    """Gold articles by id, with the ``actors.json``/``initiatives.json`` read beside them.

    ``actors`` and ``initiatives`` hold the raw JSON objects (canonical name → entry).
    """

    def __init__(
        self,
        articles: Mapping[str, GoldArticle] = (),
        *,
        actors: Mapping[str, Any] | None = None,
        initiatives: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(articles)
        self.actors: dict[str, Any] = dict(actors or {})
        self.initiatives: dict[str, Any] = dict(initiatives or {})


def load_gold(path: Path | str) -> GoldSet:
    """Read a gold JSONL file (one article per line, schema of the dev corpus README).

    ``actors.json`` and ``initiatives.json`` in the same folder are read too when present.

    Raises:
        ValidationError: a line is not valid JSON or lacks a required field.
    """
    path = Path(path)
    articles: dict[str, GoldArticle] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValidationError(f"cannot read gold file {path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            article = _gold_article(json.loads(line))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise ValidationError(
                f"{where}: expected a gold article object with id, stances and meetings "
                f"({type(exc).__name__}: {exc})"
            ) from exc
        if article.id in articles:
            raise ValidationError(f"{where}: duplicate article id {article.id!r}")
        articles[article.id] = article
    return GoldSet(
        articles,
        actors=_read_json_beside(path, "actors.json"),
        initiatives=_read_json_beside(path, "initiatives.json"),
    )


def _read_json_beside(path: Path, name: str) -> dict[str, Any]:
    other = path.with_name(name)
    if not other.is_file():
        return {}
    try:
        data = json.loads(other.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValidationError(f"cannot read {other}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValidationError(f"{other}: expected an object of canonical name -> entry")
    return data


def _gold_article(obj: dict[str, Any]) -> GoldArticle:
    stances = tuple(
        GoldStance(
            holder=s["holder"],
            polarity=s["polarity"],
            target=s["target"],
            conditional=bool(s.get("negated_or_conditional", False)),
            sentence=s.get("sentence", ""),
            holder_aliases=tuple(s.get("holder_aliases", ())),
            target_aliases=tuple(s.get("target_aliases", ())),
        )
        for s in obj["stances"]
    )
    meetings = tuple(
        GoldMeeting(
            name=m["name"],
            status=m["status"],
            aliases=tuple(m.get("aliases", ())),
            participants=tuple(m.get("participants", ())),
            hosts_or_mediators=tuple(m.get("hosts_or_mediators", ())),
            location=m.get("location"),
            date=m.get("date"),
        )
        for m in obj["meetings"]
    )
    return GoldArticle(id=str(obj["id"]), pub_date=obj.get("pub_date"), stances=stances,
                       meetings=meetings)


def _gold_actors(raw: Mapping[str, Any]) -> dict[str, GoldActor]:
    return {
        name: GoldActor(
            name=name,
            kind=entry.get("kind", ""),
            aliases=tuple(entry.get("aliases", ())),
            iso3=entry.get("iso3"),
            wikidata=entry.get("wikidata"),
        )
        for name, entry in raw.items()
    }


# --------------------------------------------------------------------------- strings


@functools.lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Fold case, accents, quotes, punctuation, spacing and a leading article.

    >>> normalise("The  “Sochi” Congress")
    'sochi congress'
    >>> normalise("U.S.") == normalise("US")
    True
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.translate({ord(q): None for q in _QUOTES + "."})
    text = re.sub(r"[^\w\s-]", " ", text)
    text = " ".join(text.split())
    return _LEADING_ARTICLE.sub("", text)


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", normalise(text))


@functools.lru_cache(maxsize=65536)
def _distinctive(text: str) -> frozenset[str]:
    core = _PARENTHETICAL.sub("", text)
    return frozenset(t for t in _tokens(core) if t not in _STOPWORDS and t not in _GENERIC)


def _is_pronoun(alias: str) -> bool:
    stripped = alias.strip()
    return stripped.lower() in _PRONOUNS and not stripped.isupper()


@dataclass(frozen=True, slots=True)
class _Name:
    """A gold name prepared for matching.

    ``canonical`` names (the gold's own initiative/meeting names) allow the containment
    criterion; aliases (surface strings) only near-equality.
    """

    norm: str
    core: str
    distinctive: frozenset[str]
    canonical: bool


def _gold_name(text: str, *, canonical: bool = False) -> _Name:
    return _Name(
        norm=normalise(text),
        core=normalise(_PARENTHETICAL.sub("", text)),
        distinctive=_distinctive(text),
        canonical=canonical,
    )


def _covered(words: Iterable[str], tokens: Sequence[str]) -> bool:
    """Every word has a token spelled alike (rapidfuzz ratio ≥ threshold: plurals, typos)."""
    return all(any(fuzz.ratio(w, t) >= FUZZY_THRESHOLD for t in tokens) for w in words)


def _name_score(preds: Iterable[str], golds: Iterable[_Name]) -> float:
    """Best match score of predicted strings against gold names; 0 when none matches.

    101 for normalised equality. Otherwise, with ``token_set_ratio`` ≥ threshold:
    a canonical gold name matches a prediction containing all its distinctive words
    (``Syrian National Dialogue Congress in Sochi`` ⊇ ``Syrian National Dialogue
    Congress``); an alias only a prediction with the same distinctive words (``the Paris
    climate agreements`` ≈ ``the Paris climate agreement``, but not ``Minsk II
    agreement`` ≈ ``Minsk agreement``). Aliases without distinctive words (``the
    congress``) need equality.
    """
    pred_norms = {normalise(p) for p in preds if p and p.strip() and not _is_pronoun(p)}
    pred_norms.discard("")
    golds = list(golds)
    for gold in golds:
        if gold.norm in pred_norms or (gold.canonical and gold.core in pred_norms):
            return 101.0
    best = 0.0
    for pred in pred_norms:
        pred_tokens = re.findall(r"\w+", pred)
        pred_distinctive = _distinctive(pred)
        for gold in golds:
            if not gold.distinctive or not _covered(gold.distinctive, pred_tokens):
                continue
            if not gold.canonical and not _covered(pred_distinctive, sorted(gold.distinctive)):
                continue
            score = fuzz.token_set_ratio(pred, gold.core)
            if score >= FUZZY_THRESHOLD:
                best = max(best, score)
    return best


# --------------------------------------------------------------------------- actors


@dataclass(frozen=True, slots=True)
class _ActorView:
    """What a predicted actor key offers for matching."""

    key: str
    strings: frozenset[str]
    country: str | None
    kind: str
    sector: str | None
    wikidata: str | None
    affiliation: str | None


def _actor_view(key: str, record: Actor | None, extra: Iterable[str] = ()) -> _ActorView:
    strings = {key} if not key.startswith(("org:", "person:")) else set()
    strings.update(s for s in extra if s)
    if record is not None:
        strings.add(record.label)
        strings.update(record.mentions)
        return _ActorView(key, frozenset(strings), record.country, record.kind,
                          record.sector, record.wikidata, record.affiliation)
    if _STATE_KEY.match(key):
        return _ActorView(key, frozenset(strings), key, "state", None, None, None)
    if m := _SECTOR_KEY.match(key):
        kind = "government" if m.group(2) == "GOV" else "group"
        return _ActorView(key, frozenset(strings), m.group(1), kind, m.group(2), None, None)
    return _ActorView(key, frozenset(strings), None, "organisation", None, None, None)


def _kinds_compatible(gold_kind: str, view: _ActorView) -> bool:
    if gold_kind in ("state", "government"):
        if view.sector is not None:
            return view.sector == "GOV"
        return view.kind in ("state", "government")
    if gold_kind == "legislature":
        return view.kind == "legislature" or view.sector == "LEG"
    return False


class _ActorMatcher:
    """Matches predicted actors to gold canonical actors (see :func:`evaluate`)."""

    def __init__(self, actors: Mapping[str, GoldActor]) -> None:
        self.actors = actors
        owners: dict[str, set[str]] = defaultdict(set)
        for actor in actors.values():
            for alias in (actor.name, *actor.aliases):
                owners[normalise(alias)].add(actor.name)
        self.aliases: dict[str, frozenset[str]] = {}
        for actor in actors.values():
            self.aliases[actor.name] = frozenset(
                normalise(a)
                for a in actor.aliases
                if not _is_pronoun(a) and len(owners[normalise(a)]) == 1
            ) | {normalise(actor.name)}

    def score(
        self,
        view: _ActorView,
        gold: str,
        article_aliases: Mapping[str, frozenset[str]],
        resolve: Callable[[str], _ActorView] | None = None,
        *,
        _depth: int = 0,
    ) -> float:
        """Positive when ``view`` matches gold actor ``gold``; 0 otherwise."""
        names = self.aliases.get(gold, frozenset({normalise(gold)}))
        names = names | article_aliases.get(gold, frozenset())
        pred = {normalise(s) for s in view.strings if not _is_pronoun(s)}
        if pred & names:
            return 101.0
        entry = self.actors.get(gold)
        if entry is not None:
            if entry.wikidata and view.wikidata == entry.wikidata:
                return 100.0
            if entry.iso3 and view.country == entry.iso3 and _kinds_compatible(entry.kind, view):
                return 100.0
        if view.affiliation and resolve is not None and _depth == 0:
            via = self.score(resolve(view.affiliation), gold, article_aliases, resolve,
                             _depth=1)
            return via - 1.0 if via else 0.0
        return 0.0


def _article_holder_aliases(article: GoldArticle) -> dict[str, frozenset[str]]:
    """Surface forms of each gold holder in the article, minus group references."""
    owners: dict[str, set[str]] = defaultdict(set)
    for stance in article.stances:
        for alias in stance.holder_aliases:
            if not _is_pronoun(alias):
                owners[normalise(alias)].add(stance.holder)
    result: dict[str, set[str]] = defaultdict(set)
    for alias, holders in owners.items():
        if len(holders) == 1 and alias:
            result[next(iter(holders))].add(alias)
    return {holder: frozenset(aliases) for holder, aliases in result.items()}


# --------------------------------------------------------------------------- matching


def _assign(
    n_pred: int, n_gold: int, weight: Callable[[int, int], float]
) -> list[tuple[int, int]]:
    """Maximum-cardinality, then maximum-weight one-to-one assignment."""
    graph = nx.Graph()
    for i in range(n_pred):
        for j in range(n_gold):
            w = weight(i, j)
            if w > 0:
                graph.add_edge(("p", i), ("g", j), weight=w)
    pairs = []
    for a, b in nx.max_weight_matching(graph, maxcardinality=True):
        (pa, pi), (_, gj) = (a, b) if a[0] == "p" else (b, a)
        assert pa == "p"
        pairs.append((pi, gj))
    return sorted(pairs)


def _matched_actor_sets(
    pred_keys: Sequence[str],
    gold_names: Sequence[str],
    view_of: Callable[[str], _ActorView],
    matcher: _ActorMatcher,
    article_aliases: Mapping[str, frozenset[str]],
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    pairs = _assign(
        len(pred_keys),
        len(gold_names),
        lambda i, j: matcher.score(view_of(pred_keys[i]), gold_names[j], article_aliases,
                                   view_of),
    )
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    return (
        pairs,
        [i for i in range(len(pred_keys)) if i not in matched_p],
        [j for j in range(len(gold_names)) if j not in matched_g],
    )


@dataclass(slots=True)
class _Tally:
    stances: Score = field(default_factory=lambda: Score(0, 0, 0))
    meetings: Score = field(default_factory=lambda: Score(0, 0, 0))
    participants: Score = field(default_factory=lambda: Score(0, 0, 0))
    cond_hits: int = 0
    cond_total: int = 0
    agree_hits: int = 0
    agree_total: int = 0
    location_hits: int = 0
    date_hits: int = 0
    month_hits: int = 0
    status_hits: int = 0
    pairs: int = 0


class _ArticleScorer:
    """Scores one article's prediction against its gold."""

    def __init__(
        self,
        gold: GoldArticle,
        pred: ArticleExtraction | None,
        matcher: _ActorMatcher,
        initiatives: Mapping[str, Any],
        tally: _Tally,
        errors: list[ErrorItem],
    ) -> None:
        self.gold = gold
        self.pred = pred
        self.matcher = matcher
        self.initiatives = initiatives
        self.tally = tally
        self.errors = errors
        self.holder_aliases = _article_holder_aliases(gold)
        self.actor_records = {a.key: a for a in pred.actors} if pred else {}
        self.initiative_records = {i.key: i for i in pred.initiatives} if pred else {}
        self.target_names = self._article_target_names()
        self._views: dict[str, _ActorView] = {}

    # -- names

    def _article_target_names(self) -> dict[str, tuple[_Name, ...]]:
        """Gold names of each stance target and meeting of the article."""
        local: dict[str, set[str]] = defaultdict(set)
        owners: dict[str, set[str]] = defaultdict(set)
        for stance in self.gold.stances:
            for alias in stance.target_aliases:
                local[stance.target].add(alias)
        for meeting in self.gold.meetings:
            local[meeting.name].update(meeting.aliases)
        for target, aliases in local.items():
            for alias in aliases:
                owners[normalise(alias)].add(target)
        names: dict[str, tuple[_Name, ...]] = {}
        for target, aliases in local.items():
            items = [_gold_name(target, canonical=True)]
            for alias in aliases:
                if not _is_pronoun(alias) and len(owners[normalise(alias)]) == 1:
                    items.append(_gold_name(alias))
            entry = self.initiatives.get(target) or {}
            for alias in entry.get("aliases", ()):
                # Definite descriptions of other articles ("the plan") identify nothing here.
                if not _is_pronoun(alias) and _distinctive(alias):
                    items.append(_gold_name(alias))
            names[target] = tuple(items)
        return names

    def _view(self, key: str) -> _ActorView:
        if key not in self._views:
            self._views[key] = _actor_view(key, self.actor_records.get(key))
        return self._views[key]

    def _target_strings(self, key: str, mention: str, label: str | None = None) -> list[str]:
        """The predicted names of initiative/meeting ``key`` as seen from one ``mention``.

        The mention itself (a stance's ``target_text``, a meeting's ``text``) and the
        labels count in full; other aliases of the record only when they carry a name
        (the record's "the accord" may be a mis-merged mention of another initiative).
        """
        strings = [mention] + ([label] if label else [])
        others: list[str] = []
        record = self.initiative_records.get(key)
        if record is not None:
            strings.append(record.label)
            others += record.aliases
        for meeting in self.pred.meetings if self.pred else ():
            if meeting.key == key:
                strings.append(meeting.label)
                others.append(meeting.text)
        return strings + [o for o in others if _distinctive(o)]

    # -- stances

    def stances(self) -> Score:
        preds = _dedupe_stances(self.pred.stances) if self.pred else []
        golds = self.gold.stances

        def weight(i: int, j: int) -> float:
            p, g = preds[i], golds[j]
            if p.polarity != g.polarity:
                return 0.0
            holder = _actor_view(p.holder, self.actor_records.get(p.holder), (p.holder_text,))
            h = self.matcher.score(holder, g.holder, self.holder_aliases, self._view)
            if not h:
                return 0.0
            names = self.target_names.get(g.target) or (_gold_name(g.target, canonical=True),)
            t = _name_score(self._target_strings(p.target, p.target_text), names)
            if not t:
                return 0.0
            return h + t + (1.0 if p.conditional == g.conditional else 0.0)

        pairs = _assign(len(preds), len(golds), weight)
        for i, j in pairs:
            p, g = preds[i], golds[j]
            self.tally.agree_total += 1
            self.tally.agree_hits += p.conditional == g.conditional
            if g.conditional:
                self.tally.cond_total += 1
                self.tally.cond_hits += p.conditional
            if p.conditional != g.conditional:
                self._error("stance-conditional",
                            f"{g.holder} {g.polarity} {g.target}: conditional predicted "
                            f"{p.conditional}, gold {g.conditional}", g.sentence)
        matched_p = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        for i, p in enumerate(preds):
            if i not in matched_p:
                self._error("stance-fp",
                            f"{p.holder} ({p.holder_text!r}) {p.polarity} {p.target} "
                            f"({p.target_text!r}){' [conditional]' if p.conditional else ''}",
                            p.evidence.sentence)
        for j, g in enumerate(golds):
            if j not in matched_g:
                self._error("stance-fn",
                            f"{g.holder} {g.polarity} {g.target}"
                            f"{' [conditional]' if g.conditional else ''}", g.sentence)
        return Score(len(pairs), len(preds) - len(pairs), len(golds) - len(pairs))

    # -- meetings

    def meetings(self) -> tuple[Score, Score]:
        preds = list(self.pred.meetings) if self.pred else []
        golds = self.gold.meetings

        def weight(i: int, j: int) -> float:
            p, g = preds[i], golds[j]
            names = self.target_names.get(g.name, (_gold_name(g.name, canonical=True),))
            score = _name_score(self._target_strings(p.key, p.text, p.label), names)
            return score + (1.0 if _status(p.status) == g.status else 0.0) if score else 0.0

        pairs = _assign(len(preds), len(golds), weight)
        participants = Score(0, 0, 0)
        for i, j in pairs:
            participants += self._meeting_pair(preds[i], golds[j])
        matched_p = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        for i, p in enumerate(preds):
            if i not in matched_p:
                self._error("meeting-fp", f"{p.label!r} ({p.type}, {p.status})",
                            _meeting_sentence(p))
        for j, g in enumerate(golds):
            if j not in matched_g:
                self._error("meeting-fn", f"{g.name!r} ({g.status})")
        return Score(len(pairs), len(preds) - len(pairs), len(golds) - len(pairs)), participants

    def _meeting_pair(self, p: Meeting, g: GoldMeeting) -> Score:
        tally = self.tally
        tally.pairs += 1
        sentence = _meeting_sentence(p)
        if _location_ok(p.location, g.location):
            tally.location_hits += 1
        else:
            self._error("meeting-location",
                        f"{g.name!r}: predicted {p.location!r}, gold {g.location!r}", sentence)
        if _gold_precision(p.start_date) == (g.date or None):
            tally.date_hits += 1
        else:
            self._error("meeting-date",
                        f"{g.name!r}: predicted {p.start_date!r}, gold {g.date!r}", sentence)
        tally.month_hits += _same_month(p.start_date, g.date)
        if _status(p.status) == g.status:
            tally.status_hits += 1
        else:
            self._error("meeting-status",
                        f"{g.name!r}: predicted {p.status!r}, gold {g.status!r}", sentence)
        pred_keys = list(dict.fromkeys((*p.participants, *p.hosts, *p.mediators)))
        gold_names = list(dict.fromkeys((*g.participants, *g.hosts_or_mediators)))
        pairs, extra, missing = _matched_actor_sets(
            pred_keys, gold_names, self._view, self.matcher, self.holder_aliases
        )
        for i in extra:
            self._error("participant-fp", f"{g.name!r}: {pred_keys[i]}", sentence)
        for j in missing:
            self._error("participant-fn", f"{g.name!r}: {gold_names[j]}", sentence)
        return Score(len(pairs), len(extra), len(missing))

    def _error(self, kind: str, description: str, sentence: str = "") -> None:
        self.errors.append(ErrorItem(self.gold.id, kind, description, sentence))


def _dedupe_stances(stances: Iterable[Stance]) -> list[Stance]:
    """One stance per (holder, polarity, target, conditional), the most confident kept."""
    best: dict[tuple[str, str, str, bool], Stance] = {}
    for stance in stances:
        key = (stance.holder, stance.polarity, stance.target, stance.conditional)
        if key not in best or stance.confidence > best[key].confidence:
            best[key] = stance
    return list(best.values())


def _meeting_sentence(meeting: Meeting) -> str:
    return meeting.evidence[0].sentence if meeting.evidence else ""


def _status(status: str) -> str:
    return _STATUS_EQUIVALENT.get(status, status)


def _location_ok(pred: str | None, gold: str | None) -> bool:
    if not pred or not gold:
        return not pred and not gold
    p, g = normalise(pred), normalise(gold)
    if p == g:
        return True
    p_words, g_words = p.split(), g.split()
    return _contains(p_words, g_words) or _contains(g_words, p_words)


def _contains(words: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(words[i : i + n] == part for i in range(len(words) - n + 1))


def _gold_precision(date: str | None) -> str | None:
    """A predicted date as the gold can write it: the gold format has no year-only value
    and annotates a meeting known only by its year as undated (annotation notes, d18)."""
    return date if date and len(date) > 4 else None


def _same_month(pred: str | None, gold: str | None) -> bool:
    """Same month (or both unknown); a gold month needs a pred of at least month precision."""
    if not pred or not gold:
        return not pred and not gold
    return len(pred) >= 7 and len(gold) >= 7 and pred[:7] == gold[:7]


# --------------------------------------------------------------------------- evaluate


def evaluate(
    gold: Mapping[str, GoldArticle] | Path | str,
    predictions: Iterable[ArticleExtraction],
    *,
    actors: Mapping[str, Any] | None = None,
    initiatives: Mapping[str, Any] | None = None,
) -> EvalReport:
    """Score predicted extractions against gold annotations.

    Matching is alias-aware but strict:

    * **Actors.** A predicted actor (its label, mentions, the stance's ``holder_text``)
      matches gold actor *G* when one of those strings equals, after :func:`normalise`,
      *G*, an ``actors.json`` alias of *G* that no other actor shares, or a surface form
      of *G* in this article's gold (``holder_aliases``; pronouns and group references
      such as "the three guarantor countries" that name several gold holders are not
      used). It also matches when the Wikidata ids are equal, or when *G*'s ISO3 equals the
      predicted country and the kinds agree (gold state/government ↔ predicted state or
      GOV sector; gold legislature ↔ predicted legislature or LEG sector): a gold actor
      with no ISO3 is never matched through a country. A person matches through their
      ``affiliation`` actor as well.
    * **Initiatives and meetings.** The predicted mention (stance ``target_text``,
      meeting ``text``), the labels of the predicted initiative/meeting record and those
      of its aliases that carry a name are compared with the gold name, the article's gold
      aliases (minus pronouns and aliases shared by two targets) and the named
      ``initiatives.json`` aliases: normalised equality, or fuzzily with rapidfuzz
      ``token_set_ratio`` ≥ :data:`FUZZY_THRESHOLD`, where the prediction must contain
      every distinctive word of the gold canonical name (containment), or have the same
      distinctive words as a gold alias (near-equality). Bare definite descriptions
      ("the congress") only match, by equality, the same article's gold aliases.
    * **Stances** are deduplicated on (holder, polarity, target, conditional) and matched
      one to one (maximum cardinality, then best score) requiring holder, polarity and
      target to match. **Meetings** are matched one to one by name; matched pairs are
      then compared on participants (+ hosts and mediators), location (equal, or one
      containing the other word-wise), start date (exact; and same month) and status
      (``postponed`` counts as ``planned``).

    Gold articles without a prediction count as all false negatives (an
    ``article-missing`` error says so); predictions for articles not in the gold are
    ignored and listed in ``warnings``.

    Args:
        gold: gold articles by id (e.g. from :func:`load_gold`) or the path to gold JSONL.
        predictions: one extraction per article.
        actors: raw ``actors.json`` content; defaults to the one loaded with the gold.
        initiatives: raw ``initiatives.json`` content; defaults likewise.

    Returns:
        The micro-averaged report with per-article scores and an error list.
    """
    if isinstance(gold, (str, Path)):
        gold = load_gold(gold)
    if actors is None:
        actors = getattr(gold, "actors", None) or {}
    if initiatives is None:
        initiatives = getattr(gold, "initiatives", None) or {}
    matcher = _ActorMatcher(_gold_actors(actors))

    notes: list[str] = []
    by_article: dict[str, ArticleExtraction] = {}
    for extraction in predictions:
        article_id = extraction.article.id
        if article_id not in gold:
            notes.append(f"prediction for article {article_id!r} not in the gold: ignored")
            continue
        if article_id in by_article:
            notes.append(f"several predictions for article {article_id!r}: the last is scored")
        by_article[article_id] = extraction

    tally = _Tally()
    errors: list[ErrorItem] = []
    per_article: dict[str, dict] = {}
    for article_id, gold_article in gold.items():
        pred = by_article.get(article_id)
        if pred is None:
            errors.append(ErrorItem(article_id, "article-missing",
                                    "no prediction for this article: all its gold items are "
                                    "false negatives"))
        scorer = _ArticleScorer(gold_article, pred, matcher, initiatives, tally, errors)
        stances = scorer.stances()
        meetings, participants = scorer.meetings()
        tally.stances += stances
        tally.meetings += meetings
        tally.participants += participants
        per_article[article_id] = {
            "predicted": pred is not None,
            "stances": stances.as_dict(),
            "meetings": meetings.as_dict(),
            "participants": participants.as_dict(),
        }
    return EvalReport(
        stances=tally.stances,
        meetings=tally.meetings,
        participants=tally.participants,
        location_accuracy=_ratio(tally.location_hits, tally.pairs),
        start_date_accuracy=_ratio(tally.date_hits, tally.pairs),
        start_month_accuracy=_ratio(tally.month_hits, tally.pairs),
        status_accuracy=_ratio(tally.status_hits, tally.pairs),
        conditional_accuracy=_ratio(tally.cond_hits, tally.cond_total),
        conditional_agreement=_ratio(tally.agree_hits, tally.agree_total),
        per_article=per_article,
        errors=tuple(errors),
        warnings=tuple(notes),
    )
