"""Tests for diplograph.ingest.sources on real files of every supported format."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diplograph.errors import SourceError
from diplograph.ingest.records import Article, ArticleError
from diplograph.ingest.sources import (
    SUFFIXES,
    article_from_text,
    content_hash,
    iter_articles,
    read_path,
)

DATA = Path(__file__).parents[1] / "data" / "sources"
SEEDS = Path(__file__).parents[2] / "seeds"


def _articles(items) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def _errors(items) -> list[ArticleError]:
    return [item for item in items if isinstance(item, ArticleError)]


def _only(items) -> Article | ArticleError:
    items = list(items)
    assert len(items) == 1, items
    return items[0]


# --------------------------------------------------------------------------- seed


def test_seed_article_reads_front_matter_and_body():
    article = _only(read_path(SEEDS / "presstv-sochi-rejection.md"))
    assert isinstance(article, Article)
    assert article.id == "presstv-sochi-rejection"
    assert article.published == dt.date(2017, 12, 26)
    assert article.source == "Press TV"
    assert article.title == "Syrian opposition groups reject Russia's Sochi congress initiative"
    assert article.text.startswith("Press TV - Forty Syrian")
    assert "---" not in article.text.split("\n")[0]
    assert article.origin == str(SEEDS / "presstv-sochi-rejection.md")


# --------------------------------------------------------------------------- plain text


def test_plain_text_first_line_is_not_a_title():
    article = _only(read_path(DATA / "nested" / "deeper" / "plain.txt"))
    assert article.id == "plain"
    assert article.title is None
    assert article.text == (
        "Kosovo and Serbia leaders met in Brussels\n"
        "The EU-facilitated dialogue resumed on Thursday."
    )
    assert article.published is None


def test_plain_text_crlf_newlines_and_bom_are_normalised(tmp_path):
    path = tmp_path / "windows.TXT"
    path.write_bytes(b"\xef\xbb\xbfFirst line.\r\nSecond line.\r\n")
    article = _only(read_path(path))
    assert article.text == "First line.\nSecond line."
    assert article.id == "windows"


def test_cp1252_file_is_decoded(tmp_path):
    article = _only(read_path(DATA / "cp1252.txt"))
    assert isinstance(article, Article)
    assert article.text.startswith("Sinn Féin and the DUP met at Stormont – the talks")
    assert "“constructive”" in article.text
    assert "Taoiseach’s office" in article.text


def test_short_latin1_file_is_decoded(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("Sinn Féin\n".encode("latin-1"))
    assert _only(read_path(path)).text == "Sinn Féin"


def test_utf16_file_with_bom_is_text_not_binary(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("Genève talks.".encode("utf-16"))
    assert _only(read_path(path)).text == "Genève talks."


# --------------------------------------------------------------------------- markdown


def test_markdown_front_matter_fields():
    article = _only(read_path(DATA / "nested" / "front-matter.md"))
    assert article == Article(
        id="fm-article",
        text="Norway hosted a new round of talks in Oslo.",
        title="Oslo channel reopened",
        published=dt.date(2019, 3, 2),
        url="https://nordic.example.no/oslo",
        source="Nordic Post",
        origin=str(DATA / "nested" / "front-matter.md"),
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2018-01-30", dt.date(2018, 1, 30), id="yaml-date"),
        pytest.param("2018-01-30 21:15:00", dt.date(2018, 1, 30), id="yaml-datetime"),
        pytest.param("2018-01-30T21:15:00+03:00", dt.date(2018, 1, 30), id="yaml-datetime-tz"),
        pytest.param('"2018-01-30"', dt.date(2018, 1, 30), id="quoted-string"),
        pytest.param('"Tue, 30 Jan 2018 09:00:00 GMT"', dt.date(2018, 1, 30), id="rfc2822"),
    ],
)
def test_markdown_front_matter_date_types(tmp_path, value, expected):
    path = tmp_path / "dated.md"
    path.write_text(f"---\npublished: {value}\n---\nBody text.\n", encoding="utf-8")
    article = _only(read_path(path))
    assert isinstance(article, Article), article
    assert article.published == expected
    assert type(article.published) is dt.date


def test_markdown_invalid_date_is_an_error_naming_file_and_value(tmp_path):
    path = tmp_path / "bad-date.md"
    path.write_text("---\npublished: next Tuesday-ish\n---\nBody text.\n", encoding="utf-8")
    error = _only(read_path(path, published=dt.date(2020, 1, 1)))
    assert isinstance(error, ArticleError)
    assert error.origin == str(path)
    assert "next Tuesday-ish" in error.reason


def test_markdown_impossible_date_is_an_error(tmp_path):
    path = tmp_path / "bad-date.md"
    path.write_text("---\npublished: 2018-02-30\n---\nBody text.\n", encoding="utf-8")
    error = _only(read_path(path))
    assert isinstance(error, ArticleError)
    assert "2018-02-30" in error.reason


def test_markdown_invalid_yaml_is_an_error(tmp_path):
    path = tmp_path / "bad-yaml.md"
    path.write_text("---\ntitle: [unclosed\n---\nBody text.\n", encoding="utf-8")
    error = _only(read_path(path))
    assert isinstance(error, ArticleError)
    assert "front matter" in error.reason


def test_markdown_without_front_matter_uses_stem_and_heading(tmp_path):
    path = tmp_path / "no-meta.markdown"
    path.write_text("# Talks in Doha\n\nThe Taliban met US envoys.\n", encoding="utf-8")
    article = _only(read_path(path))
    assert article.id == "no-meta"
    assert article.title == "Talks in Doha"
    assert article.text == "# Talks in Doha\n\nThe Taliban met US envoys."


def test_published_argument_is_used_only_when_source_has_no_date(tmp_path):
    fallback = dt.date(2000, 1, 1)
    undated = tmp_path / "undated.md"
    undated.write_text("---\ntitle: T\n---\nBody.\n", encoding="utf-8")
    dated = DATA / "nested" / "front-matter.md"
    assert _only(read_path(undated, published=fallback)).published == fallback
    assert _only(read_path(dated, published=fallback)).published == dt.date(2019, 3, 2)
    plain = DATA / "nested" / "deeper" / "plain.txt"
    assert _only(read_path(plain, published=fallback)).published == fallback


# --------------------------------------------------------------------------- HTML


def test_html_news_page_main_text_without_boilerplate():
    article = _only(read_path(DATA / "news-page.html"))
    assert isinstance(article, Article), article
    assert article.id == "news-page"
    assert article.title == "Astana talks end with agreement on de-escalation zones"
    assert article.published == dt.date(2017, 5, 4)
    assert article.url == "https://news.example.org/world/2017/05/04/astana-talks-de-escalation"
    assert article.source == "Gulf Daily Wire"
    assert "Russia, Iran and Turkey signed a memorandum in the Kazakh capital" in article.text
    assert "walked out of the session in protest" in article.text
    assert "remained concerned about Iran's involvement" in article.text
    for boilerplate in ("Subscribe", "Copyright", "Cookie", "celebrity diets", "Follow us"):
        assert boilerplate not in article.text
    assert "<p>" not in article.text


def test_html_without_date_takes_published_fallback(tmp_path):
    paragraphs = "".join(
        f"<p>Paragraph {n}: the foreign ministers of Egypt and Jordan met in Cairo to discuss "
        "the reconstruction conference and the ceasefire arrangements.</p>"
        for n in range(4)
    )
    path = tmp_path / "undated.HTM"
    path.write_text(
        f"<html><head><title>Cairo meeting</title></head><body><article>{paragraphs}"
        "</article></body></html>",
        encoding="utf-8",
    )
    article = _only(read_path(path, published=dt.date(2024, 2, 3)))
    assert isinstance(article, Article), article
    assert article.published == dt.date(2024, 2, 3)
    assert "Paragraph 3" in article.text


def test_html_without_text_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>T</title></head><body><script>x=1</script></body></html>")
    error = _only(read_path(path))
    assert isinstance(error, ArticleError)
    assert "empty" in error.reason


# --------------------------------------------------------------------------- feeds


def test_rss_feed_entries():
    items = list(read_path(DATA / "rss-feed.rss"))
    first, second = items
    assert first.title == "Geneva talks resume after two-month pause"
    assert first.text == (
        "The eighth round of Geneva talks opened on Tuesday.\n"
        "The government delegation arrived a day late."
    )
    assert first.published == dt.date(2017, 11, 28)
    assert first.url == "https://monitor.example.net/2017/11/28/geneva-resume"
    assert first.source == "Levant Diplomatic Monitor"
    assert first.origin == f"{DATA / 'rss-feed.rss'}#entry-1"
    assert second.text == "Forty opposition groups said they reject the Russian initiative."
    assert second.published == dt.date(2017, 12, 26)
    assert second.origin.endswith("#entry-2")
    # ids: a hash of the guid, else of the link; stable and distinct
    assert len(first.id) == 16 and len(second.id) == 16 and first.id != second.id
    assert [a.id for a in read_path(DATA / "rss-feed.rss")] == [first.id, second.id]


def test_atom_feed_entries():
    first, second = read_path(DATA / "atom-feed.atom")
    assert first.title == "Prespa agreement signed at the lake"
    assert first.text == (
        "Greece and Macedonia signed the Prespa agreement on Sunday.\n"
        "Protesters gathered in both countries."
    )
    assert first.published == dt.date(2018, 6, 17)  # published wins over updated
    assert first.url == "https://balkandesk.example.com/prespa-signed"
    assert first.source == "Balkan Desk"
    assert second.title == "Referendum date set"
    assert second.published == dt.date(2018, 7, 30)  # updated when no published
    assert second.text == "Skopje will hold a referendum on the name deal on 30 September."


def test_feed_with_same_guid_in_another_file_keeps_its_id(tmp_path):
    copy = tmp_path / "copy.xml"
    shutil.copy(DATA / "rss-feed.rss", copy)
    assert [a.id for a in read_path(copy)] == [a.id for a in read_path(DATA / "rss-feed.rss")]


def test_malformed_feed_is_an_error(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text("<rss><channel><title>Cut off", encoding="utf-8")
    error = _only(read_path(path))
    assert isinstance(error, ArticleError)
    assert error.origin == str(path)
    assert "malformed feed" in error.reason


def test_xml_that_is_not_a_feed_is_an_error(tmp_path):
    path = tmp_path / "data.xml"
    path.write_text('<?xml version="1.0"?><catalogue><book>B</book></catalogue>', "utf-8")
    error = _only(read_path(path))
    assert isinstance(error, ArticleError)
    assert "feed" in error.reason


def test_truncated_feed_still_yields_its_complete_entries(tmp_path):
    path = tmp_path / "truncated.rss"
    text = (DATA / "rss-feed.rss").read_text("utf-8")
    path.write_text(text[: text.index("</item>") + len("</item>")] + "<item><title>Cut", "utf-8")
    items = list(read_path(path))
    assert items[0].title == "Geneva talks resume after two-month pause"
    assert all(isinstance(item, ArticleError) for item in items[1:])


def test_feed_entry_without_text_is_an_error_and_others_still_come(tmp_path):
    path = tmp_path / "partly-empty.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        "<item><title>Only a title</title><guid>e1</guid></item>"
        "<item><title>Full</title><guid>e2</guid><description>Talks held.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    error, article = read_path(path)
    assert isinstance(error, ArticleError)
    assert error.origin.endswith("#entry-1")
    assert "empty" in error.reason
    assert article.text == "Talks held."


# --------------------------------------------------------------------------- JSONL


def test_jsonl_malformed_line_is_an_error_between_good_articles():
    path = DATA / "corpus.jsonl"
    items = list(read_path(path))
    assert [type(item) for item in items] == [Article, ArticleError, Article]
    first, error, third = items
    assert first.id == "jl-1"
    assert first.title == "Vienna talks"
    assert first.published == dt.date(2021, 4, 6)
    assert first.url == "https://example.org/vienna"
    assert first.source == "Wire"
    assert first.origin == f"{path}:1"
    assert error.origin == f"{path}:2"
    assert "invalid JSON" in error.reason
    assert third.id == content_hash("The Quartet issued a statement on Monday.")[:16]
    assert third.published == dt.date(2021, 4, 7)
    assert third.origin == f"{path}:3"


def test_jsonl_id_from_content_hash_is_stable_when_lines_move(tmp_path):
    lines = ['{"text": "Alpha talks."}', '{"text": "Beta talks."}']
    forward, backward = tmp_path / "a.ndjson", tmp_path / "b.ndjson"
    forward.write_text("\n".join(lines) + "\n", encoding="utf-8")
    backward.write_text("\n\n".join(reversed(lines)) + "\n", encoding="utf-8")
    ids_forward = {a.text: a.id for a in read_path(forward)}
    ids_backward = {a.text: a.id for a in read_path(backward)}
    assert ids_forward == ids_backward


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        pytest.param('["a list"]', "JSON object", id="not-object"),
        pytest.param('{"id": "x"}', "empty", id="no-text"),
        pytest.param('{"text": "  "}', "empty", id="blank-text"),
        pytest.param('{"text": 3}', "'text'", id="text-not-string"),
        pytest.param('{"text": "T.", "published": "soon"}', "soon", id="bad-date"),
        pytest.param('{"text": "T.", "title": ["x"]}', "'title'", id="title-not-string"),
    ],
)
def test_jsonl_bad_records_are_errors(tmp_path, line, reason):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    error = _only(read_path(path))
    assert isinstance(error, ArticleError)
    assert error.origin == f"{path}:1"
    assert reason in error.reason


# --------------------------------------------------------------------------- folders


def _mixed_folder(root: Path) -> Path:
    shutil.copytree(DATA / "nested", root / "corpus")
    shutil.copy(DATA / "news-page.html", root / "corpus" / "b-page.html")
    (root / "corpus" / "a-note.TXT").write_text("Note on the Astana process.", "utf-8")
    (root / "corpus" / ".hidden").mkdir()
    (root / "corpus" / ".hidden" / "secret.txt").write_text("Never read.", "utf-8")
    (root / "corpus" / ".draft.md").write_text("Never read either.", "utf-8")
    (root / "corpus" / "notes.docx").write_text("unknown extension", "utf-8")
    return root / "corpus"


def test_folder_is_read_recursively_sorted_known_files_only(tmp_path):
    folder = _mixed_folder(tmp_path)
    assert (folder / "deeper" / "image.png").exists()
    items = list(read_path(folder))
    assert all(isinstance(item, Article) for item in items), items
    assert [item.origin for item in items] == [
        str(folder / "a-note.TXT"),
        str(folder / "b-page.html"),
        str(folder / "deeper" / "plain.txt"),
        str(folder / "front-matter.md"),
    ]
    assert [item.id for item in items] == ["a-note", "b-page", "plain", "fm-article"]


def test_explicit_unsupported_file_is_an_error(tmp_path):
    error = _only(read_path(DATA / "nested" / "deeper" / "image.png"))
    assert isinstance(error, ArticleError)
    assert "unsupported file type '.png'" in error.reason


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlink_loop_in_folder_does_not_hang(tmp_path):
    folder = tmp_path / "loop"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "one.txt").write_text("One article.", "utf-8")
    try:
        (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not permitted")
    items = list(read_path(folder))
    assert [item.id for item in items] == ["one"]


# --------------------------------------------------------------------------- bad items


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\t\n", encoding="utf-8")
    error = _only(read_path(path))
    assert isinstance(error, ArticleError)
    assert error.reason == f"empty article in {path}"
    assert error.origin == str(path)


def test_binary_file_is_an_error(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"text\x00\x01\x02" * 10)
    error = _only(read_path(path))
    assert isinstance(error, ArticleError)
    assert error.reason == "binary file"


@pytest.mark.parametrize("name", ["blob.jsonl", "blob.rss", "blob.md", "blob.html"])
def test_binary_file_of_any_format_is_one_error(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\x00\x01\n\x02\n" * 50)
    error = _only(read_path(path))
    assert isinstance(error, ArticleError)
    assert error.reason == "binary file"


def test_jsonl_line_over_size_limit_is_an_error_and_others_still_come(tmp_path):
    path = tmp_path / "mixed.jsonl"
    long_line = '{"text": "%s"}' % ("word " * 40)
    path.write_text(long_line + '\n{"text": "Short."}\n', encoding="utf-8")
    error, article = read_path(path, max_bytes=100)
    assert isinstance(error, ArticleError)
    assert error.origin == f"{path}:1"
    assert "over the limit of 100 bytes" in error.reason
    assert article.text == "Short."


def test_file_over_size_limit_is_an_error_naming_size_and_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    error = _only(iter_articles([path], max_bytes=50))
    assert isinstance(error, ArticleError)
    assert "500 bytes" in error.reason and "50 bytes" in error.reason


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_an_error_with_os_reason(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("Secret.", encoding="utf-8")
    path.chmod(0)
    try:
        error = _only(read_path(path))
    finally:
        path.chmod(0o644)
    assert isinstance(error, ArticleError)
    assert "Permission denied" in error.reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
@pytest.mark.parametrize("name", ["pipe.txt", "pipe.jsonl", "pipe.rss"])
def test_named_pipe_is_an_error_not_a_hang(tmp_path, name):
    path = tmp_path / name
    os.mkfifo(path)
    error = _only(read_path(path))
    assert isinstance(error, ArticleError)
    assert error.reason == "not a regular file"


def test_broken_symlink_in_folder_is_an_error_and_reading_goes_on(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "good.txt").write_text("Good article.", "utf-8")
    try:
        (folder / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    except (OSError, NotImplementedError):
        pytest.skip("symlinks not permitted")
    error, good = read_path(folder)
    assert isinstance(error, ArticleError)
    assert "No such file" in error.reason
    assert good.id == "good"


def test_missing_top_level_path_raises_at_call_time(tmp_path):
    with pytest.raises(SourceError, match="missing-folder"):
        read_path(tmp_path / "missing-folder")
    with pytest.raises(SourceError, match="nope.txt"):
        iter_articles([DATA / "cp1252.txt", tmp_path / "nope.txt"])


def test_duplicate_ids_across_paths_are_errors(tmp_path):
    other = tmp_path / "again"
    other.mkdir()
    shutil.copy(DATA / "nested" / "deeper" / "plain.txt", other / "plain.txt")
    items = list(iter_articles([DATA / "nested" / "deeper", other]))
    article, error = items
    assert isinstance(article, Article) and article.id == "plain"
    assert isinstance(error, ArticleError)
    assert error.article == "plain"
    assert error.origin == str(other / "plain.txt")
    assert "duplicate article id 'plain'" in error.reason
    assert str(DATA / "nested" / "deeper" / "plain.txt") in error.reason


def test_folder_of_everything_yields_articles_and_the_one_jsonl_error():
    items = list(iter_articles([DATA]))
    errors = _errors(items)
    assert [e.origin for e in errors] == [f"{DATA / 'corpus.jsonl'}:2"]
    ids = [a.id for a in _articles(items)]
    assert len(ids) == len(set(ids)) == 10
    assert {"jl-1", "cp1252", "plain", "fm-article", "news-page"} <= set(ids)


# --------------------------------------------------------------------------- helpers


def test_content_hash_ignores_newline_style_and_trailing_space():
    base = content_hash("Line one.\nLine two.")
    assert content_hash("\ufeffLine one.  \r\nLine two.\r\n") == base
    assert content_hash("Line one.\nLine two!") != base
    assert len(base) == 64 and int(base, 16) >= 0


@given(st.text())
def test_content_hash_is_stable_under_article_normalisation(text):
    if not text.strip():
        return
    article = article_from_text(text)
    assert content_hash(article.text) == content_hash(text)
    assert article.id == content_hash(text)[:16]
    assert article_from_text(article.text) == article


def test_article_from_text_defaults_id_to_content_hash_and_parses_dates():
    article = article_from_text("  Talks ended.\r\n", published=dt.datetime(2020, 5, 1, 23, 0))
    assert article.text == "Talks ended."
    assert article.id == content_hash("Talks ended.")[:16]
    assert article.published == dt.date(2020, 5, 1)
    assert article_from_text("x", id="given").id == "given"


def test_article_from_text_rejects_empty_text_and_bad_dates():
    with pytest.raises(SourceError, match="empty article"):
        article_from_text(" \n ")
    with pytest.raises(SourceError, match="'31/02/2020'"):
        article_from_text("x", published="31/02/2020")


def test_suffixes_cover_every_documented_format():
    assert set(SUFFIXES) == {
        ".txt",
        ".md",
        ".markdown",
        ".html",
        ".htm",
        ".jsonl",
        ".ndjson",
        ".xml",
        ".rss",
        ".atom",
    }
    assert set(SUFFIXES.values()) == {"text", "markdown", "html", "jsonl", "feed"}
