"""hanil's segment writer: Whoosh's, a document's postings added to the pool a field at a
time (indexer/term_pool.py), not a call per posting (8% of a one-process Japanese reindex
went to those calls, sampled with py-spy), and the title's and body's postings made in one
loop over their tokens (character_postings)."""

from __future__ import annotations

from pickle import dumps

from whoosh.formats import Characters
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from analyzers import MorphTokenizer

from .term_pool import TermPool

_ONCE = pack_uint(1)


def character_postings(terms, field_boost: float) -> list[tuple[bytes, int, float, bytes]]:
    """Return what Whoosh's Characters format (positions and character spans) makes of a
    text that hanil's tokenizer gives these Terms (MorphTokenizer.terms_of): each term's
    (text, frequency, weight, value), terms in the order they first occur, the same items
    and bytes as field.index(text). Whoosh makes them through a Token and three generators
    a token and a call a term (10% of a Japanese reindex); most terms of an article occur
    once. The tokenizer boosts and stops no token."""
    seen: dict[str, list[tuple[int, int, int]]] = {}
    pos = -1
    for text, start, end, _path, part in terms:
        if not part:
            pos += 1  # a part shares its compound's position
        found = seen.get(text)
        if found is None:
            seen[text] = [(pos, start, end)]
        else:
            found.append((pos, start, end))
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
        out.append((text.encode("utf-8"), n, n * field_boost, value))
    return out


def _terms_of(field):
    """The terms_of of a field's tokenizer when it is hanil's, alone, and the field keeps
    positions and spans (title and body), else None (the field is indexed by Whoosh)."""
    analyzer = field.analyzer if field.indexed else None
    items = getattr(analyzer, "items", None)
    if type(field.format) is not Characters or not items or len(items) != 1:
        return None
    return items[0].terms_of if isinstance(items[0], MorphTokenizer) else None


class Writer(SegmentWriter):
    """SegmentWriter for schemas without spelling or vector fields (hanil's)."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        fields = [self.schema[name] for name in self.schema.names()]
        if any(f.separate_spelling() or f.vector for f in fields):
            raise ValueError("Writer takes schemas without spelling or vector fields")
        if not isinstance(self.pool, TermPool):
            raise TypeError("Writer adds postings to a TermPool (installed by indexer.codec)")
        self._terms_of = {name: _terms_of(self.schema[name]) for name in self.schema.names()}

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
                    terms_of = self._terms_of[fieldname]
                    if terms_of and isinstance(value, str):
                        items = character_postings(terms_of(value), field.format.field_boost)
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
