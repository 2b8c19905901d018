"""Tests for diplograph.ingest.dates: date phrases resolved against publication dates."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diplograph.ingest.dates import DateValue, find_dates, resolve

TUE = dt.date(2017, 12, 26)  # a Tuesday
SAT = dt.date(2019, 2, 9)  # a Saturday
FRI = dt.date(2017, 12, 29)  # a Friday


@pytest.mark.parametrize(
    ("phrase", "published", "tense", "start", "end", "precision"),
    [
        pytest.param("on Monday", TUE, "past", "2017-12-25", None, "day", id="monday-past"),
        pytest.param("on Friday", TUE, "past", "2017-12-22", None, "day", id="friday-past"),
        pytest.param(
            "on Tuesday", TUE, "past", "2017-12-26", None, "day", id="same-weekday-past-is-today"
        ),
        pytest.param("on Monday", TUE, None, "2017-12-25", None, "day", id="monday-no-tense"),
        pytest.param("on Friday", TUE, "future", "2017-12-29", None, "day", id="friday-future"),
        # wire style names today by its weekday: 'talks will open on Tuesday' in Tuesday's news
        pytest.param(
            "on Tuesday", TUE, "future", "2017-12-26", None, "day", id="same-weekday-future"
        ),
        pytest.param(
            "next Tuesday", TUE, "future", "2018-01-02", None, "day", id="next-same-weekday"
        ),
        pytest.param(
            "next Friday", TUE, None, "2017-12-29", None, "day", id="next-friday-this-week"
        ),
        pytest.param(
            "next Friday", FRI, None, "2018-01-05", None, "day", id="next-friday-on-a-friday"
        ),
        pytest.param("last Friday", FRI, None, "2017-12-22", None, "day", id="last-friday"),
        pytest.param("next month", TUE, None, "2018-01", None, "month", id="next-month"),
        pytest.param("last month", TUE, None, "2017-11", None, "month", id="last-month"),
        pytest.param(
            "earlier this month", TUE, "past", "2017-12", None, "month", id="earlier-this-month"
        ),
        pytest.param("later this year", TUE, "future", "2017", None, "year", id="later-this-year"),
        pytest.param("last year", TUE, None, "2016", None, "year", id="last-year"),
        pytest.param("last week", TUE, "past", "2017-12", None, "month", id="last-week-month"),
        pytest.param(
            "next week", TUE, "future", "2018-01", None, "month", id="next-week-crosses-year"
        ),
        pytest.param(
            "on January 29 and 30",
            TUE,
            None,
            "2018-01-29",
            "2018-01-30",
            "day",
            id="day-pair-closest-year-is-next",
        ),
        pytest.param(
            "on January 29 and 30",
            TUE,
            "past",
            "2017-01-29",
            "2017-01-30",
            "day",
            id="day-pair-past-year",
        ),
        pytest.param(
            "on December 21-22", TUE, None, "2017-12-21", "2017-12-22", "day", id="day-dash-range"
        ),
        pytest.param(
            "December 21 to 22", TUE, None, "2017-12-21", "2017-12-22", "day", id="day-to-range"
        ),
        pytest.param(
            "29-30 January", TUE, "future", "2018-01-29", "2018-01-30", "day", id="day-month-range"
        ),
        pytest.param(
            "between 3 and 5 May",
            TUE,
            "past",
            "2017-05-03",
            "2017-05-05",
            "day",
            id="between-days-range",
        ),
        pytest.param(
            "December 30 - January 2",
            dt.date(2018, 1, 1),
            None,
            "2017-12-30",
            "2018-01-02",
            "day",
            id="range-across-new-year",
        ),
        pytest.param("in May", TUE, "past", "2017-05", None, "month", id="month-past"),
        pytest.param("in May", TUE, "future", "2018-05", None, "month", id="month-future"),
        pytest.param(
            "in December", TUE, "future", "2017-12", None, "month", id="current-month-future"
        ),
        pytest.param(
            "in May", dt.date(2017, 3, 1), None, "2016-05", None, "month", id="later-month-no-tense"
        ),
        pytest.param("mid-February", TUE, "future", "2018-02", None, "month", id="mid-month"),
        pytest.param("May last year", TUE, None, "2016-05", None, "month", id="month-last-year"),
        pytest.param(
            "from Wednesday to Friday",
            SAT,
            "past",
            "2019-02-06",
            "2019-02-08",
            "day",
            id="weekday-range-past",
        ),
        pytest.param(
            "from Wednesday to Friday",
            SAT,
            "future",
            "2019-02-13",
            "2019-02-15",
            "day",
            id="weekday-range-future",
        ),
        pytest.param(
            "last Thursday and Friday",
            dt.date(2018, 1, 30),
            None,
            "2018-01-25",
            "2018-01-26",
            "day",
            id="last-weekday-pair",
        ),
        pytest.param(
            "this Monday to Wednesday",
            dt.date(2018, 1, 30),
            "past",
            "2018-01-29",
            "2018-01-31",
            "day",
            id="this-week-weekday-range",
        ),
        pytest.param("yesterday", TUE, None, "2017-12-25", None, "day", id="yesterday"),
        pytest.param("three days ago", TUE, None, "2017-12-23", None, "day", id="days-ago"),
        pytest.param(
            "Monday, December 25", TUE, None, "2017-12-25", None, "day", id="weekday-and-date"
        ),
        pytest.param("in 2016", TUE, None, "2016", None, "year", id="year-with-anchor"),
    ],
)
def test_resolve_relative_phrases_against_publication_date(
    phrase, published, tense, start, end, precision
):
    value = resolve(phrase, published, tense=tense)
    assert value == DateValue(start, end, phrase, True, precision)


@pytest.mark.parametrize(
    ("phrase", "start", "end", "precision"),
    [
        pytest.param("December 14, 2017", "2017-12-14", None, "day", id="month-day-year"),
        pytest.param("14 December 2017", "2017-12-14", None, "day", id="day-month-year"),
        pytest.param("the 14th of December 2017", "2017-12-14", None, "day", id="ordinal-of"),
        pytest.param("2017-12-14", "2017-12-14", None, "day", id="iso"),
        pytest.param("29-30 January 2018", "2018-01-29", "2018-01-30", "day", id="range-year"),
        pytest.param("January 29 and 30, 2018", "2018-01-29", "2018-01-30", "day", id="pair-year"),
        pytest.param("in May 2017", "2017-05", None, "month", id="month-year"),
        pytest.param("from May to July 2016", "2016-05", "2016-07", "month", id="month-range"),
        pytest.param("in 2016", "2016", None, "year", id="year"),
        pytest.param("in early 2016", "2016", None, "year", id="qualified-year"),
        pytest.param("from 2016 to 2018", "2016", "2018", "year", id="year-range"),
    ],
)
def test_resolve_absolute_dates_without_publication_date(phrase, start, end, precision):
    assert resolve(phrase, None) == DateValue(start, end, phrase, True, precision)


@pytest.mark.parametrize(
    "phrase",
    [
        pytest.param("on Monday", id="weekday"),
        pytest.param("next month", id="next-month"),
        pytest.param("last week", id="last-week"),
        pytest.param("yesterday", id="yesterday"),
        pytest.param("in May", id="month-without-year"),
        pytest.param("on January 29 and 30", id="days-without-year"),
        pytest.param("from Wednesday to Friday", id="weekday-range"),
    ],
)
def test_resolve_relative_phrase_without_publication_date_is_unresolved(phrase):
    assert resolve(phrase, None, tense="past") == DateValue(None, None, phrase, False, "unknown")


@pytest.mark.parametrize(
    "phrase",
    [
        pytest.param("the same day", id="same-day"),
        pytest.param("that day", id="that-day"),
        pytest.param("the following week", id="following-week"),
        pytest.param("Russia may attend", id="modal-may"),
        pytest.param("the eighth round", id="ordinal-round"),
        pytest.param("February 30", id="impossible-date"),
    ],
)
def test_resolve_context_anchored_or_non_dates_give_none(phrase):
    assert resolve(phrase, TUE) is None


def test_resolve_falls_back_to_dateparser_for_numeric_dates():
    assert resolve("14/12/2017", None) == DateValue("2017-12-14", None, "14/12/2017", True, "day")


def test_resolve_rejects_unknown_tense():
    with pytest.raises(ValueError, match="tense"):
        resolve("on Monday", TUE, tense="present")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sentence", "phrases"),
    [
        pytest.param(
            "The talks, held on January 29 and 30 in Sochi, followed a meeting last week "
            "and another on Monday.",
            ["on January 29 and 30", "last week", "on Monday"],
            id="three-expressions",
        ),
        pytest.param(
            "The ministers met from Wednesday to Friday and will meet again next month.",
            ["from Wednesday to Friday", "next month"],
            id="weekday-range-and-relative-month",
        ),
        pytest.param(
            "Guarantors met in Astana on December 21-22, 2017, after a round in May.",
            ["on December 21-22, 2017", "in May"],
            id="range-with-year-and-month",
        ),
        pytest.param(
            "Russia Today reported today that talks held since 2016 had stalled.",
            ["today", "since 2016"],
            id="russia-today-is-not-a-date",
        ),
        pytest.param(
            "They march on the capital; in March they met again on March 8.",
            ["in March", "on March 8"],
            id="march-verb-vs-month",
        ),
    ],
)
def test_find_dates_offsets_round_trip(sentence, phrases):
    found = find_dates(sentence, TUE, tense="past")
    assert [sentence[s:e] for s, e, _ in found] == phrases
    assert [v.text for _, _, v in found] == phrases
    assert all(v.resolved for _, _, v in found)


def test_find_dates_values_match_resolve():
    sentence = "The talks, held on January 29 and 30 in Sochi, followed a meeting last week."
    for _, _, value in find_dates(sentence, TUE):
        assert resolve(value.text, TUE) == value


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("Russia may attend the next round in Astana.", id="modal-may"),
        pytest.param("May the talks succeed.", id="sentence-initial-may"),
        pytest.param("Some 1,400 delegates attended the congress.", id="thousands"),
        pytest.param("Delegates gathered for the eighth round of talks.", id="ordinal"),
        pytest.param("The council recalled resolution 2254 on Syria.", id="resolution-number"),
        pytest.param("Protesters march on the embassy every week-end.", id="march-verb"),
        pytest.param("A total of 2000 troops were deployed.", id="year-like-count"),
    ],
)
def test_find_dates_ignores_non_dates(sentence):
    assert find_dates(sentence, TUE) == []


def test_find_dates_without_publication_date_marks_relative_unresolved():
    sentence = "Talks held on Monday followed the December 14, 2017 meeting."
    found = find_dates(sentence, None, tense="past")
    assert [(sentence[s:e], v.start, v.resolved) for s, e, v in found] == [
        ("on Monday", None, False),
        ("December 14, 2017", "2017-12-14", True),
    ]


def test_find_dates_is_fast_on_sentences_without_date_words():
    sentence = (
        "The delegations of Russia, Turkey and Iran said they would keep working together to "
        "consolidate the ceasefire and that observers may attend further consultations in Astana."
    )
    n = 2000
    begin = time.perf_counter()
    for _ in range(n):
        find_dates(sentence, TUE)
    assert (time.perf_counter() - begin) / n < 2e-4


_WORDS = [
    "on", "in", "from", "to", "and", "between", "the", "Monday", "Friday", "May", "may",
    "March", "December", "Jan.", "Sept.", "14", "29", "30", "3", "2017", "2254", "1,400",
    "-", "–", ",", "last", "next", "this", "week", "month", "year", "mid-", "early", "ago",
    "two", "days", "yesterday", "Today", "talks", "Russia", "of", "end", "same", "day",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(_WORDS), max_size=14),
    published=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    tense=st.sampled_from(["past", "future", None]),
)
def test_find_dates_spans_and_values_are_consistent(words, published, tense):
    sentence = " ".join(words)
    found = find_dates(sentence, published, tense=tense)
    previous_end = 0
    for start, end, value in found:
        assert previous_end <= start < end <= len(sentence)
        previous_end = end
        assert sentence[start:end] == value.text
        assert value.resolved == (value.start is not None)
        if value.start is None:
            assert value.end is None and value.precision == "unknown"
            assert published is None
        else:
            length = {"day": 10, "month": 7, "year": 4}[value.precision]
            assert len(value.start) == length
            if value.end is not None:
                assert len(value.end) == length and value.end > value.start


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5),
    published=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    tense=st.sampled_from(["past", "future", None]),
)
def test_resolve_returns_none_or_consistent_value(words, published, tense):
    phrase = " ".join(words)
    value = resolve(phrase, published, tense=tense)
    if value is not None:
        assert value.text == phrase
        assert value.resolved == (value.start is not None)
        if value.start is not None:
            assert len(value.start) == {"day": 10, "month": 7, "year": 4}[value.precision]
