"""The actor gazetteer: states, international organisations, named groups and sector cues."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Literal

from diplograph.errors import ValidationError

__all__ = [
    "Gazetteer",
    "GazetteerEntry",
    "PersonEntry",
    "How",
    "load_gazetteer",
    "normalise",
]

How = Literal["name", "demonym", "metonym"]

_HOW_RANK: dict[str, int] = {"name": 0, "demonym": 1, "metonym": 2}
_KIND_RANK: dict[str, int] = {"state": 0, "igo": 1}
_GROUP_KINDS = frozenset({"armed_group", "party", "government", "de_facto_entity", "coalition"})
_ISO3 = re.compile(r"^[A-Z]{3}$")
_QID = re.compile(r"^Q\d+$")
_KEY = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One canonical actor known to the gazetteer.

    Attributes:
        key: ISO 3166-1 alpha-3 for states (``"RUS"``), the organisation key for
            international organisations (``"UN"``), the group key for named groups
            (``"TALIBAN"``). Keys are unique across the three files.
        label: short English label (``"Russia"``, ``"United Nations"``).
        kind: ``"state"``, ``"igo"`` or a group kind (``armed_group``, ``party``,
            ``government``, ``de_facto_entity``, ``coalition``).
        iso3: the state's own code, a group's country, ``None`` for organisations.
        sector: ``None`` for states, ``"IGO"`` for organisations, a group's sector.
        wikidata: Wikidata QID, or ``None`` where it was not certain.
        names: the label followed by other names and abbreviations.
        demonyms: adjectives of nationality (``"Russian"``).
        metonyms: capital and seats of government used for the state (``"the Kremlin"``).
        parent: key of the organisation a body belongs to (``UNSC`` → ``UN``).
        ambiguous: this entry's strings that are also common words, places or person
            names elsewhere (``"Jordan"``, ``"Georgia"``): :meth:`Gazetteer.lookup`
            still resolves them, :meth:`Gazetteer.ruler_patterns` leaves them out.
        un_status: ``"member"``, ``"observer"`` or ``"other"`` for states, else ``None``.
        capital: a state's capital city (``"Minsk"``), else ``None``.
    """

    key: str
    label: str
    kind: str
    iso3: str | None
    sector: str | None
    wikidata: str | None
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    metonyms: tuple[str, ...]
    parent: str | None = None
    ambiguous: tuple[str, ...] = ()
    un_status: str | None = None
    capital: str | None = None


@dataclass(frozen=True, slots=True)
class PersonEntry:
    """A political person the gazetteer knows, and who they speak for.

    Attributes:
        name: the usual English form of the name.
        aliases: other forms used in news (surnames that are unambiguous, spellings).
        country: ISO3 of the state the person acts for, ``None`` for officials of an
            organisation.
        sector: the person's sector within that state (``"GOV"``, ``"OPP"``, ``"REB"`` …).
        affiliation: key of the organisation or group the person speaks for, if any.
        roles: ``(role, from_year, to_year)``; ``None`` years are open or uncertain.
    """

    name: str
    aliases: tuple[str, ...]
    country: str | None
    sector: str | None
    affiliation: str | None
    roles: tuple[tuple[str, int | None, int | None], ...] = ()


@functools.lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Return the comparison form of a name (memoised).

    Lower case, straight quotes and hyphens, diacritics removed, whitespace collapsed,
    a leading ``"the "`` dropped.

    >>> normalise("  the  Élysée ")
    'elysee'
    >>> normalise("Côte d\u2019Ivoire") == normalise("Cote d'Ivoire")
    True
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).translate(_DASHES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _SPACE.sub(" ", text).strip().casefold()
    if text.startswith("the "):
        text = text[4:]
    return text


def _is_acronym(text: str) -> bool:
    """Whether ``text`` is written as an abbreviation (``"US"``, ``"U.N."``, ``"the EU"``)."""
    text = text.strip()
    if text.lower().startswith("the "):
        text = text[4:]
    letters = [c for c in text if c.isalpha()]
    return 0 < len(letters) <= 6 and all(c.isupper() for c in letters) and " " not in text


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _singulars(text: str) -> list[str]:
    """Plural-less forms: ``authorities`` → ``authority``, ``rebels`` → ``rebel``."""
    out: list[str] = []
    if text.endswith("ies") and len(text) > 4:
        out.append(text[:-3] + "y")
    if text.endswith("es") and len(text) > 3:
        out.append(text[:-2])
    if text.endswith("s") and not text.endswith("ss") and len(text) > 2:
        out.append(text[:-1])
    return out


@functools.lru_cache(maxsize=1 << 16)
def _candidates(text: str) -> tuple[str, ...]:
    """Forms of a mention to try, most literal first (memoised: the reader asks for every
    token's lemma and text)."""
    base = normalise(text)
    forms = [base]
    for suffix in ("'s", "'"):
        if base.endswith(suffix):
            forms.append(base[: -len(suffix)].rstrip())
    if "." in base:
        forms.extend(f.replace(".", "").replace("  ", " ").strip() for f in list(forms))
    forms.extend(s for f in list(forms) for s in _singulars(f))
    seen: set[str] = set()
    return tuple(f for f in forms if f and not (f in seen or seen.add(f)))


def _plural(demonym: str) -> str | None:
    """English plural of a demonym used as a noun (``Russians``), if it takes ``-s``."""
    if demonym.endswith(("an", "i", "ek", "kh", "ot", "er")) and " " not in demonym:
        return demonym + "s"
    return None


def _surface_forms(text: str) -> list[str]:
    """Written variants of one name for phrase patterns: as given, sentence-initial
    ``The``, ASCII-folded, and with a typographic apostrophe."""
    forms = [text]
    if text.startswith("the "):
        forms.append("The " + text[4:])
    forms.extend(_ascii(f) for f in list(forms))
    forms.extend(f.replace("'", "\u2019") for f in list(forms) if "'" in f)
    seen: set[str] = set()
    return [f for f in forms if not (f in seen or seen.add(f))]


def _dedupe(items: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return tuple(out)


class Gazetteer:
    """Canonical actors with name, demonym and metonym indexes and a sector lexicon.

    Build it with :func:`load_gazetteer`, which reads the JSON files shipped in
    ``diplograph.ontology.gazetteer``.

    >>> gaz = load_gazetteer()
    >>> gaz.lookup("the Kremlin")[0].key
    'RUS'
    >>> gaz.sector_of("rebels")
    'REB'
    """

    __slots__ = (
        "_acronyms",
        "_persons",
        "_blockers",
        "_codes",
        "_cues",
        "_entries",
        "_index",
        "_modifiers",
        "_roles",
    )

    def __init__(
        self,
        entries: list[GazetteerEntry],
        *,
        cues: dict[str, str],
        roles: dict[str, str],
        codes: dict[str, str],
        modifiers: dict[str, tuple[str, str]],
        blockers: tuple[str, ...] = (),
        persons: tuple[PersonEntry, ...] = (),
    ) -> None:
        """Index ``entries``; raises :class:`ValidationError` on a duplicate key."""
        self._persons: dict[str, PersonEntry] = {}
        for person in persons:
            for form in (person.name, *person.aliases):
                self._persons.setdefault(normalise(form), person)
        self._entries: dict[str, GazetteerEntry] = {}
        for entry in entries:
            if entry.key in self._entries:
                raise ValidationError(f"duplicate gazetteer key {entry.key!r}")
            self._entries[entry.key] = entry
        self._index: dict[str, list[tuple[GazetteerEntry, How]]] = {}
        self._acronyms: set[tuple[str, str]] = set()
        for entry in entries:
            fields: tuple[tuple[How, tuple[str, ...]], ...] = (
                ("name", entry.names),
                ("demonym", entry.demonyms),
                ("metonym", entry.metonyms),
            )
            for how, strings in fields:
                for string in strings:
                    form = normalise(string)
                    hits = self._index.setdefault(form, [])
                    if not any(e.key == entry.key for e, _ in hits):
                        hits.append((entry, how))
                        if _is_acronym(string):
                            self._acronyms.add((form, entry.key))
                    if not _is_acronym(string):
                        self._acronyms.discard((form, entry.key))
        for hits in self._index.values():
            hits.sort(key=lambda hit: (_HOW_RANK[hit[1]], _KIND_RANK.get(hit[0].kind, 2)))
        self._cues = cues
        self._roles = roles
        self._codes = codes
        self._modifiers = modifiers
        self._blockers = blockers

    def __getitem__(self, key: str) -> GazetteerEntry:
        """Return the entry with this key; raises ``KeyError`` naming it otherwise."""
        try:
            return self._entries[key]
        except KeyError:
            raise KeyError(f"no gazetteer entry with key {key!r}") from None

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def sector_codes(self) -> dict[str, str]:
        """Sector code → description (``"GOV"`` → ``"Government: …"``)."""
        return dict(self._codes)

    def of_kind(self, *kinds: str) -> list[GazetteerEntry]:
        """Entries whose ``kind`` is one of ``kinds`` (``"state"``, ``"igo"``, …)."""
        return [e for e in self._entries.values() if e.kind in kinds]

    def person(self, text: str) -> PersonEntry | None:
        """The political person a name refers to (``"Putin"``, ``"Bashar al-Assad"``).

        >>> load_gazetteer().person("Putin").country
        'RUS'
        """
        form = normalise(text)
        if form.endswith("'s"):
            form = form[:-2]
        return self._persons.get(form)

    def lookup(self, text: str) -> tuple[GazetteerEntry, How] | None:
        """Resolve a mention to an entry and say how it matched.

        Case-insensitive, except that abbreviations match only when written in
        capitals (``"US"`` and ``"U.S."`` are the United States, ``"us"`` is not;
        ``"WHO"`` is the organisation, ``"who"`` is not). Ignores a leading
        ``"the "``, a possessive ``'s``, dots (``"U.N."`` = ``"UN"``), curly quotes
        and diacritics (``"Türkiye"`` = ``"Turkiye"``); tries plural-less forms
        (``"Syrians"``). Where several entries claim a string (see
        :meth:`conflicts`), names beat demonyms beat metonyms, and states beat
        organisations beat groups.

        Returns:
            ``(entry, how)`` with ``how`` in ``{"name", "demonym", "metonym"}``, or
            ``None`` when nothing matches.
        """
        upper = _is_acronym(text)
        for form in _candidates(text):
            for entry, how in self._index.get(form, ()):
                if upper or (form, entry.key) not in self._acronyms:
                    return entry, how
        return None

    def by_demonym(self, word: str) -> GazetteerEntry | None:
        """The entry whose demonym ``word`` is (``"Syrian"``, ``"Syrians"``), else ``None``."""
        for form in _candidates(word):
            for entry, how in self._index.get(form, ()):
                if how == "demonym" and (form, entry.key) not in self._acronyms:
                    return entry
        return None

    def is_ambiguous(self, text: str) -> bool:
        """Whether ``text`` is a string the gazetteer flags as ambiguous or several
        entries claim; callers should confirm such mentions (e.g. by an NER label)."""
        form = normalise(text)
        hits = self._index.get(form, ())
        if len({e.key for e, _ in hits}) > 1:
            return True
        return any(form in {normalise(a) for a in e.ambiguous} for e, _ in hits)

    def conflicts(self) -> dict[str, tuple[str, ...]]:
        """Normalised strings claimed by more than one entry → the claiming keys."""
        return {
            form: tuple(e.key for e, _ in hits)
            for form, hits in sorted(self._index.items())
            if len(hits) > 1
        }

    def sector_of(self, word_or_phrase: str) -> str | None:
        """Sector code of a cue word or role (``"Government"`` → ``"GOV"``,
        ``"armed groups"`` → ``"REB"``, ``"spokesman"`` → ``"GOV"``), else ``None``."""
        for form in _candidates(word_or_phrase):
            if form in self._cues:
                return self._cues[form]
        return self.role_sector(word_or_phrase)

    def role_sector(self, role: str) -> str | None:
        """Sector code of a role title (``"foreign minister"`` → ``"GOV"``,
        ``"opposition leader"`` → ``"OPP"``); leading modifiers are dropped until a
        known role remains (``"former deputy foreign minister"``)."""
        words = normalise(role).split(" ")
        for start in range(len(words)):
            for form in _candidates(" ".join(words[start:])):
                if form in self._roles:
                    return self._roles[form]
        return None

    def ethnic_religious(self, word: str) -> tuple[str, str] | None:
        """``(term, kind)`` for an ethnic or religious modifier (``"Kurds"`` →
        ``("Kurdish", "ethnic")``), which is never a state demonym; else ``None``."""
        for form in _candidates(word):
            if form in self._modifiers:
                return self._modifiers[form]
        return None

    def ruler_patterns(self) -> list[dict[str, str]]:
        """Phrase patterns for spaCy's ``EntityRuler``/``SpanRuler``.

        Each pattern is ``{"label": "ACTOR"|"DEMONYM"|"METONYM", "pattern": str,
        "id": key}``. Names keep their exact casing (plus a sentence-initial ``The``
        and ASCII/typographic-apostrophe variants); demonyms add their ``-s`` plural;
        metonyms are kept only in capitalised forms. Strings flagged ambiguous or
        claimed by more than one entry are left out.
        """
        claimed = {form for form, keys in self.conflicts().items() if len(set(keys)) > 1}
        patterns: dict[tuple[str, str], dict[str, str]] = {}
        for entry in self._entries.values():
            skip = {normalise(a) for a in entry.ambiguous} | claimed
            groups: list[tuple[str, list[str]]] = [
                ("ACTOR", list(entry.names)),
                ("DEMONYM", [*entry.demonyms, *filter(None, map(_plural, entry.demonyms))]),
                ("METONYM", list(entry.metonyms)),
            ]
            for label, strings in groups:
                for string in strings:
                    if normalise(string) in skip:
                        continue
                    for form in _surface_forms(string):
                        if label == "METONYM" and not (
                            form[:1].isupper() or (form.startswith("the ") and form[4:5].isupper())
                        ):
                            continue
                        patterns.setdefault(
                            (form, entry.key), {"label": label, "pattern": form, "id": entry.key}
                        )
        return [patterns[k] for k in sorted(patterns)]

    def blocker_patterns(self) -> list[dict[str, str]]:
        """Phrase patterns labelled ``"NOT_ACTOR"`` for phrases that contain an actor
        string but are no actor (``"Latin American"``, ``"South China Sea"``).

        Add them to the same ruler as :meth:`ruler_patterns`: its longest-match rule
        then keeps ``"American"`` from firing inside ``"Latin American"``; drop the
        ``NOT_ACTOR`` spans afterwards.
        """
        return [
            {"label": "NOT_ACTOR", "pattern": form, "id": "NOT_ACTOR"}
            for phrase in self._blockers
            for form in _surface_forms(phrase)
        ]


def _read(name: str) -> dict[str, Any]:
    resource = files("diplograph.ontology.gazetteer").joinpath(name)
    try:
        return json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValidationError(f"cannot read gazetteer file {name!r}: {exc}") from exc


def _check(cond: bool, message: str) -> None:
    if not cond:
        raise ValidationError(message)


def _qid(value: str | None, where: str) -> str | None:
    _check(value is None or bool(_QID.match(value)), f"{where}: bad Wikidata QID {value!r}")
    return value


def _states(data: dict[str, Any]) -> list[GazetteerEntry]:
    out = []
    for row in data["states"]:
        iso3 = row["iso3"]
        _check(bool(_ISO3.match(iso3)), f"states.json: bad ISO3 {iso3!r} (want 3 capitals)")
        _check(
            row["un_status"] in {"member", "observer", "other"},
            f"states.json {iso3}: un_status {row['un_status']!r} not member|observer|other",
        )
        out.append(
            GazetteerEntry(
                key=iso3,
                label=row["name"],
                kind="state",
                iso3=iso3,
                sector=None,
                wikidata=_qid(row.get("wikidata"), f"states.json {iso3}"),
                names=_dedupe([row["name"], *row.get("names", ())]),
                demonyms=_dedupe(row.get("demonyms", [])),
                metonyms=_dedupe(row.get("metonyms", [])),
                ambiguous=tuple(row.get("ambiguous", ())),
                un_status=row["un_status"],
                capital=row.get("capital"),
            )
        )
    return out


def _organisations(data: dict[str, Any]) -> list[GazetteerEntry]:
    out = []
    for row in data["organisations"]:
        key = row["key"]
        _check(bool(_KEY.match(key)), f"organisations.json: bad key {key!r}")
        out.append(
            GazetteerEntry(
                key=key,
                label=row["name"],
                kind="igo",
                iso3=None,
                sector="IGO",
                wikidata=_qid(row.get("wikidata"), f"organisations.json {key}"),
                names=_dedupe([row["name"], *row.get("names", ())]),
                demonyms=(),
                metonyms=_dedupe(row.get("metonyms", [])),
                parent=row.get("parent"),
                ambiguous=tuple(row.get("ambiguous", ())),
            )
        )
    return out


def _groups(data: dict[str, Any], codes: dict[str, str]) -> list[GazetteerEntry]:
    out = []
    for row in data["groups"]:
        key = row["key"]
        _check(bool(_KEY.match(key)), f"groups.json: bad key {key!r}")
        _check(row["kind"] in _GROUP_KINDS, f"groups.json {key}: unknown kind {row['kind']!r}")
        _check(row["sector"] in codes, f"groups.json {key}: unknown sector {row['sector']!r}")
        out.append(
            GazetteerEntry(
                key=key,
                label=row["name"],
                kind=row["kind"],
                iso3=row.get("country"),
                sector=row["sector"],
                wikidata=_qid(row.get("wikidata"), f"groups.json {key}"),
                names=_dedupe([row["name"], *row.get("names", ())]),
                demonyms=(),
                metonyms=(),
                ambiguous=tuple(row.get("ambiguous", ())),
            )
        )
    return out


def _lexicon(
    data: dict[str, Any],
) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, tuple[str, str]]]:
    codes: dict[str, str] = dict(data["codes"])
    tables: list[dict[str, str]] = []
    for section in ("cues", "roles"):
        table: dict[str, str] = {}
        for code, words in data[section].items():
            _check(code in codes, f"sectors.json {section}: unknown sector code {code!r}")
            for word in words:
                table[normalise(word)] = code
        tables.append(table)
    modifiers: dict[str, tuple[str, str]] = {}
    for row in data["ethnic_religious"]:
        for form in (row["term"], *row.get("forms", ())):
            modifiers[normalise(form)] = (row["term"], row["kind"])
    return tables[0], tables[1], codes, modifiers


def _persons(rows: list[dict[str, Any]], codes: dict[str, str]) -> tuple[PersonEntry, ...]:
    out = []
    for row in rows:
        name = row["name"]
        _check(row.get("sector") is None or row["sector"] in codes,
               f"persons.json {name}: unknown sector {row.get('sector')!r}")
        out.append(PersonEntry(
            name=name,
            aliases=tuple(row.get("aliases", ())),
            country=row.get("country"),
            sector=row.get("sector"),
            affiliation=row.get("affiliation"),
            roles=tuple((r["role"], r.get("from"), r.get("to")) for r in row.get("roles", ())),
        ))
    return tuple(out)


@functools.cache
def load_gazetteer() -> Gazetteer:
    """Read and check the gazetteer shipped with diplograph (cached).

    Raises:
        ValidationError: a data file is missing, unreadable or inconsistent (bad
            ISO3 or QID, unknown sector, a parent or country that is not an entry).
    """
    cues, roles, codes, modifiers = _lexicon(_read("sectors.json"))
    entries = [
        *_states(_read("states.json")),
        *_organisations(_read("organisations.json")),
        *_groups(_read("groups.json"), codes),
    ]
    gazetteer = Gazetteer(
        entries,
        cues=cues,
        roles=roles,
        codes=codes,
        modifiers=modifiers,
        blockers=tuple(_read("blockers.json")["blockers"]),
        persons=_persons(_read("persons.json"), codes),
    )
    for entry in gazetteer:
        if entry.parent is not None:
            _check(entry.parent in gazetteer, f"{entry.key}: parent {entry.parent!r} unknown")
        if entry.kind != "state" and entry.iso3 is not None:
            _check(
                entry.iso3 in gazetteer and gazetteer[entry.iso3].kind == "state",
                f"{entry.key}: country {entry.iso3!r} is not a state in the gazetteer",
            )
    return gazetteer
