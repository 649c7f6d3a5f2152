"""The flat postings (indexer/flat_postings.py) hold exactly what Whoosh's blocks hold, and
searching through them ranks, scores and marks exactly as decoding the blocks does."""

import json
import random
import re
import struct

import numpy as np
import pytest
from whoosh.system import pack_ushort

from indexer import build
from indexer.build import optimize, reindex
from indexer.flat_postings import FlatPostings, key
from search_app.search import SearchIndex, SearchRequest
from tests.conftest import SEEDS, shared_data, write_jsonl

FIELDS = ("title", "body", "grams")


def sentences() -> list[dict]:
    """The seed articles cut into sentences, one article each: enough articles that common
    words have posting lists longer than whoosh3 inlines (16), few enough to index fast."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        parts = [p.strip() for p in re.split(r"(?<=[.。!?])\s*|\n+", text)]
        for i, part in enumerate(p for p in parts if len(p) > 20):
            out.append({"id": f"{path.stem}-{i}", "title": "", "body": part})
    return out


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """An index grown by incremental reindexes (several segments, merged ones, deletions),
    and its twin: the same runs written by whoosh3's field writer alone (no flat postings,
    every field in whoosh3's blocks), the same segments, documents and postings."""
    from whoosh.codec.whoosh3 import W3Codec

    from indexer.codec import Codec

    records = sentences()
    assert len(records) > 150
    tmp = tmp_path_factory.mktemp("flat")
    src, root, twin = tmp / "in", tmp / "ix", tmp / "w3"
    src.mkdir()

    def index() -> None:
        reindex([src], root)
        with pytest.MonkeyPatch.context() as m:
            m.setattr(Codec, "field_writer", W3Codec.field_writer)
            reindex([src], twin)

    third = len(records) // 3
    for k in range(3):
        write_jsonl(src / f"part{k}.jsonl", records[k * third : (k + 1) * third])
        index()
    changed = [dict(r, body=r["body"] + " 수정") for r in records[:3]]  # deleted, re-added
    write_jsonl(src / "part0.jsonl", changed + records[3:third])
    index()
    return root, twin


@pytest.fixture(scope="module")
def grown_index(grown):
    return grown[0]


@pytest.fixture(scope="module")
def grown_whoosh3(grown):
    return grown[1]


def whoosh_postings(reader, fieldname, btext):
    """A term's live postings decoded by Whoosh: [(docnum, weight, value)]."""
    m = reader.postings(fieldname, btext)
    out = []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value() or b""))
        m.next()
    return out


def test_every_posting_list_is_written_flat_as_whoosh_stores_it(grown_index, grown_whoosh3):
    """Segment by segment, every term of every field: its flat postings hold what whoosh3's
    blocks hold (documents, weights, values), and what Whoosh reads of it (through hanil's
    terms reader for the fields written flat only) is what it reads from whoosh3's."""
    view, twin = SearchIndex(grown_index).view(), SearchIndex(grown_whoosh3).view()
    leaves = view.searcher.leaf_searchers()
    assert len(leaves) > 1 and view.searcher.reader().has_deletions()
    long_lists = 0
    for (sub, _o), (w3, _o3) in zip(leaves, twin.searcher.leaf_searchers(), strict=True):
        reader, expected_reader = sub.reader(), w3.reader()
        assert reader.doc_count_all() == expected_reader.doc_count_all()
        assert FlatPostings.of(expected_reader) is None
        flat = FlatPostings.of(reader)
        assert flat is not None
        assert flat.term(key("body", "없는낱말".encode())) is None
        assert list(reader.all_terms()) == list(expected_reader.all_terms())
        for fieldname in FIELDS:
            for btext, info in expected_reader.iter_field(fieldname):  # every term
                arrays = flat.term(key(fieldname, btext))
                assert flat.doc_frequency(key(fieldname, btext)) == info.doc_frequency()
                got_info = reader.term_info(fieldname, btext)
                for stat in ("weight", "doc_frequency", "max_weight", "min_id", "max_id"):
                    assert getattr(got_info, stat)() == getattr(info, stat)()
                long_lists += not info.is_inlined()  # longer than whoosh3 inlines (16)
                with_values = fieldname != "grams"  # the bigrams' values are frequencies only
                assert (arrays.ends is not None) == with_values
                expected = whoosh_postings(expected_reader, fieldname, btext)
                assert whoosh_postings(reader, fieldname, btext) == expected
                values = dict(arrays.values_of(arrays.ids)) if with_values else {}
                got = [
                    (d, float(w), values.get(d, b""))
                    for d, w in zip(arrays.ids.tolist(), arrays.weights.tolist(), strict=True)
                    if not reader.is_deleted(d)
                ]
                assert len(values) == (len(arrays.ids) if with_values else 0)
                if not with_values:
                    expected = [(d, w, b"") for d, w, _v in expected]
                assert got == expected, (fieldname, btext)
    assert long_lists > 15


def results(index: SearchIndex, queries, xlang=True):
    out = []
    for q in queries:
        r = index.search(SearchRequest(q=q, per_page=20, xlang=xlang))
        out.append(
            (
                r.total,
                [(h.id, h.score, str(h.snippet_html), h.xlang_matches) for h in r.results],
                {f: [(v.value, v.count) for v in vs] for f, vs in r.facets.items()},
            )
        )
    return out


QUERIES = [
    "광주",
    "CES",
    "光州",
    "서울 CES",
    "AI 도시",
    "ロボット",
    "안산 로봇",
    "시장",
    "人工知能",
]


def test_search_through_flat_postings_equals_decoding_the_blocks(grown_index, grown_whoosh3):
    flat = results(SearchIndex(grown_index, cached_results=0), QUERIES)
    assert flat == results(SearchIndex(grown_whoosh3, cached_results=0), QUERIES)
    assert any(total > 16 for total, _hits, _facets in flat)  # long lists were read flat


def test_optimize_writes_the_merged_segment_flat(grown_index, grown_whoosh3, tmp_path):
    import shutil

    from whoosh.codec.whoosh3 import W3Codec

    from indexer.codec import Codec

    root, twin = tmp_path / "ix", tmp_path / "w3"
    shutil.copytree(grown_index, root, symlinks=True)
    shutil.copytree(grown_whoosh3, twin, symlinks=True)
    optimize(root)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(Codec, "field_writer", W3Codec.field_writer)
        optimize(twin)
    view = SearchIndex(root).view()
    ((only, _offset),) = view.searcher.leaf_searchers()
    assert FlatPostings.of(only.reader()) is not None
    flat = results(SearchIndex(root, cached_results=0), QUERIES)
    assert flat == results(SearchIndex(twin, cached_results=0), QUERIES)


def test_an_index_without_flat_postings_is_read_through_whoosh(tmp_path, monkeypatch):
    """A segment written before flat postings existed answers as one with them. One whose
    flat files are lost (its words are nowhere else) is refused with a clear error, never
    served as an index without words."""
    import shutil

    from whoosh.codec.whoosh3 import W3Codec

    from indexer.codec import Codec
    from indexer.store import IndexDamaged
    from search_app.web import create_app

    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "all.jsonl", sentences())
    reindex([src], tmp_path / "flat")
    with monkeypatch.context() as m:
        m.setattr(Codec, "field_writer", W3Codec.field_writer)  # as hanil wrote them before
        reindex([src], tmp_path / "older")
    assert not list((tmp_path / "older" / "current").glob("*.ftm"))
    flat = results(SearchIndex(tmp_path / "flat", cached_results=0), QUERIES)
    assert results(SearchIndex(tmp_path / "older", cached_results=0), QUERIES) == flat
    shutil.copytree(tmp_path / "flat", tmp_path / "lost", symlinks=True)
    for f in (tmp_path / "lost" / "current").iterdir():
        if f.suffix in (".fid", ".fwt", ".fvl", ".fve", ".ftm"):
            f.unlink()
    with pytest.raises(IndexDamaged, match="lost its flat postings.*reindex --full"):
        results(SearchIndex(tmp_path / "lost", cached_results=0), QUERIES)
    web = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "lost")}).test_client()
    answer = web.get("/api/search?q=광주")
    assert answer.status_code == 503 and "reindex --full" in answer.get_json()["error"]


DEV_SETS = (
    "ko-chosun", "ko-korquad", "ko-wikinews", "ja-livedoor", "ja-jsquad",
    "xlang-flores", "xlang-livedoor-ko", "xlang-chosun-ja",
)  # fmt: skip


@pytest.mark.slow
def test_dev_queries_rank_the_same_through_flat_postings(tmp_path, monkeypatch):
    """The top 100 of 60 queries of every dev set, over 900 of their articles (flat lists of
    hundreds of postings over three segments), against the same articles written by
    whoosh3's field writer alone and read by decoding its blocks."""
    import gzip

    from whoosh.codec.whoosh3 import W3Codec

    from indexer.codec import Codec

    rng = random.Random(5)
    records, queries = [], []
    for name in DEV_SETS:
        folder = shared_data(name)
        with open(folder / "queries.jsonl", encoding="utf-8") as f:
            lines = [json.loads(line)["query"] for line in f if line.strip()]
        queries += rng.sample(lines, 60)
    for name in ("ko-chosun", "ja-livedoor", "ko-korquad"):
        corpus = next(shared_data(name).glob("corpus.jsonl*"))
        opener = gzip.open if corpus.suffix == ".gz" else open
        with opener(corpus, "rt", encoding="utf-8") as f:
            for _, line in zip(range(300), f, strict=False):
                records.append(json.loads(line))
    src, root, twin = tmp_path / "in", tmp_path / "ix", tmp_path / "w3"
    src.mkdir()
    for k in range(3):
        write_jsonl(src / f"part{k}.jsonl", records[k::3])
        reindex([src], root)
        with monkeypatch.context() as m:
            m.setattr(Codec, "field_writer", W3Codec.field_writer)
            reindex([src], twin)
    flat_index = SearchIndex(root, cached_results=0)
    flat = [flat_index.rank(q, 100) for q in queries]
    decoded_index = SearchIndex(twin, cached_results=0)
    decoded = [decoded_index.rank(q, 100) for q in queries]
    assert flat == decoded
    assert sum(len(ids) for ids, _fallback in flat) > 10 * len(queries)
    assert np.mean([len(ids) for ids, _f in flat]) > 10


def test_a_commit_reopens_only_the_segments_it_wrote(grown_index, tmp_path):
    """A segment's flat postings are opened once for every state that holds it."""
    import shutil

    root = tmp_path / "ix"
    shutil.copytree(grown_index, root, symlinks=True)
    index = SearchIndex(root, cached_results=0)
    before = index.view()
    index.search(SearchRequest(q="광주"))
    flat = before.state.arrays.flat
    opened = {
        sub.reader().segment().segment_id(): flat.of(sub.reader())
        for sub, _o in before.searcher.leaf_searchers()
    }
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "new.jsonl", [{"id": "new-1", "title": "", "body": "광주 새 기사입니다."}])
    reindex([src, *(grown_index.parent / "in").iterdir()], root)
    after = index.view()
    assert after.state is not before.state and after.state.arrays.flat is flat
    kept = 0
    for sub, _o in after.searcher.leaf_searchers():
        sid = sub.reader().segment().segment_id()
        if sid in opened:
            assert flat.of(sub.reader()) is opened[sid]
            kept += 1
    assert kept >= 1
    assert index.search(SearchRequest(q="새 기사")).total >= 1


def test_segments_are_written_as_whoosh_writes_them(tmp_path, monkeypatch):
    """hanil's writer, pool and field writer (a field's postings added at once, a term's
    postings taken at once, the scored fields written flat only) leave whoosh3's term table
    and postings file of the other fields byte for byte as whoosh3's own writer, pool and
    field writer do, and the same postings for the scored fields as Whoosh reads them."""
    import whoosh.writing
    from whoosh.codec.whoosh3 import W3Codec

    from indexer.codec import Codec
    from indexer.term_pool import TermPool

    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "all.jsonl", sentences())
    reindex([src], tmp_path / "hanil")
    with monkeypatch.context() as m:
        m.setattr(build, "WRITER_MB", 1)  # ~5,000 postings: the pool spills to sorted runs
        reindex([src], tmp_path / "spilled")
    with monkeypatch.context() as m:  # its pool read posting by posting, as --procs merges it
        m.setattr(Codec, "field_writer", W3Codec.field_writer)
        reindex([src], tmp_path / "grouped")
    with monkeypatch.context() as m:
        m.setattr(whoosh.writing, "PostingPool", TermPool.__mro__[1])  # whoosh's own
        m.setattr(build, "Writer", whoosh.writing.SegmentWriter)
        m.setattr(Codec, "field_writer", W3Codec.field_writer)
        reindex([src], tmp_path / "whoosh")

    whoosh = term_table(tmp_path / "whoosh")
    flat_only = {pack_ushort(n) for f, n in whoosh[None].items() if f in FIELDS}  # body, grams
    assert any(k and k[:2] in flat_only for k in whoosh)
    assert term_table(tmp_path / "grouped") == whoosh  # whoosh3's field writer, hanil's pool
    expected = flat_only_postings(tmp_path / "whoosh")
    assert len(expected) > 5_000
    for name in ("hanil", "spilled"):
        # every entry but the fields written flat only, each list's bytes the same
        table = term_table(tmp_path / name)
        assert table == {k: v for k, v in whoosh.items() if not (k and k[:2] in flat_only)}
        assert sum(len(v) == 2 for k, v in table.items() if k) >= 2  # lists in blocks
        assert flat_only_postings(tmp_path / name) == expected


def term_table(root) -> dict[bytes, tuple]:
    """The entries of whoosh3's term table of an index's one segment: key -> the entry's
    bytes if its list is inlined, else its statistics and the bytes of its blocks; and the
    field numbers (under None)."""
    from whoosh.codec.whoosh3 import W3TermInfo
    from whoosh.filedb.filetables import OrderedHashReader
    from whoosh.filedb.structfile import StructFile

    (trm,) = (root / "current").glob("*.trm")
    (pst,) = (root / "current").glob("*.pst")
    postings = pst.read_bytes()
    table = OrderedHashReader(StructFile(open(trm, "rb")), trm.stat().st_size)
    out: dict = {None: dict(table.extras["fieldmap"])}
    for k, v in table.items():
        info = W3TermInfo.from_bytes(v)
        if info.is_inlined():
            out[k] = (v,)
        else:
            stats = W3TermInfo._struct.size
            offset, length = struct.unpack("!qi", v[stats : stats + 12])  # where its blocks are
            out[k] = (v[:stats], postings[offset : offset + length])
    table.close()
    return out


def flat_only_postings(root) -> list[tuple]:
    """The postings of the fields written flat only as Whoosh reads them (for hanil's
    writer: from the flat files, through indexer/flat_terms.py; for whoosh3's own: from its
    blocks), with their values but the bigrams' (frequencies, as their weights say)."""
    view = SearchIndex(root).view()
    reader = view.searcher.reader()
    return [p[:4] if p[0] == "grams" else p for p in reader.iter_postings() if p[0] in FIELDS]


def test_title_and_body_postings_are_the_ones_whoosh_makes():
    """character_postings gives what Whoosh's Characters format gives (terms in order,
    frequencies, weights with the field boost, encoded positions and spans) for hanil's
    analyzer and the comparison ones; the writer takes this path only for a field of a lone
    MorphTokenizer (any other analyzer may boost or stop tokens: Whoosh indexes it)."""
    from whoosh.analysis import DelimitedAttributeFilter, SpaceSeparatedTokenizer
    from whoosh.fields import TEXT

    from indexer.articles import Article, read_inputs
    from indexer.schema import build_schema
    from indexer.segment_writer import _terms_of, character_postings

    texts = [f"{a.title}\n{a.body}" for a in read_inputs([SEEDS]) if isinstance(a, Article)]
    assert len(texts) >= 5
    for kind in ("morph", "whitespace", "bigram"):
        schema = build_schema(kind)
        for name in ("title", "body"):
            field = schema[name]
            for text in texts:
                items = character_postings(_terms_of(field)(text), field.format.field_boost)
                assert items == list(field.index(text))
    assert _terms_of(build_schema()["grams"]) is None
    boosted = TEXT(
        analyzer=SpaceSeparatedTokenizer() | DelimitedAttributeFilter(), chars=True, field_boost=2.0
    )
    assert _terms_of(boosted) is None


def test_the_bigrams_read_through_whoosh_as_any_field(grown_index):
    """The grams field, written flat only, answers Whoosh's reader like a field of its own
    term table: its lexicon in order, membership, statistics, postings with frequencies,
    and no term for one it lacks."""
    from whoosh.reading import TermNotFound

    view = SearchIndex(grown_index).view()  # the searcher closes with its view
    missing = "齉齾".encode()  # in no article
    seen = 0
    for sub, _offset in view.searcher.leaf_searchers():
        reader = sub.reader()
        assert (reader.segment().make_filename(".ftx")) in reader.storage().list()
        grams = list(reader.lexicon("grams"))
        assert grams == sorted(grams) and len(grams) > 10
        seen += len(grams)
        term = grams[len(grams) // 2]
        assert ("grams", term) in reader and ("grams", missing) not in reader
        assert next(iter(reader.terms_from("grams", term))) == ("grams", term)
        info = reader.term_info("grams", term)
        assert info.doc_frequency() == reader.doc_frequency("grams", term) >= 1
        m = reader.postings("grams", term)
        live = []
        while m.is_active():
            assert m.value_as("frequency") == m.weight() >= 1
            live.append(m.id())
            m.next()
        assert live and not any(reader.is_deleted(d) for d in live)
        assert reader.frequency("grams", missing) == reader.doc_frequency("grams", missing) == 0
        with pytest.raises(TermNotFound):
            reader.term_info("grams", missing)
        assert list(reader.indexed_field_names()).count("grams") == 1
        every = list(reader.all_terms())  # in order, as a multi-segment reader merges them
        assert every == sorted(every) and {f for f, _t in every} >= {"body", "grams", "id"}
    assert seen > 100
