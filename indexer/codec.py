"""The Whoosh codec hanil writes with: whoosh3's, with short posting lists inlined, without
per-term length statistics, and with each posting list written flat
(indexer/flat_postings.py): the scored fields' (title, body, grams) flat alone, read back
by indexer/flat_terms.py, the id and facet fields' in whoosh3's files too.

Most terms of a news index occur in a handful of articles, and whoosh3 writes each posting
list as its own block: a header, two pickles and a file seek per term. A list of fewer than
INLINE_LIMIT postings can instead live in the term's entry in the term table (a codec option
whoosh3 has, read by its own readers).
"""

from __future__ import annotations

import whoosh.writing
from whoosh.codec.whoosh3 import W3Codec, W3TermInfo

from .flat_postings import FieldWriter
from .flat_terms import FlatOnlyTerms, TermsReader
from .term_pool import TermPool

INLINE_LIMIT = 16

# whoosh3 3.54.0 writes an inlined list through terminfo.set_inline(), but the method is
# named set_inlined: any inlinelimit above 1 (the default, which inlines nothing) fails at
# commit. Name the method as the writer calls it; a fixed whoosh3 leaves this unused.
if not hasattr(W3TermInfo, "set_inline"):
    W3TermInfo.set_inline = W3TermInfo.set_inlined

# Every Whoosh writer hanil makes (one process, multiprocess, cluster workers, merges) pools its
# postings grouped by term, for its field writer to take a term at a time: SegmentWriter reads
# the pool class from its module, and takes no other.
whoosh.writing.PostingPool = TermPool


class Codec(W3Codec):
    """whoosh3's codec without length statistics: with them, the writer reads each
    posting's document length back from disk at commit to keep a
    shortest-document bound per term, which only Whoosh's top-N skipping reads. hanil scores
    every match over arrays (search_app/engine.py); a bound of 0 stays a correct bound.
    A segment keeps its codec, so this class path is part of the on-disk format."""

    length_stats = False

    def field_writer(self, storage, segment):
        return FieldWriter(self, storage, segment)  # also writes the postings flat

    def terms_reader(self, storage, segment):
        """whoosh3's, with the fields a segment has written flat only (.ftx) read from its
        flat files (indexer/flat_terms.py)."""
        flat_only = FlatOnlyTerms.at(storage, segment)  # first: it refuses a damaged segment
        terms = super().terms_reader(storage, segment)
        return terms if flat_only is None else TermsReader(terms, flat_only)


def codec() -> W3Codec:
    return Codec(inlinelimit=INLINE_LIMIT)
