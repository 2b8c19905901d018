"""Frozen records: the one contract between ingest and graph."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "EXTRACTOR_VERSION",
    "Actor",
    "Article",
    "ArticleError",
    "ArticleExtraction",
    "Evidence",
    "Initiative",
    "Meeting",
    "Polarity",
    "Stance",
    "Status",
]

EXTRACTOR_VERSION = "0.3.0"
"""Version of what the extractor makes of an article; bump it when the records change.

Stored with every article: an article ingested by another version is extracted again.
It lives here, not in :mod:`diplograph.ingest.extract`, so that deciding what to skip
does not import spaCy (a ``--workers N`` parent never parses).
"""

Polarity = Literal["support", "reject"]
Status = Literal["held", "planned", "postponed", "cancelled"]


@dataclass(frozen=True, slots=True)
class Article:
    """One source article, as read by :mod:`diplograph.ingest.sources`.

    Attributes:
        id: stable article id (given id, else file stem, else content hash).
        text: the body text that offsets in :class:`Evidence` refer to.
        published: publication date, or ``None`` when unknown.
        origin: where it was read from (a path, ``path#line``, feed URL …).
    """

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleError:
    """An item that could not be read or processed; batches go on without it."""

    origin: str
    reason: str
    article: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence a fact was read from; offsets index ``Article.text``."""

    article: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor.

    ``key`` is stable across articles: ``RUS`` for a state, ``SYR-GOV`` for a
    country+sector actor, ``UN`` for a gazetteer organisation,
    ``org:<slug>`` / ``person:<slug>`` for actors unknown to the gazetteer.
    ``kind`` is one of state, government, opposition, armed_group, party,
    igo, organisation, person, legislature, group.
    A person keeps ``role`` and the key of the actor they speak for in
    ``affiliation``.
    """

    key: str
    label: str
    kind: str
    country: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    role: str | None = None
    affiliation: str | None = None
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Initiative:
    """A named proposal, process, agreement, meeting … that stances target.

    ``kind`` is a lower-case head noun type (congress, talks, agreement,
    plan, process, resolution, ceasefire, summit, conference, …).
    ``key`` is a normalised canonical key used to merge across articles.
    """

    key: str
    label: str
    kind: str
    aliases: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Meeting:
    """A meeting (itself an initiative: ``key`` lives in the initiative key space).

    Dates are ISO strings: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; ``None``
    when unknown. ``date_text`` keeps the phrase the date came from and
    ``date_resolved`` says whether a relative date could be anchored.
    ``part_of`` is the initiative key of the process a round belongs to.
    """

    key: str
    label: str
    text: str
    type: str
    status: Status
    participants: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    mediators: tuple[str, ...] = ()
    location: str | None = None
    location_country: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    date_text: str | None = None
    date_resolved: bool = True
    round: int | None = None
    part_of: str | None = None
    evidence: tuple[Evidence, ...] = ()
    confidence: float = 0.5
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Stance:
    """holder --polarity--> target (an initiative or meeting key)."""

    holder: str
    holder_text: str
    polarity: Polarity
    target: str
    target_text: str
    evidence: Evidence
    conditional: bool = False
    date: str | None = None
    confidence: float = 0.5
    rule: str = ""


@dataclass(frozen=True, slots=True)
class ArticleExtraction:
    """Everything read from one article."""

    article: Article
    actors: tuple[Actor, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    stances: tuple[Stance, ...] = ()
    extractor_version: str = ""
    content_hash: str = ""
    warnings: tuple[str, ...] = field(default=())
