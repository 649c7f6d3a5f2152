"""hanil's segment writer: Whoosh's, a document's postings added to the pool a field at a
time (indexer/term_pool.py), not a call per posting (8% of a one-process Japanese reindex
went to those calls, sampled with py-spy)."""

from __future__ import annotations

from whoosh.writing import SegmentWriter

from .term_pool import TermPool


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
                    length = pool.add_field(fieldname, field.index(value), docnum, boost)
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
