"""Date expressions in news text, resolved against the article's publication date."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["DateValue", "Precision", "Tense", "find_dates", "resolve"]

Tense = Literal["past", "future", None]
Precision = Literal["day", "month", "year", "unknown"]

_PRECISION_BY_LENGTH: dict[int, Precision] = {10: "day", 7: "month", 4: "year"}


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date or date range read from a phrase.

    Attributes:
        start: ISO date ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (the length shows the
            precision); ``None`` when the phrase could not be anchored.
        end: last day/month/year of a range, same precision as ``start``; ``None`` for a
            single date.
        text: the phrase the value was read from.
        resolved: ``False`` when the phrase is relative (or lacks a year) and no
            publication date anchors it.
        precision: ``"day"``, ``"month"``, ``"year"``, or ``"unknown"`` when unresolved.

    >>> DateValue.unresolved("on Monday")
    DateValue(start=None, end=None, text='on Monday', resolved=False, precision='unknown')
    """

    start: str | None
    end: str | None
    text: str
    resolved: bool
    precision: Precision

    @classmethod
    def unresolved(cls, text: str) -> DateValue:
        """A phrase that names a date only relative to an unknown anchor."""
        return cls(start=None, end=None, text=text, resolved=False, precision="unknown")

    @classmethod
    def of(cls, start: str, end: str | None, text: str) -> DateValue:
        """A resolved value; the precision follows from the length of ``start``."""
        if end == start:
            end = None
        return cls(start, end, text, True, _PRECISION_BY_LENGTH[len(start)])


# --------------------------------------------------------------------------- lexicon

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
_MONTHS: dict[str, int] = {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS.update({name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)} | {"sept": 9})
_WEEKDAY_NAMES = "monday tuesday wednesday thursday friday saturday sunday".split()
_WEEKDAYS: dict[str, int] = {name: i for i, name in enumerate(_WEEKDAY_NAMES)}
_NUMBERS: dict[str, int] = {
    word: i
    for i, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
} | {"a": 1, "an": 1}

# Month and weekday names are matched case-sensitively (capitalised): "may" the modal
# verb and "march" the verb never match; sentence-initial "May"/"March" need context.
_MFULL = "(?:" + "|".join(n.capitalize() for n in _MONTH_NAMES) + r")\b"
_MABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
_MON = f"(?:{_MFULL}|{_MABBR})"
_WD = "(?:" + "|".join(n.capitalize() for n in _WEEKDAY_NAMES) + r")\b"
_DAY = r"(?<![\d,.])(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?![,.:]\d)"
_YEAR = r"(?<![\d,.])(?:19|20)\d\d\b(?![,.:]\d)"
_NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_DASH = r"\s*[-–—]\s*"
_SEP = rf"(?:{_DASH}|\s+(?:to|through|thru|until|till|and)\s+)"
_SEP_NO_AND = rf"(?:{_DASH}|\s+(?:to|through|thru|until|till)\s+)"
_MQUAL = r"(?i:early|late|mid-?|(?:the\s+)?(?:end|beginning|start|middle)\s+of|last|next|this)"
_YQUAL = (
    r"(?i:early|late|mid-?|(?:the\s+)?(?:end|beginning|start|middle|spring|summer|"
    r"autumn|fall|winter|first\s+half|second\s+half)\s+of)"
)
_YTAIL = rf"(?:,?\s+(?P<y>{_YEAR}))?"

# A preposition right before a match is part of the phrase ("on Monday", "in May").
_PREFIX = re.compile(
    r"(?i)(?<![\w-])(on|in|since|from|between|during|until|till|by|before|after|throughout)"
    r"\s+$"
)
# Phrases whose anchor is another event in the text, not the publication date.
_CONTEXTUAL = re.compile(
    r"(?i)^(?:(?:on|in|by|during)\s+)?(?:"
    r"(?:the\s+)?(?:same|that)\s+(?:day|week|month|year|morning|afternoon|evening|night)"
    r"|the\s+(?:next|following|previous|preceding)\s+(?:day|morning|evening|night)"
    r"|the\s+(?:following|previous|preceding)\s+(?:week|month|year)"
    r"|the\s+day\s+(?:before|after))$"
)
# Cheap substring tests decide which patterns can match at all (most sentences: none).
_MONTH_STEMS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_REL_DAY_WORDS = (
    "yesterday",
    "today",
    "tonight",
    "tomorrow",
    "night",
    "morning",
    "afternoon",
    "evening",
)
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")


# --------------------------------------------------------------------------- date helpers


def _valid(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    q, r = divmod(m - 1 + k, 12)
    return y + q, r + 1


def _iso_month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _on_or_before(d: dt.date, wd: int) -> dt.date:
    return d - dt.timedelta(days=(d.weekday() - wd) % 7)


def _on_or_after(d: dt.date, wd: int) -> dt.date:
    return d + dt.timedelta(days=(wd - d.weekday()) % 7)


def _pick_day(
    m: int, d: int, published: dt.date, tense: Tense, weekday: int | None = None
) -> dt.date | None:
    """The year-less date ``m``/``d`` nearest ``published`` in the direction of ``tense``.

    Past: the latest occurrence on or before publication; future: the first on or after;
    no tense: the occurrence closest to publication (earlier one on a tie). A weekday
    given with the date ("Monday, December 25") picks among years where it agrees.
    """
    cands = [c for y in range(published.year - 1, published.year + 2) if (c := _valid(y, m, d))]
    if weekday is not None and any(c.weekday() == weekday for c in cands):
        cands = [c for c in cands if c.weekday() == weekday]
    if tense == "past":
        before = [c for c in cands if c <= published]
        return max(before) if before else None
    if tense == "future":
        after = [c for c in cands if c >= published]
        return min(after) if after else None
    return min(cands, key=lambda c: (abs((c - published).days), c), default=None)


def _pick_month_year(m: int, published: dt.date, tense: Tense) -> int:
    """Year of a year-less month: past/no tense → the latest such month up to publication,
    future → the first such month from publication on."""
    if tense == "future":
        return published.year if m >= published.month else published.year + 1
    return published.year if m <= published.month else published.year - 1


# --------------------------------------------------------------------------- handlers
# Each handler gets the match, the preposition before it (lower-case, or ""), the
# publication date and the tense; it returns (start, end) ISO strings, ``_UNANCHORED``
# when the phrase needs a publication date that is missing, or ``None`` to reject the
# match (not a date after all, or an impossible one).

_UNANCHORED = ("", "")
_Result = tuple[str, str | None] | None
_Handler = Callable[[re.Match[str], str, "dt.date | None", Tense], _Result]


def _g(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _month(s: str) -> int:
    key = s.lower().rstrip(".")
    return _MONTHS[key] if key in _MONTHS else _MONTHS[key[:3]]


def _day(s: str) -> int:
    return int(re.match(r"\d+", s).group())  # type: ignore[union-attr]


def _days_range(
    y1: int | None,
    m1: int,
    d1: int,
    y2: int | None,
    m2: int,
    d2: int,
    published: dt.date | None,
    tense: Tense,
    weekday: int | None = None,
) -> _Result:
    """A day or day range; missing years come from the publication date."""
    if y1 is None and y2 is not None:
        y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
    if y1 is None:
        if published is None:
            return _UNANCHORED if _valid(2000, m1, d1) and _valid(2000, m2, d2) else None
        start = _pick_day(m1, d1, published, tense, weekday)
    else:
        start = _valid(y1, m1, d1)
    if start is None:
        return None
    if y2 is None:
        y2 = start.year if (m2, d2) >= (m1, d1) else start.year + 1
    end = _valid(y2, m2, d2)
    if end is None or end < start:
        return None
    return start.isoformat(), end.isoformat()


def _and_is_range(m: re.Match[str], prefix: str, d1: int, d2: int) -> bool:
    """ "29 and 30" is one span of days; "5 and 20" is two dates (not read as a range)."""
    sep = _g(m, "sep") or ""
    return "and" not in sep.lower() or prefix == "between" or 0 < d2 - d1 <= 3


def _h_iso(m: re.Match[str], prefix: str, published: dt.date | None, tense: Tense) -> _Result:
    d = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
    return (d.isoformat(), None) if d else None


def _h_day(m: re.Match[str], prefix: str, published: dt.date | None, tense: Tense) -> _Result:
    mon = _month(_g(m, "m1") or m["m2"])
    day = _day(_g(m, "d1") or m["d2"])
    y = int(m["y"]) if _g(m, "y") else None
    wd = _WEEKDAYS[m["wd"].lower()] if _g(m, "wd") else None
    res = _days_range(y, mon, day, y, mon, day, published, tense, wd)
    return (res[0], None) if res and res is not _UNANCHORED else res


def _h_day_range(m: re.Match[str], prefix: str, published: dt.date | None, tense: Tense) -> _Result:
    m1 = _month(m["m1"])
    m2 = _month(m["m2"]) if _g(m, "m2") else m1
    d1, d2 = _day(m["d1"]), _day(m["d2"])
    if m1 == m2 and not _and_is_range(m, prefix, d1, d2):
        return None
    y2 = int(m["y"]) if _g(m, "y") else None
    y1 = int(m["y1"]) if _g(m, "y1") else None
    return _days_range(y1, m1, d1, y2, m2, d2, published, tense)


def _h_weekday(m: re.Match[str], prefix: str, published: dt.date | None, tense: Tense) -> _Result:
    if published is None:
        return _UNANCHORED
    wd = _WEEKDAYS[m["w1"].lower()]
    mod = " ".join((_g(m, "mod") or "").lower().split())
    if mod in ("last", "past", "this past"):
        d = _on_or_before(published - dt.timedelta(days=1), wd)
    elif mod in ("next", "coming", "this coming"):
        d = _on_or_after(published + dt.timedelta(days=1), wd)
    elif not mod and tense == "future":
        # 'will travel on Monday' in Monday's paper is today, as 'met on Monday' would be
        d = _on_or_after(published, wd)
    elif mod == "this":
        d = published - dt.timedelta(days=published.weekday()) + dt.timedelta(days=wd)
    else:
        d = _on_or_before(published, wd)
    return d.isoformat(), None


def _h_weekday_range(
    m: re.Match[str], prefix: str, published: dt.date | None, tense: Tense
) -> _Result:
    w1, w2 = _WEEKDAYS[m["w1"].lower()], _WEEKDAYS[m["w2"].lower()]
    if w1 == w2 or ("and" in m["sep"].lower() and prefix != "between" and (w2 - w1) % 7 > 2):
        return None
    if published is None:
        return _UNANCHORED
    mod = (_g(m, "mod") or "").lower()
    if mod == "this":  # the days of the publication week
        start = published + dt.timedelta(days=w1 - published.weekday())
        end = _on_or_after(start, w2)
    elif mod in ("next", "coming") or (mod != "last" and mod != "past" and tense == "future"):
        start = _on_or_after(published + dt.timedelta(days=1), w1)
        end = _on_or_after(start, w2)
    else:  # "last Thursday and Friday" ends before publication day, plain past on it
        strictly_before = 1 if mod in ("last", "past") else 0
        end = _on_or_before(published - dt.timedelta(days=strictly_before), w2)
        start = _on_or_before(end, w1)
    return start.isoformat(), end.isoformat()


def _month_context_ok(m: re.Match[str], prefix: str) -> bool:
    """Bare "May"/"March" need a preposition, qualifier or year to count as months."""
    if m["m1"] not in ("May", "March"):
        return True
    return bool(prefix or _g(m, "q") or _g(m, "y") or _g(m, "ry"))


def _h_month(m: re.Match[str], prefix: str, published: dt.date | None, tense: Tense) -> _Result:
    if not _month_context_ok(m, prefix):
        return None
    mon = _month(m["m1"])
    mon2 = _month(m["m2"]) if _g(m, "m2") else None
    if mon2 == mon:
        return None
    q = " ".join((_g(m, "q") or "").lower().split())
    if _g(m, "y"):
        y2 = int(m["y"])
        y = y2 if mon2 is None or mon <= mon2 else y2 - 1
    elif published is None:
        return _UNANCHORED
    elif _g(m, "ry") or q in ("last", "next", "this"):
        rel = (_g(m, "ry") or q).lower()
        if _g(m, "ry"):
            y = published.year + {"last": -1, "this": 0, "next": 1}[rel]
        elif rel == "this":
            y = published.year
        elif rel == "last":  # "last May": the latest May strictly before this month
            y = published.year if mon < published.month else published.year - 1
        else:  # "next May": the first May strictly after this month
            y = published.year if mon > published.month else published.year + 1
    else:
        y = _pick_month_year(mon, published, tense)
    start = _iso_month(y, mon)
    if mon2 is None:
        return start, None
    y2 = y if mon2 > mon else y + 1
    return start, _iso_month(y2, mon2)


def _h_year(m: re.Match[str], prefix: str, published: dt.date | None, tense: Tense) -> _Result:
    if not (prefix or _g(m, "q")):
        return None
    y1 = m["y1"]
    y2 = _g(m, "y2")
    if y2 is not None and int(y2) <= int(y1):
        return None
    return y1, y2


def _h_rel_day(m: re.Match[str], prefix: str, published: dt.date | None, tense: Tense) -> _Result:
    word = " ".join(m[0].lower().split())
    if m[0].startswith("Today") and m.start() > 0:
        before = m.string[: m.start()].rstrip()
        if before and before.split()[-1][:1].isupper():  # "Russia Today", "USA Today"
            return None
    if published is None:
        return _UNANCHORED
    offset = {
        "yesterday": -1,
        "last night": -1,
        "tomorrow": 1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
    }.get(word, 0)
    return (published + dt.timedelta(days=offset)).isoformat(), None


def _h_rel_unit(m: re.Match[str], prefix: str, published: dt.date | None, tense: Tense) -> _Result:
    if published is None:
        return _UNANCHORED
    mod = " ".join(m["mod"].lower().split())
    step = {"last": -1, "past": -1, "this past": -1, "next": 1, "coming": 1}.get(mod, 0)
    unit = m["unit"].lower()
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
        return _iso_month(monday.year, monday.month), None
    if unit == "month":
        return _iso_month(*_add_months(published.year, published.month, step)), None
    return f"{published.year + step:04d}", None


def _count(s: str) -> int:
    s = s.lower()
    return int(s) if s.isdigit() else _NUMBERS[s]


def _shift(published: dt.date, n: int, unit: str) -> str:
    if unit == "day":
        return (published + dt.timedelta(days=n)).isoformat()
    if unit == "week":
        return (published + dt.timedelta(weeks=n)).isoformat()
    if unit == "month":
        return _iso_month(*_add_months(published.year, published.month, n))
    return f"{published.year + n:04d}"


def _h_ago(m: re.Match[str], prefix: str, published: dt.date | None, tense: Tense) -> _Result:
    if published is None:
        return _UNANCHORED
    return _shift(published, -_count(m["n"]), m["unit"].lower()), None


def _h_in_n(m: re.Match[str], prefix: str, published: dt.date | None, tense: Tense) -> _Result:
    if published is None:
        return _UNANCHORED
    return _shift(published, _count(m["n"]), m["unit"].lower()), None


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_PATTERNS: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (
        _c(r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
        _h_iso,
    ),
    # "Monday, December 25", "Monday 25 December 2017"
    (
        _c(
            rf"(?P<wd>{_WD}),?\s+(?:(?P<m1>{_MON})\s+(?:the\s+)?(?P<d1>{_DAY})"
            rf"|(?:the\s+)?(?P<d2>{_DAY})(?:\s+of)?\s+(?P<m2>{_MON})){_YTAIL}"
        ),
        _h_day,
    ),
    # "December 30, 2017 to January 2, 2018", "December 30 - January 2"
    (
        _c(
            rf"(?P<m1>{_MON})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?{_SEP_NO_AND}"
            rf"(?P<m2>{_MON})\s+(?P<d2>{_DAY}){_YTAIL}"
        ),
        _h_day_range,
    ),
    # "30 December to 2 January 2018"
    (
        _c(
            rf"(?P<d1>{_DAY})(?:\s+of)?\s+(?P<m1>{_MON})(?:\s+(?P<y1>{_YEAR}))?{_SEP_NO_AND}"
            rf"(?P<d2>{_DAY})(?:\s+of)?\s+(?P<m2>{_MON}){_YTAIL}"
        ),
        _h_day_range,
    ),
    # "January 29 and 30", "December 21-22, 2017", "December 21 to 22"
    (_c(rf"(?P<m1>{_MON})\s+(?P<d1>{_DAY})(?P<sep>{_SEP})(?P<d2>{_DAY}){_YTAIL}"), _h_day_range),
    # "29-30 January", "3 and 5 May", "the 8th to the 10th of May"
    (
        _c(
            rf"(?:the\s+)?(?P<d1>{_DAY})(?P<sep>{_SEP})(?:the\s+)?(?P<d2>{_DAY})(?:\s+of)?"
            rf"\s+(?P<m1>{_MON}){_YTAIL}"
        ),
        _h_day_range,
    ),
    # "December 14, 2017", "Dec. 14"
    (_c(rf"(?P<m1>{_MON})\s+(?:the\s+)?(?P<d1>{_DAY}){_YTAIL}"), _h_day),
    # "14 December 2017", "the 14th of December"
    (_c(rf"(?:the\s+)?(?P<d1>{_DAY})(?:\s+of)?\s+(?P<m1>{_MON}){_YTAIL}"), _h_day),
    # "Wednesday to Friday", "Monday and Tuesday"
    (
        _c(
            rf"(?:(?P<mod>(?i:last|next|this|coming|past))\s+)?"
            rf"(?P<w1>{_WD})(?P<sep>{_SEP})(?P<w2>{_WD})"
        ),
        _h_weekday_range,
    ),
    # "Monday", "last Friday", "next Friday", "this past Sunday"
    (
        _c(
            rf"(?:(?P<mod>(?i:this\s+past|this\s+coming|last|next|this|coming|past))\s+)?"
            rf"(?P<w1>{_WD})"
        ),
        _h_weekday,
    ),
    # "May to July 2017", "mid-February", "May last year", "December 2017", "Dec. 2017"
    (
        _c(rf"(?:\b(?P<q>{_MQUAL})\s*)?(?P<m1>{_MFULL})(?P<sep>{_SEP})(?P<m2>{_MFULL}){_YTAIL}"),
        _h_month,
    ),
    (
        _c(
            rf"(?:\b(?P<q>{_MQUAL})\s*)?(?P<m1>{_MFULL}|{_MABBR}(?=\s+{_YEAR}))"
            r"(?!\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\b)"
            rf"(?:,?\s+(?:of\s+)?(?P<y>{_YEAR})|\s+(?:of\s+)?(?P<ry>(?i:last|next|this))\s+"
            rf"(?i:year)\b)?"
        ),
        _h_month,
    ),
    # "from 2016 to 2018", "2016-2018", "in 2016", "mid-2016", "the end of 2016"
    (
        _c(
            rf"(?:\b(?P<q>{_YQUAL})\s*)?(?P<y1>{_YEAR})(?:(?P<sep>{_SEP})(?P<y2>{_YEAR}))?"
            r"(?!\s*[-–]\s*\d)"
        ),
        _h_year,
    ),
    (
        _c(
            r"(?i:\b(?:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|"
            r"today|tonight|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening))\b)"
        ),
        _h_rel_day,
    ),
    # "last week", "earlier this month", "later this year", "early next month"
    (
        _c(
            r"(?i:\b(?:(?:earlier|later|early|late)\s+"
            r"|(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+)?"
            r"(?P<mod>this\s+past|this\s+coming|last|next|this|past|coming|(?<=of )the)\s+"
            r"(?P<unit>week|month|year)\b)"
        ),
        _h_rel_unit,
    ),
    (_c(rf"(?i:\b(?P<n>{_NUM})\s+(?P<unit>day|week|month|year)s?\s+ago\b)"), _h_ago),
    (
        _c(rf"(?i:\bin\s+(?P<n>{_NUM})\s+(?P<unit>day|week|month|year)s?(?:['’]s?\s+time)?\b)"),
        _h_in_n,
    ),
)


# Which cue (see ``_cues``) each handler's patterns need.
_GUARDS: dict[_Handler, frozenset[str]] = {
    _h_iso: frozenset({"year"}),
    _h_day: frozenset({"month"}),
    _h_day_range: frozenset({"month"}),
    _h_weekday_range: frozenset({"day"}),
    _h_weekday: frozenset({"day"}),
    _h_month: frozenset({"month"}),
    _h_year: frozenset({"year"}),
    _h_rel_day: frozenset({"rel"}),
    _h_rel_unit: frozenset({"unit"}),
    _h_ago: frozenset({"ago"}),
    _h_in_n: frozenset({"unit", "day"}),
}

# --------------------------------------------------------------------------- scanning


def _cues(sentence: str) -> frozenset[str]:
    """Kinds of date words present in ``sentence``: a superset of what the grammar finds."""
    low = sentence.lower()
    cues = set()
    if any(stem in sentence for stem in _MONTH_STEMS):
        cues.add("month")
    if "day" in low:
        cues.add("day")
    if _YEAR_DIGITS.search(sentence):
        cues.add("year")
    if any(word in low for word in _REL_DAY_WORDS):
        cues.add("rel")
    if "week" in low or "month" in low or "year" in low:
        cues.add("unit")
    if "ago" in low:
        cues.add("ago")
    return frozenset(cues)


def _check_tense(tense: object) -> None:
    if tense not in ("past", "future", None):
        raise ValueError(f"tense must be 'past', 'future' or None, not {tense!r}")


def _scan(
    sentence: str, published: dt.date | None, tense: Tense
) -> list[tuple[int, int, DateValue]]:
    cands: list[tuple[int, int, DateValue]] = []
    cues = _cues(sentence)
    for pattern, handler in _PATTERNS:
        if not cues & _GUARDS[handler]:
            continue
        for m in pattern.finditer(sentence):
            start, end = m.start(), m.end()
            pre = _PREFIX.search(sentence, max(0, start - 12), start)
            prefix = pre[1].lower() if pre else ""
            res = handler(m, prefix, published, tense)
            if res is None:
                continue
            if pre:
                start = pre.start()
            text = sentence[start:end]
            value = (
                DateValue.unresolved(text)
                if res is _UNANCHORED
                else DateValue.of(res[0], res[1], text)
            )
            cands.append((start, end, value))
    # Longest match wins; ties go to the earlier one.
    cands.sort(key=lambda c: (c[0] - c[1], c[0]))
    chosen: list[tuple[int, int, DateValue]] = []
    for c in cands:
        if all(c[1] <= s or c[0] >= e for s, e, _ in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen


def find_dates(
    sentence: str, published: dt.date | None, *, tense: Tense = None
) -> list[tuple[int, int, DateValue]]:
    """Every date expression in ``sentence``, in order.

    Args:
        sentence: the text to search.
        published: the article's publication date, the anchor of relative phrases.
        tense: ``"past"`` or ``"future"`` when the clause's tense is known; it decides
            which Monday "on Monday" names and which year a year-less date falls in.

    Returns:
        ``(start, end, value)`` for each expression, where ``sentence[start:end]`` is the
        phrase (a preposition before it, such as "on" or "in", included). Phrases that
        need another event as anchor ("the same day") are not reported.

    >>> [(s, e, v.start) for s, e, v in find_dates("Talks opened on Monday.",
    ...                                             dt.date(2017, 12, 26), tense="past")]
    [(13, 22, '2017-12-25')]
    """
    _check_tense(tense)
    return list(_find_dates(sentence, published, tense))


@functools.lru_cache(maxsize=1024)
def _find_dates(
    sentence: str, published: dt.date | None, tense: Tense
) -> tuple[tuple[int, int, DateValue], ...]:
    """:func:`find_dates`, memoised: the rules ask about the same sentence many times
    (once per meeting mention and per stance in it). Immutable values only."""
    if not _cues(sentence):
        return ()
    return tuple(_scan(sentence, published, tense))


@functools.lru_cache(maxsize=64)
def _date_data_parser(base: dt.date, tense: Tense):  # noqa: ANN202 - dateparser type
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": tense or "current_period",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    }
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser_value(phrase: str, base: dt.date, tense: Tense) -> str | None:
    data = _date_data_parser(base, tense).get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    if data.period == "year":
        return f"{d.year:04d}"
    if data.period == "month":
        return _iso_month(d.year, d.month)
    return d.isoformat()


# Two far-apart anchors: a phrase that parses the same against both is absolute.
_PROBE_ANCHORS = (dt.date(2001, 3, 14), dt.date(2013, 9, 2))
_LEADING_PREP = re.compile(r"(?i)^(?:on|in|since|from|during|by)\s+")


def resolve(text: str, published: dt.date | None, *, tense: Tense = None) -> DateValue | None:
    """Read one date phrase.

    The phrase is read with the grammar of :func:`find_dates` (the longest expression
    in it wins); anything else goes to ``dateparser``.

    Args:
        text: a date phrase such as "on Monday", "December 21-22" or "next month".
        published: the article's publication date, or ``None`` when unknown.
        tense: ``"past"``, ``"future"`` or ``None`` (see :func:`find_dates`).

    Returns:
        The value, with ``resolved=False`` and no dates when the phrase is relative and
        ``published`` is ``None``; ``None`` when the phrase is no date, or is anchored on
        another event ("the same day", "that day").

    >>> resolve("on December 21-22", dt.date(2017, 12, 26))
    DateValue(start='2017-12-21', end='2017-12-22', text='on December 21-22', resolved=True, precision='day')
    >>> resolve("in 2016", None).start
    '2016'
    """  # noqa: E501
    _check_tense(tense)
    phrase = " ".join(text.split())
    if not phrase or _CONTEXTUAL.search(phrase):
        return None
    found = _scan(phrase, published, tense)
    if found:
        value = max(found, key=lambda c: c[1] - c[0])[2]
        return DateValue(value.start, value.end, phrase, value.resolved, value.precision)
    bare = _LEADING_PREP.sub("", phrase)
    if published is not None:
        start = _dateparser_value(bare, published, tense)
        return DateValue.of(start, None, phrase) if start else None
    probes = {_dateparser_value(bare, anchor, tense) for anchor in _PROBE_ANCHORS}
    if probes == {None}:
        return None
    if len(probes) == 1:
        return DateValue.of(probes.pop(), None, phrase)  # type: ignore[arg-type]
    return DateValue.unresolved(phrase)
