"""Hand-built extraction records (the seed facts) and on-disk stores for the graph tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from diplograph.graph import Store
from diplograph.ingest.records import (
    Actor,
    Article,
    ArticleExtraction,
    Evidence,
    Initiative,
    Meeting,
    Stance,
)

SOCHI_TEXT = (
    "Syrian opposition groups on Tuesday rejected the Congress of National Dialogue that "
    "Russia plans to host in Sochi, saying the event would bypass the UN-led Geneva process. "
    "Russia, Iran and Turkey have backed the Sochi congress. "
    "Moscow said the congress would go ahead only if the Kurdish question was settled."
)


def _span(text: str, sentence: str, article: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(article=article, sentence=sentence, start=start, end=start + len(sentence))


def sochi_extraction(*, extra_stance: bool = False) -> ArticleExtraction:
    """The seed article: the opposition rejects Sochi, Russia, Iran and Turkey support it."""
    aid = "presstv-sochi-rejection"
    s1 = _span(SOCHI_TEXT, SOCHI_TEXT.split(". ")[0] + ".", aid)
    s2 = _span(SOCHI_TEXT, "Russia, Iran and Turkey have backed the Sochi congress.", aid)
    s3 = _span(SOCHI_TEXT, "Moscow said the congress would go ahead only if the Kurdish "
               "question was settled.", aid)
    actors = (
        Actor("SYR-OPP", "Syrian opposition", "opposition", country="SYR", sector="OPP",
              mentions=("Syrian opposition groups",)),
        Actor("RUS", "Russia", "state", country="RUS", wikidata="Q159",
              mentions=("Russia", "Moscow")),
        Actor("IRN", "Iran", "state", country="IRN", wikidata="Q794", mentions=("Iran",)),
        Actor("TUR", "Turkey", "state", country="TUR", wikidata="Q43", mentions=("Turkey",)),
    )
    congress = "congress-of-national-dialogue"
    initiatives = (
        Initiative(congress, "Congress of National Dialogue", "congress",
                   aliases=("Sochi congress", "the congress", "the event"), evidence=(s1,)),
    )
    meetings = (
        Meeting(congress, "Congress of National Dialogue", "Congress of National Dialogue",
                "congress", "planned", hosts=("RUS",), location="Sochi",
                location_country="RUS", start_date="2018-01", date_text="at the end of January",
                evidence=(s1,), confidence=0.7, rule="meeting.plan"),
    )
    stances = [
        Stance("SYR-OPP", "Syrian opposition groups", "reject", congress,
               "the Congress of National Dialogue", s1, date="2018-01-30", confidence=0.9,
               rule="stance.verb"),
        Stance("RUS", "Russia", "support", congress, "the Sochi congress", s2, confidence=0.8,
               rule="stance.verb"),
        Stance("IRN", "Iran", "support", congress, "the Sochi congress", s2, confidence=0.8,
               rule="stance.verb"),
        Stance("TUR", "Turkey", "support", congress, "the Sochi congress", s2, confidence=0.8,
               rule="stance.verb"),
    ]
    if extra_stance:
        stances.append(Stance("RUS", "Moscow", "support", congress, "the congress", s3,
                              conditional=True, confidence=0.6, rule="stance.conditional"))
    return ArticleExtraction(
        article=Article(aid, SOCHI_TEXT, title="Syrian opposition rejects Sochi congress",
                        published=dt.date(2018, 1, 30), url="https://www.presstv.com/x/1",
                        source="Press TV"),
        actors=actors, initiatives=initiatives, meetings=meetings, stances=tuple(stances),
        extractor_version="0.1.0", content_hash="sha1:aaaa",
    )


ASTANA_TEXT = (
    "The eighth round of Astana talks on Syria was held in Astana on December 21-22, 2017, "
    "mediated by Iran, Russia and Turkey. "
    "The Syrian government delegation attended the talks."
)


def astana_extraction(*, status: str = "held") -> ArticleExtraction:
    """A second article: the eighth round of Astana talks, mediated by IRN, RUS, TUR."""
    aid = "astana-8"
    s1 = _span(ASTANA_TEXT, ASTANA_TEXT.split(" Syria was")[0] + " Syria was held in Astana on "
               "December 21-22, 2017, mediated by Iran, Russia and Turkey.", aid)
    s2 = _span(ASTANA_TEXT, "The Syrian government delegation attended the talks.", aid)
    actors = (
        Actor("IRN", "Iran", "state", country="IRN", wikidata="Q794", mentions=("Iran",)),
        Actor("RUS", "Russia", "state", country="RUS", wikidata="Q159", mentions=("Russia",)),
        Actor("TUR", "Turkey", "state", country="TUR", wikidata="Q43", mentions=("Turkey",)),
        Actor("SYR-GOV", "Syrian government", "government", country="SYR", sector="GOV",
              mentions=("The Syrian government delegation",)),
    )
    initiatives = (
        Initiative("astana-talks", "Astana talks", "talks", aliases=("Astana process",)),
    )
    meetings = (
        Meeting("astana-talks-8", "eighth round of Astana talks",
                "The eighth round of Astana talks", "round of talks", status,  # type: ignore[arg-type]
                participants=("SYR-GOV",), mediators=("IRN", "RUS", "TUR"),
                location="Astana", location_country="KAZ", start_date="2017-12-21",
                end_date="2017-12-22", date_text="December 21-22, 2017", round=8,
                part_of="astana-talks", evidence=(s1,), confidence=0.9, rule="meeting.held"),
    )
    stances = (
        Stance("SYR-GOV", "The Syrian government delegation", "support", "astana-talks-8",
               "the talks", s2, date="2017-12-21", confidence=0.7, rule="stance.attend"),
    )
    return ArticleExtraction(
        article=Article(aid, ASTANA_TEXT, title="Astana talks end", published=dt.date(2017, 12, 22),
                        source="Reuters"),
        actors=actors, initiatives=initiatives, meetings=meetings, stances=stances,
        extractor_version="0.1.0", content_hash="sha1:bbbb",
    )


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    with Store(store_path) as s:
        yield s


@pytest.fixture
def loaded(store: Store) -> Store:
    """A store holding the Sochi and Astana articles."""
    store.add_many([sochi_extraction(extra_stance=True), astana_extraction()])
    return store


@pytest.fixture
def sochi() -> ArticleExtraction:
    return sochi_extraction()


@pytest.fixture
def astana() -> ArticleExtraction:
    return astana_extraction()


@pytest.fixture
def make_sochi():
    return sochi_extraction


@pytest.fixture
def make_astana():
    return astana_extraction
