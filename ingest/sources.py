"""Article sources: read text, Markdown, HTML, JSONL and RSS/Atom files into :class:`Article`."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from diplograph.errors import SourceError
from diplograph.ingest.records import Article, ArticleError
from diplograph.settings import settings

__all__ = [
    "SUFFIXES",
    "article_from_text",
    "content_hash",
    "detect_language",
    "iter_articles",
    "language_error",
    "read_path",
]

SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
"""File extension (lower case, with the dot) -> format name."""

_BINARY_PROBE = 1024
_ID_LENGTH = 16
_FRONT_MATTER_KEYS = ("id", "title", "published", "source", "url")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table td th tr ul".split()
)

_WHITESPACE = re.compile(r"\s+")

_LANGUAGE_SAMPLE = 2000
"""Characters of an article's start that language detection looks at."""
_LANGUAGE_MIN_LETTERS = 200
"""Below this many letters in the sample, the language is not judged (detection is noise)."""
_LANGUAGE_CONFIDENCE = 0.9
"""Probability the detected language must reach before an article is skipped for it."""
_WESTERN_MAX_NON_ASCII = 0.05
"""Share of non-ASCII bytes up to which undecodable UTF-8 is read as Windows-1252."""
_MIN_HTML_WORDS = 8
"""Fewer words than this in an HTML page's main text means there is no article."""
_LIMIT_HINT = "set DIPLOGRAPH_MAX_ARTICLE_BYTES to raise it"

Item = Article | ArticleError


# --------------------------------------------------------------------------- text helpers


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clean_text(text: str) -> str:
    """Article text: BOM dropped, NFC, ``\\n`` newlines, outer whitespace trimmed."""
    text = unicodedata.normalize("NFC", _normalise_newlines(text.lstrip("\ufeff")))
    return text.strip()


def content_hash(text: str) -> str:
    """Return the SHA-256 hex digest of ``text`` after normalisation.

    Normalisation drops a BOM, applies Unicode NFC, turns every newline into ``\\n``,
    removes trailing whitespace on each line and leading/trailing blank space, so the
    same article read from differently saved files hashes the same.

    Args:
        text: article text.

    Returns:
        64 lower-case hex characters.

    >>> content_hash("Talks resumed.\\r\\n") == content_hash("Talks resumed.")
    True
    """
    lines = _clean_text(text).split("\n")
    normalised = "\n".join(line.rstrip() for line in lines)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _short_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:_ID_LENGTH]


def _decode(data: bytes) -> str:
    """Decode bytes: UTF-8 (BOM stripped) or UTF-16 with a BOM, else detect the charset.

    Raises:
        UnicodeError: when no encoding fits.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    western = _mostly_ascii_cp1252(data)
    if western is not None:
        return western
    import charset_normalizer

    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is not None and best.coherence > 0:
        # Several single-byte code pages decode the text identically; prefer the Western one.
        if "cp1252" in best.could_be_from_charset:
            return data.decode("cp1252")
        return str(best)
    # No language evidence (typically a short text): Western news is the usual case.
    for encoding in ("cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeError("could not detect the text encoding")  # pragma: no cover (latin-1)


def _mostly_ascii_cp1252(data: bytes) -> str | None:
    """Decode as Windows-1252 a text that is nearly all ASCII, else ``None``.

    An English article saved in Latin-1 or Windows-1252 has a few accented letters
    and typographic quotes among ASCII; detectors given so little evidence often pick
    a Central European code page ("Genčve" for "Genève"). Western is the likely one.
    """
    non_ascii = sum(byte >= 0x80 for byte in data)
    if not data or non_ascii > len(data) * _WESTERN_MAX_NON_ASCII:
        return None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d are unassigned
        return None


def _is_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs
        return False
    return b"\0" in head[:_BINARY_PROBE]


# --------------------------------------------------------------------------- dates


def _parse_date(value: Any) -> dt.date:
    """Normalise a date given as a date, a datetime or a string.

    Strings may be ISO 8601 dates or datetimes, or RFC 2822 dates (feeds, e-mail).

    Raises:
        ValueError: naming the bad value.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
        try:
            return email.utils.parsedate_to_datetime(text).date()
        except (TypeError, ValueError, IndexError):
            pass
    raise ValueError(f"invalid published date {value!r} (expected YYYY-MM-DD)")


# --------------------------------------------------------------------------- public builder


def article_from_text(
    text: str,
    *,
    id: str | None = None,  # noqa: A002 (mirrors Article.id)
    title: str | None = None,
    published: dt.date | dt.datetime | str | None = None,
    url: str | None = None,
    source: str | None = None,
    origin: str | None = None,
) -> Article:
    """Build an :class:`Article` from text, normalising text, id and date.

    Args:
        text: body text; newlines become ``\\n``, a BOM and outer whitespace are removed.
        id: article id; defaults to the first 16 hex digits of :func:`content_hash`.
        title: headline.
        published: a date, datetime or ISO/RFC 2822 string.
        url: the article's URL.
        source: the publisher's name.
        origin: where the text was read from.

    Returns:
        The article.

    Raises:
        SourceError: the text is empty, or ``published`` is not a date.

    >>> article_from_text("Russia and Turkey met in Sochi.", id="a1", published="2018-01-30")
    Article(id='a1', text='Russia and Turkey met in Sochi.', title=None, published=datetime.date(2018, 1, 30), url=None, source=None, origin=None)
    """  # noqa: E501
    body = _clean_text(text)
    if not body:
        raise SourceError(f"empty article{f' in {origin}' if origin else ''}")
    date: dt.date | None = None
    if published is not None and published != "":
        try:
            date = _parse_date(published)
        except ValueError as exc:
            raise SourceError(str(exc)) from None
    ident = str(id).strip() if id is not None else ""
    return Article(
        id=ident or content_hash(body)[:_ID_LENGTH],
        text=body,
        title=_optional_str(title),
        published=date,
        url=_optional_str(url),
        source=_optional_str(source),
        origin=origin,
    )


def _optional_str(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


# --------------------------------------------------------------------------- file reading


def _open(path: Path) -> tuple[BinaryIO, int]:
    """Open a regular file for reading (never a FIFO or device, which could block).

    Returns:
        The open binary handle and the file size.

    Raises:
        SourceError: with the OS reason, or "not a regular file".
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SourceError("not a regular file")
        return path.open("rb"), info.st_size
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc)) from None


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a whole file, refusing big and binary files.

    Raises:
        SourceError: with the reason (size, binary content, OS error).
    """
    handle, size = _open(path)
    with handle:
        if size > max_bytes:
            raise SourceError(
                f"file is too large: {size:,} bytes, over the limit of {max_bytes:,} bytes "
                f"({_LIMIT_HINT})"
            )
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise SourceError(exc.strerror or str(exc)) from None
    if len(data) > max_bytes:
        raise SourceError(
            f"file is too large: over the limit of {max_bytes:,} bytes ({_LIMIT_HINT})"
        )
    if _is_binary(data):
        raise SourceError("binary file")
    return data


def _read_text(path: Path, max_bytes: int) -> str:
    data = _read_bytes(path, max_bytes)
    try:
        return _decode(data)
    except UnicodeError as exc:
        raise SourceError(str(exc)) from None


def _error(origin: str, exc: Exception, article: str | None = None) -> ArticleError:
    return ArticleError(origin=origin, reason=str(exc), article=article)


def _read_plain(
    path: Path, origin: str, published: dt.date | None, max_bytes: int
) -> Iterator[Item]:
    try:
        text = _read_text(path, max_bytes)
        yield article_from_text(text, id=path.stem, published=published, origin=origin)
    except SourceError as exc:
        yield _error(origin, exc, path.stem)


# libyaml's parser when PyYAML was built with it: reading an article took 0.8 ms with the
# pure-Python one, 0.3 ms with it (the parent of a --workers run reads every article)
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(_SafeLoader):
    """``SafeLoader`` that keeps an impossible timestamp (``2018-02-30``) as its string."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _FrontMatterLoader.construct_yaml_timestamp
)


def _split_front_matter(text: str) -> tuple[str | None, str]:
    """Split ``---`` YAML front matter from a Markdown body (``None`` when there is none)."""
    text = _normalise_newlines(text.lstrip("\ufeff"))
    if not text.startswith("---\n"):
        return None, text
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    return None, text


def _markdown_title(body: str) -> str | None:
    """The first ATX heading (``# Title``) of a Markdown body, if the body starts with one."""
    for line in body.split("\n"):
        if not line.strip():
            continue
        if line.startswith("# "):
            return line[2:].strip().rstrip("#").strip() or None
        return None
    return None


def _read_markdown(
    path: Path, origin: str, published: dt.date | None, max_bytes: int
) -> Iterator[Item]:
    try:
        text = _read_text(path, max_bytes)
        raw_meta, body = _split_front_matter(text)
        meta: dict[str, Any] = {}
        if raw_meta is not None:
            try:
                loaded = yaml.load(raw_meta, Loader=_FrontMatterLoader)  # noqa: S506 (safe)
            except yaml.YAMLError as exc:
                raise SourceError(f"invalid YAML front matter: {exc}") from None
            if loaded is not None and not isinstance(loaded, dict):
                raise SourceError(
                    f"front matter is a {type(loaded).__name__}, expected a mapping of "
                    f"{', '.join(_FRONT_MATTER_KEYS)}"
                )
            meta = loaded or {}
        date = meta.get("published")
        if date is None or date == "":
            date = published
        yield article_from_text(
            body,
            id=_optional_str(meta.get("id")) or path.stem,
            title=meta.get("title") or _markdown_title(body),
            published=date,
            url=meta.get("url"),
            source=meta.get("source"),
            origin=origin,
        )
    except SourceError as exc:
        yield _error(origin, exc, path.stem)


@lru_cache(maxsize=1)
def _trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no signal alarms in library use
    config.set("DEFAULT", "MAX_REDIRECTS", "0")
    config.set("DEFAULT", "DOWNLOAD_TIMEOUT", "0")
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    config.set("DEFAULT", "EXTERNAL_URLS", "off")
    return config


def _read_html(
    path: Path, origin: str, published: dt.date | None, max_bytes: int
) -> Iterator[Item]:
    try:
        html = _read_text(path, max_bytes)
        import trafilatura

        # The HTML is passed as text: trafilatura never fetches anything here.
        doc = trafilatura.bare_extraction(
            html,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
            config=_trafilatura_config(),
        )
        if doc is None or not (doc.text or "").strip():
            raise SourceError("empty article (no main text found in the HTML)")
        words = len(doc.text.split())
        if words < _MIN_HTML_WORDS:
            raise SourceError(
                f"no main text found in the HTML (only {words} words of page furniture)"
            )
        date: Any = doc.date or published
        yield article_from_text(
            doc.text,
            id=path.stem,
            title=doc.title,
            published=date,
            url=doc.url,
            source=doc.sitename,
            origin=origin,
        )
    except SourceError as exc:
        yield _error(origin, exc, path.stem)


def _read_jsonl(
    path: Path, origin: str, published: dt.date | None, max_bytes: int
) -> Iterator[Item]:
    try:
        handle, _ = _open(path)
    except SourceError as exc:
        yield _error(origin, exc)
        return
    with handle:
        if _is_binary(handle.read(_BINARY_PROBE)):
            yield ArticleError(origin=origin, reason="binary file")
            return
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):
            line_origin = f"{origin}:{number}"
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                yield _jsonl_article(raw, line_origin, published, max_bytes)
            except SourceError as exc:
                yield _error(line_origin, exc)


def _jsonl_article(raw: bytes, origin: str, published: dt.date | None, max_bytes: int) -> Article:
    if len(raw) > max_bytes:
        raise SourceError(
            f"line is too large: {len(raw):,} bytes, over the limit of {max_bytes:,} bytes "
            f"({_LIMIT_HINT})"
        )
    if b"\0" in raw:
        raise SourceError("binary data in line")
    try:
        record = json.loads(_decode(raw))
    except json.JSONDecodeError as exc:
        raise SourceError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except UnicodeError as exc:
        raise SourceError(str(exc)) from None
    if not isinstance(record, dict):
        raise SourceError(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        raise SourceError("empty article (no 'text')")
    if not isinstance(text, str):
        raise SourceError(f"'text' must be a string, got {type(text).__name__}")
    for key in ("id", "title", "url", "source", "published"):
        value = record.get(key)
        allowed = (str, int) if key == "id" else (str,)
        if value is not None and (isinstance(value, bool) or not isinstance(value, allowed)):
            raise SourceError(f"{key!r} must be a string, got {type(value).__name__}")
    date = record.get("published")
    if date is None or date == "":
        date = published
    return article_from_text(
        text,
        id=_optional_str(record.get("id")),
        title=record.get("title"),
        published=date,
        url=record.get("url"),
        source=record.get("source"),
        origin=origin,
    )


def _html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: one line per block element, inline space collapsed."""
    import lxml.etree
    import lxml.html

    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return " ".join(fragment.split())
    for element in root.xpath("//script|//style|//noscript"):
        element.drop_tree()
    for element in root.iter():
        # Source newlines are just spaces in HTML; the only line breaks are block ends.
        if element.text:
            element.text = _WHITESPACE.sub(" ", element.text)
        if element.tail:
            element.tail = _WHITESPACE.sub(" ", element.tail)
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _entry_text(entry: Any) -> str:
    """The longest of an entry's content and summary, as plain text."""
    candidates = list(entry.get("content") or [])
    if entry.get("summary_detail"):
        candidates.append(entry["summary_detail"])
    elif entry.get("summary"):
        candidates.append({"value": entry["summary"], "type": "text/html"})
    best = ""
    for detail in candidates:
        value = detail.get("value") or ""
        kind = detail.get("type") or "text/html"
        text = _html_to_text(value) if "html" in kind else value.strip()
        if len(text) > len(best):
            best = text
    return best


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def _read_feed(
    path: Path, origin: str, published: dt.date | None, max_bytes: int
) -> Iterator[Item]:
    import feedparser

    try:
        handle, _ = _open(path)
        with handle:
            data = handle.read()
    except (SourceError, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield ArticleError(origin=origin, reason=reason)
        return
    if _is_binary(data):
        yield ArticleError(origin=origin, reason="binary file")
        return
    # Bytes, never a path or URL: feedparser fetches nothing and resolves nothing remote.
    feed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    if not feed.entries:
        if feed.get("bozo"):
            reason = feed.get("bozo_exception") or "unknown error"
            yield ArticleError(origin=origin, reason=f"malformed feed: {reason}")
        elif not feed.get("version"):
            yield ArticleError(origin=origin, reason="not an RSS or Atom feed")
        return
    feed_title = _optional_str(feed.feed.get("title"))
    for number, entry in enumerate(feed.entries, start=1):
        entry_origin = f"{origin}#entry-{number}"
        key = entry.get("id") or entry.get("link")
        ident = _short_hash(key) if key else None
        try:
            text = _entry_text(entry)
            if len(text.encode("utf-8")) > max_bytes:
                raise SourceError(
                    f"entry text is too large: over the limit of {max_bytes:,} bytes "
                    f"({_LIMIT_HINT})"
                )
            yield article_from_text(
                text,
                id=ident,
                title=entry.get("title"),
                published=_entry_date(entry) or published,
                url=entry.get("link"),
                source=feed_title,
                origin=entry_origin,
            )
        except SourceError as exc:
            yield _error(entry_origin, exc, ident)


Reader = Callable[[Path, str, dt.date | None, int], Iterator[Item]]

_READERS: dict[str, Reader] = {
    "text": _read_plain,
    "markdown": _read_markdown,
    "html": _read_html,
    "jsonl": _read_jsonl,
    "feed": _read_feed,
}


# --------------------------------------------------------------------------- walking


def _format_of(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


def _walk(directory: Path, seen: set[str]) -> Iterator[Path | ArticleError]:
    """Files with known suffixes under ``directory``, sorted, hidden entries and loops skipped."""
    try:
        real = os.path.realpath(directory)
        if real in seen:
            return
        seen.add(real)
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        yield ArticleError(origin=str(directory), reason=exc.strerror or str(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows symlinks; loops are cut by ``seen``
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, seen)
        elif _format_of(path) is not None:
            yield path


def _read_file(path: Path, published: dt.date | None, max_bytes: int) -> Iterator[Item]:
    kind = _format_of(path)
    origin = str(path)
    if kind is None:
        known = ", ".join(sorted(SUFFIXES))
        yield ArticleError(
            origin=origin,
            reason=f"unsupported file type {path.suffix or '(none)'!r} (expected one of {known})",
        )
        return
    yield from _READERS[kind](path, origin, published, max_bytes)


def _read_any(
    path: Path, published: dt.date | None, max_bytes: int, seen: set[str]
) -> Iterator[Item]:
    if path.is_dir():
        for found in _walk(path, seen):
            if isinstance(found, ArticleError):
                yield found
            else:
                yield from _read_file(found, published, max_bytes)
    else:
        yield from _read_file(path, published, max_bytes)


@lru_cache(maxsize=1)
def _language_detector() -> Callable[[str], list[Any]]:
    """langdetect's ``detect_langs`` with its random seed fixed, so results are repeatable."""
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0
    return detect_langs


def detect_language(text: str) -> tuple[str, float] | None:
    """Most likely language of ``text`` and its probability (langdetect, fixed seed).

    Only the first few thousand characters are looked at. Texts with too few letters
    to judge (under 200) give ``None``, as do texts langdetect finds no features in.

    Args:
        text: article text.

    Returns:
        ``(ISO 639-1 code, probability)`` or ``None``.

    >>> detect_language("Too short.") is None
    True
    """
    sample = text[:_LANGUAGE_SAMPLE]
    if sum(char.isalpha() for char in sample) < _LANGUAGE_MIN_LETTERS:
        return None
    from langdetect.lang_detect_exception import LangDetectException

    try:
        ranked = _language_detector()(sample)
    except LangDetectException:
        return None
    if not ranked:
        return None
    return ranked[0].lang, float(ranked[0].prob)


#: English function words: a text made mostly of them is English without asking langdetect.
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in is that for on with as was by it at from said has have be are were "
    "will would not an which this its their they he she his her who but had been".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def _clearly_english(text: str) -> bool:
    """At least a fifth of the first 300 words are English function words (milliseconds,
    where langdetect takes tens of them)."""
    words = _WORD.findall(text[:_LANGUAGE_SAMPLE].lower())[:300]
    return len(words) >= 50 and sum(w in _ENGLISH_FUNCTION_WORDS for w in words) >= len(words) / 5


def language_error(article: Article, expected: str) -> ArticleError | None:
    """An error record when ``article`` is confidently not in language ``expected``."""
    if expected in ("", "any"):
        return None
    if expected == "en" and _clearly_english(article.text):
        return None
    found = detect_language(article.text)
    if found is None:
        return None
    lang, prob = found
    if lang.split("-")[0] == expected or prob < _LANGUAGE_CONFIDENCE:
        return None
    return ArticleError(
        origin=article.origin or article.id,
        reason=(
            f"article is in language {lang!r} (probability {prob:.2f}), not {expected!r}: "
            f"skipped (set DIPLOGRAPH_LANGUAGE=any to keep it)"
        ),
        article=article.id,
    )


def _screen(items: Iterator[Item], language: str) -> Iterator[Item]:
    """Pass items through, turning an article in another language into an error record."""
    for item in items:
        if isinstance(item, Article):
            error = language_error(item, language)
            if error is not None:
                yield error
                continue
        yield item


def _unique(items: Iterator[Item]) -> Iterator[Item]:
    """Pass items through, turning a repeated article id into an :class:`ArticleError`."""
    first: dict[str, str] = {}
    for item in items:
        if isinstance(item, Article):
            previous = first.get(item.id)
            if previous is not None:
                yield ArticleError(
                    origin=item.origin or item.id,
                    reason=f"duplicate article id {item.id!r} also in {previous}",
                    article=item.id,
                )
                continue
            first[item.id] = item.origin or item.id
        yield item


def _check_exists(path: str | Path) -> Path:
    resolved = Path(path)
    if not os.path.lexists(resolved):
        raise SourceError(f"no such file or directory: {str(path)!r}")
    return resolved


def read_path(
    path: str | Path,
    *,
    published: dt.date | None = None,
    max_bytes: int | None = None,
    language: str | None = None,
) -> Iterator[Article | ArticleError]:
    """Read the articles in one file or folder.

    Folders are walked recursively in name order; only files whose suffix is in
    :data:`SUFFIXES` are read, hidden files and folders are skipped and symlink loops
    are cut. A bad file, line or feed entry yields an :class:`ArticleError` and reading
    goes on.

    Args:
        path: a file or folder.
        published: publication date for articles whose source gives none.
        max_bytes: largest file (or JSONL line / feed entry text) accepted; default
            ``settings.max_article_bytes`` (``DIPLOGRAPH_MAX_ARTICLE_BYTES``).
        language: ISO 639-1 code articles must be in, ``any`` for no check; default
            ``settings.language`` (``DIPLOGRAPH_LANGUAGE``, ``en``). An article long
            enough to judge and confidently in another language becomes an error.

    Returns:
        An iterator of articles and errors, in a deterministic order.

    Raises:
        SourceError: ``path`` does not exist (raised at call time, before iteration).
    """
    checked = _check_exists(path)
    limit = settings.max_article_bytes if max_bytes is None else max_bytes
    wanted = settings.language if language is None else language
    return _unique(_screen(_read_any(checked, published, limit, set()), wanted))


def iter_articles(
    paths: Iterable[str | Path],
    *,
    published: dt.date | None = None,
    max_bytes: int | None = None,
    language: str | None = None,
) -> Iterator[Article | ArticleError]:
    """Read the articles in several files and folders, with ids unique across all of them.

    Args:
        paths: files and folders, read in the order given.
        published: publication date for articles whose source gives none.
        max_bytes: largest file (or JSONL line / feed entry text) accepted; default
            ``settings.max_article_bytes``.
        language: ISO 639-1 code articles must be in, ``any`` for no check; default
            ``settings.language``.

    Returns:
        An iterator of articles and errors; a repeated id yields an
        :class:`ArticleError` naming where the id was first seen.

    Raises:
        SourceError: one of ``paths`` does not exist (raised at call time).
    """
    checked = [_check_exists(path) for path in paths]
    limit = settings.max_article_bytes if max_bytes is None else max_bytes
    wanted = settings.language if language is None else language

    def generate() -> Iterator[Item]:
        seen: set[str] = set()
        for path in checked:
            yield from _read_any(path, published, limit, seen)

    return _unique(_screen(generate(), wanted))
