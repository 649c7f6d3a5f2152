"""hanil's segment writer: Whoosh's, a document's postings added to the pool a field at a
time (indexer/term_pool.py), not a call per posting (8% of a one-process Japanese reindex
went to those calls, sampled with py-spy), and the title's and body's postings made in one
loop over their tokens (character_postings)."""

from __future__ import annotations

from pickle import dumps

from whoosh.formats import Characters
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from .term_pool import TermPool

_ONCE = pack_uint(1)


def character_postings(field, value: str) -> list[tuple[bytes, int, float, bytes]]:
    """Return field.index(value) for a field of Whoosh's Characters format (positions and
    character spans): each term's (text, frequency, weight, value), terms in the order they
    first occur, the same items and bytes. Whoosh makes them through three generators a token
    and a call a term (7% of a Japanese reindex); most terms of an article occur once."""
    seen: dict[str, list[tuple[int, int, int]]] = {}
    boosted: dict[str, float] = {}  # the summed boosts of terms with a token boosted
    for t in field.analyzer(value, positions=True, chars=True, boosts=True, mode="index"):
        if t.stopped:
            continue
        text = t.text
        found = seen.get(text)
        if found is None:
            seen[text] = [(t.pos, t.startchar, t.endchar)]
        else:
            found.append((t.pos, t.startchar, t.endchar))
        if t.boost != 1.0 or (boosted and text in boosted):
            boosted[text] = boosted.get(text, float(len(seen[text]) - 1)) + t.boost
    field_boost = field.format.field_boost
    out = []
    for text, spans in seen.items():
        n = len(spans)
        if n == 1:
            pos, start, end = spans[0]
            value = _ONCE + dumps([(pos, start, end - start)], 2)
        else:  # whoosh's Characters.encode: each span from the one before
            deltas, last_pos, last_end = [], 0, 0
            for pos, start, end in spans:
                deltas.append((pos - last_pos, start - last_end, end - start))
                last_pos, last_end = pos, end
            value = pack_uint(n) + dumps(deltas, 2)
        out.append((text.encode("utf-8"), n, boosted.get(text, float(n)) * field_boost, value))
    return out


class Writer(SegmentWriter):
    """SegmentWriter for schemas without spelling or vector fields (hanil's)."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        fields = [self.schema[name] for name in self.schema.names()]
        if any(f.separate_spelling() or f.vector for f in fields):
            raise ValueError("Writer takes schemas without spelling or vector fields")
        if not isinstance(self.pool, TermPool):
            raise TypeError("Writer adds postings to a TermPool (installed by indexer.codec)")

    def add_document(self, **fields):
        """SegmentWriter.add_document, its postings added by TermPool.add_field."""
        self._check_state()
        perdocwriter, schema, docnum, pool = self.perdocwriter, self.schema, self.docnum, self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    if type(field.format) is Characters and isinstance(value, str):
                        items = character_postings(field, value)
                    else:
                        items = field.index(value)
                    length = pool.add_field(fieldname, items, docnum, boost)
                    if not field.scorable:
                        length = 0
                stored = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(stored))
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        pool.check_size()
        self._added = True
        self.docnum += 1
