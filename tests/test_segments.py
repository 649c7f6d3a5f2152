"""Deleted documents do not linger: a commit rewrites a segment once a share of it is
deleted, and `hanil optimize` merges the index into one segment without any."""

import json

from click.testing import CliRunner

from indexer.build import PURGE_SHARE, reindex
from indexer.stats import index_stats
from search_app.cli import main
from search_app.search import SearchIndex, SearchRequest

from .conftest import write_jsonl


def records(n: int, start: int = 0, text: str = "横浜市は新しい制度を発表した。") -> list[dict]:
    return [{"id": f"a{i}", "lang": "ja", "body": f"{text} {i}"} for i in range(start, n)]


def test_a_segment_past_the_deleted_share_is_rewritten(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", records(20))
    root = tmp_path / "ix"
    reindex([src], root)
    write_jsonl(src / "a.jsonl", records(19))  # one deleted: 5%, under the share
    reindex([src], root)
    assert index_stats(root)["deleted"] == 1
    assert 1 / 20 <= PURGE_SHARE
    write_jsonl(src / "a.jsonl", records(9))  # ten more: past the share
    reindex([src], root, force=True)
    stats = index_stats(root)
    assert (stats["articles"], stats["deleted"], stats["deleted_share"]) == (9, 0, 0.0)
    assert SearchIndex(root).search(SearchRequest(q="横浜")).total == 9


def test_optimize_leaves_one_segment_and_the_same_answers(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    root = tmp_path / "ix"
    for k in range(3):  # three commits, three segments
        write_jsonl(src / f"f{k}.jsonl", records(10 * (k + 1), 10 * k))
        reindex([src], root)
    changed = records(10)
    changed[0]["body"] = "横浜市は第二の制度を発表した。"  # one update: a deletion, 10%
    write_jsonl(src / "f0.jsonl", changed)
    reindex([src], root)
    before = index_stats(root)
    assert before["segments"] > 1 and before["deleted"] > 0
    q = SearchRequest(q="横浜 制度", per_page=50)
    ranked = [h.id for h in SearchIndex(root).search(q).results]
    result = CliRunner().invoke(main, ["--index-dir", str(root), "optimize"])
    assert result.exit_code == 0, result.output
    after = index_stats(root)
    assert (after["segments"], after["deleted"], after["articles"]) == (1, 0, before["articles"])
    assert [h.id for h in SearchIndex(root).search(q).results] == ranked
    # The next incremental run still knows every article (nothing re-analyzed).
    summary = reindex([src], root)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 30)
    out = CliRunner().invoke(main, ["--index-dir", str(root), "stats", "--json"]).output
    assert json.loads(out)["deleted_share"] == 0.0
