"""A reindex never loses what is indexed by mistake: the deletion rule, path by path; bad
records, bad files and bad encodings are skipped one by one with a reason."""

import gzip
import json
import random

import pytest
from click.testing import CliRunner

from indexer import articles, inputs, store
from indexer.build import MAX_DELETE_SHARE, UnsafeRun, reindex
from indexer.decode import UnreadableFile, decode
from search_app.cli import main
from search_app.search import SearchIndex, SearchRequest

from .conftest import write_jsonl


def rec(i: int, text: str = "광주광역시가 사업을 시작했다.") -> dict:
    return {"id": f"a{i}", "lang": "ko", "title": f"소식 {i}", "body": f"{text} {i}"}


def indexed(root) -> set[str]:
    with store.open_current(root).searcher() as s:
        return {f["id"] for f in s.all_stored_fields()}


@pytest.fixture()
def six(tmp_path):
    """Six articles in one JSONL (a0-a5) and one in another file (b0), indexed."""
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "six.jsonl", [rec(i) for i in range(6)])
    write_jsonl(src / "other.jsonl", [{**rec(0), "id": "b0"}])
    root = tmp_path / "ix"
    reindex([src], root)
    assert indexed(root) == {f"a{i}" for i in range(6)} | {"b0"}
    return src, root


# -- the deletion rule -------------------------------------------------------------------


def test_a_path_that_does_not_exist_deletes_nothing(six, tmp_path):
    _src, root = six
    result = CliRunner().invoke(
        main, ["--index-dir", str(root), "reindex", str(tmp_path / "does-not-exist.jsonl")]
    )
    assert result.exit_code == 1 and "no such file or folder" in result.output
    assert "deleted 0" in result.output and len(indexed(root)) == 7


def test_a_file_that_cannot_be_read_deletes_nothing(six):
    src, root = six
    (src / "six.jsonl").write_bytes(b"\x1f\x8b" + bytes(range(256)))  # not text
    summary = reindex([src], root)
    assert summary.deleted == 0 and summary.skipped and len(indexed(root)) == 7


def test_a_file_with_a_bad_record_deletes_none_of_its_articles(six):
    src, root = six
    lines = [json.dumps(rec(i), ensure_ascii=False) for i in range(3)] + ['{"id": "a3", "body":']
    (src / "six.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = reindex([src], root)
    assert summary.deleted == 0 and [s.path.rsplit(":", 1)[1] for s in summary.skipped] == ["4"]
    assert len(indexed(root)) == 7


def test_a_file_read_whole_deletes_what_it_no_longer_holds(six):
    src, root = six
    write_jsonl(src / "six.jsonl", [rec(i, "바뀐 본문") for i in range(5)])
    summary = reindex([src / "six.jsonl"], root)  # the file alone: other.jsonl not given
    assert (summary.updated, summary.deleted, summary.skipped) == (5, 1, [])
    assert indexed(root) == {f"a{i}" for i in range(5)} | {"b0"}


def test_a_file_gone_from_a_folder_given_takes_its_articles(six):
    src, root = six
    (src / "other.jsonl").unlink()
    assert reindex([src], root).deleted == 1 and "b0" not in indexed(root)


def test_files_not_given_are_kept(six, tmp_path):
    _src, root = six
    extra = write_jsonl(tmp_path / "extra.jsonl", [{**rec(9), "id": "c9"}])
    summary = reindex([extra], root)
    assert (summary.added, summary.deleted) == (1, 0) and len(indexed(root)) == 8


def test_deleting_more_than_half_needs_force(six):
    src, root = six
    write_jsonl(src / "six.jsonl", [rec(0)])  # 5 of 7 articles would go
    assert 5 > MAX_DELETE_SHARE * 7
    with pytest.raises(UnsafeRun, match="5 of the index's 7"):
        reindex([src], root)
    assert len(indexed(root)) == 7  # refused: nothing changed
    result = CliRunner().invoke(main, ["--index-dir", str(root), "reindex", str(src)])
    assert result.exit_code == 1 and "--force" in result.output
    assert reindex([src], root, force=True).deleted == 5 and indexed(root) == {"a0", "b0"}


def test_a_full_rebuild_with_an_unreadable_input_needs_force(six, tmp_path):
    src, root = six
    missing = tmp_path / "typo"
    with pytest.raises(UnsafeRun, match="could not be read"):
        reindex([src, missing], root, full=True)
    assert len(indexed(root)) == 7
    summary = reindex([src / "six.jsonl", missing], root, full=True, force=True)
    assert summary.deleted == 1 and "b0" not in indexed(root)


def test_a_full_rebuild_counts_what_it_drops(six):
    src, root = six
    (src / "other.jsonl").unlink()
    summary = reindex([src], root, full=True)
    assert (summary.added, summary.deleted) == (6, 1)


def test_the_same_file_by_another_path_is_unchanged(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [rec(i) for i in range(3)])
    root = tmp_path / "ix"
    reindex([src / "a.jsonl"], root)
    monkeypatch.chdir(tmp_path)
    again = reindex(["in/a.jsonl"], root)  # relative now
    assert (again.unchanged, again.added, again.updated, again.deleted) == (3, 0, 0, 0)
    (src / "a.jsonl").rename(src / "b.jsonl")  # moved: same articles
    moved = reindex([src], root)
    assert (moved.unchanged, moved.deleted) == (3, 0)
    (src / "b.jsonl").unlink()  # and its new origin is what deletion follows
    assert reindex([src], root, force=True).deleted == 3


# -- bad records ------------------------------------------------------------------------

BAD_RECORDS = [
    ({"id": "m10", "body": "광주 소식", "city": [1, 2]}, "city"),
    ({"id": None, "body": "광주 소식"}, "id"),
    ({"body": "광주 소식"}, "id"),
    ({"id": ["x"], "body": "광주 소식"}, "id"),
    ({"id": True, "body": "광주 소식"}, "id"),
    ({"id": "m1", "body": 5}, "body"),
    ({"id": "m2", "body": ""}, "non-empty"),
    ({"id": "m3", "body": "광주", "title": {"a": 1}}, "title"),
    ({"id": "m4", "body": "광주", "year": "abc"}, "year"),
    ({"id": "m5", "body": "광주", "year": 20233}, "year"),
    ({"id": "m6", "body": "광주", "lang": "en"}, "lang"),
    ({"id": "m7", "body": "광주", "event": ["ces", ""]}, "event"),
    ({"id": "m8", "body": "광주", "city": "a,b"}, "comma"),
    ({"id": "m9", "body": "광주", "url": 7}, "url"),
    ({"id": "m11", "body": "광주", "date": ["2023"]}, "date"),
    (["not", "an", "object"], "object"),
    ("just a string", "object"),
]


def test_every_bad_record_is_skipped_with_its_reason_and_the_rest_indexed(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    good = {"id": "ok", "lang": "ko", "body": "광주광역시 소식이다."}
    lines = [json.dumps(r, ensure_ascii=False) for r, _ in BAD_RECORDS]
    lines += ['{"id": "broken", "body": "광주', json.dumps(good, ensure_ascii=False)]
    (src / "m.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    root = tmp_path / "ix"
    result = CliRunner().invoke(main, ["--index-dir", str(root), "reindex", str(src)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "added 1," in result.output
    reasons = [line for line in result.output.splitlines() if line.startswith("skipped ")]
    assert len(reasons) == len(BAD_RECORDS) + 1
    for (_record, word), line in zip(BAD_RECORDS, reasons, strict=False):
        assert word in line, line
    assert indexed(root) == {"ok"}


def test_a_url_that_is_not_http_is_dropped_not_stored():
    for url in ("javascript:alert(1)", " JaVaScRiPt:x", "data:text/html,x", "ftp://x/y", "x.com"):
        assert articles.from_record({"id": "u", "body": "광주", "url": url}).url == ""
    kept = articles.from_record({"id": "u", "body": "광주", "url": " https://a.example/x "})
    assert kept.url == "https://a.example/x"


# -- bad files ---------------------------------------------------------------------------

KO = "수원시, 인공지능 기업 유치\n\n수원시가 인공지능 기업을 유치하기 위해 나섰다. 예산을 늘린다."
JA = "横浜市、ロボット企業を誘致\n\n横浜市はロボット企業の誘致を進める。市長が発表した。"


@pytest.mark.parametrize(
    "text, encoding",
    [
        (KO, "cp949"),
        (KO, "euc-kr"),
        (JA, "shift_jis"),
        (JA, "euc-jp"),
        ("名古屋市は人工知能の研究拠点を作る。", "euc-jp"),  # short, no kana run
        (KO, "utf-16"),  # with its BOM
        (JA, "utf-8-sig"),
    ],
)
def test_each_encoding_decodes(text, encoding):
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_are_refused_not_indexed_as_mojibake(seed):
    rng = random.Random(seed)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    with pytest.raises(UnreadableFile, match="no credible decoding"):
        decode(data)


def test_the_bad_file_zoo_skips_each_file_and_indexes_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "MAX_FILE_BYTES", 10_000)
    src = tmp_path / "in"
    src.mkdir()
    (src / "ko.txt").write_bytes(KO.encode("cp949"))
    (src / "ja.txt").write_bytes(JA.encode("shift_jis"))
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    (src / "huge.txt").write_text("광주 " * 5000, encoding="utf-8")
    rng = random.Random(1)
    (src / "mojibake.txt").write_bytes(bytes(rng.randrange(128, 256) for _ in range(900)))
    (src / "symbols.txt").write_bytes(b"\xa1\xe5" * 400)  # one legacy symbol, repeated
    data = gzip.compress(b"".join(json.dumps(rec(i)).encode() + b"\n" for i in range(50)))
    (src / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    summary = reindex([src], tmp_path / "ix")
    reasons = {s.path.rsplit("/", 1)[-1].split(":")[0]: s.reason for s in summary.skipped}
    skipped = {"empty.txt", "binary.txt", "huge.txt", "mojibake.txt", "symbols.txt", "cut.jsonl.gz"}
    assert set(reasons) == skipped
    assert "too large" in reasons["huge.txt"] and "credible" in reasons["mojibake.txt"]
    assert "credible" in reasons["symbols.txt"] and "JSONL" in reasons["cut.jsonl.gz"]
    ids = indexed(tmp_path / "ix")
    assert {"ko", "ja"} <= ids and any(i.startswith("a") for i in ids)  # the readable part


# -- an empty index ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "newest"},
        {"sort": "oldest"},
        {"date_from": "2020"},
        {"q": "광주", "date_to": "2024-02"},
    ],
)
def test_an_empty_index_answers_every_request(tmp_path, params):
    (tmp_path / "in").mkdir()
    reindex([tmp_path / "in"], tmp_path / "ix")
    result = SearchIndex(tmp_path / "ix").search(SearchRequest(**params))
    assert result.total == 0 and result.results == []
