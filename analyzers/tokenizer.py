"""The Whoosh tokenizer: route by script, analyze morphologically, emit search terms."""

from __future__ import annotations

from operator import attrgetter

from whoosh.analysis import Token, Tokenizer

from . import kiwi_backend, sudachi_backend
from .normalize import fold
from .script import KO, LATIN_WORD, regions
from .simple import bigram_terms, whitespace_terms
from .term import LATIN, Term, new

_by_start = attrgetter("start")
BACKENDS = {KO: kiwi_backend.analyze}  # any other region is Japanese


def terms(
    text: str, lang: str = "auto", compounds: bool = True, readings: bool = False
) -> list[Term]:
    """Return the Terms of text, in text order, offsets in text.

    A compound comes before its parts, which carry part=True; compounds=False leaves
    Japanese A units and Korean noun parts out. readings adds the Korean forms of Japanese
    terms as parts (光州 -> ~광주, see readings.py), for the index.
    """
    folded = fold(text)
    norm = folded.text
    out: list[Term] = []
    for region in regions(norm, lang):
        analyze = BACKENDS.get(region.lang, sudachi_backend.analyze)
        analyze(norm[region.start : region.end], region.start, out, compounds, readings)
    for m in LATIN_WORD.finditer(norm):
        out.append(new(Term, (m.group().lower(), m.start(), m.end(), LATIN, False)))
    out.sort(key=_by_start)  # stable: a compound stays before its parts
    return folded.remap(out)


def terms_function(kind: str):
    """Return the terms() of an analyzer kind: morph (hanil's), whitespace or bigram."""
    if kind == "morph":
        return terms
    if kind == "whitespace":
        return lambda text, lang="auto", compounds=True: whitespace_terms(text)
    if kind == "bigram":
        return lambda text, lang="auto", compounds=True: bigram_terms(text)
    raise ValueError(f"unknown analyzer {kind!r}: use morph, whitespace or bigram")


class MorphTokenizer(Tokenizer):
    """Korean (Kiwi), Japanese (Sudachi) and Latin terms with exact offsets into the text.

    lang is "ko", "ja" or "auto" (route each run by its script). In index mode a
    compound's parts (광주광역시장 -> 광주, 광역시; 人工知能 -> 人工, 知能) follow it at its
    position with ``part=True``, and so does the Korean form of a Japanese term, marked
    (光州 -> ~광주, see readings.py); query mode leaves both out. The models live in their
    backends, never in the pickle.
    """

    def __init__(self, lang: str = "auto", kind: str = "morph"):
        if lang not in ("auto", "ko", "ja"):
            raise ValueError(f"unknown language {lang!r}: use auto, ko or ja")
        terms_function(kind)  # validates kind
        self.lang = lang
        self.kind = kind

    def __setstate__(self, state):
        self.__dict__.update({"kind": "morph"} | state)

    def __eq__(self, other):
        return type(other) is type(self) and (other.lang, other.kind) == (self.lang, self.kind)

    def __hash__(self):
        return hash((type(self).__name__, self.lang, self.kind))

    def terms_of(self, value: str, index: bool = True) -> list[Term]:
        """The Terms of value that __call__ turns into tokens (index or query mode): each
        token's position is the one before's plus one, a part's (part=True) its compound's.
        The segment writer reads them without a Token each (indexer/segment_writer.py)."""
        if self.kind == "morph":
            return terms(value, self.lang, compounds=index, readings=index)
        return terms_function(self.kind)(value, self.lang, compounds=index)

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            items = [(value, 0, len(value), "whole", False)]
        else:
            items = self.terms_of(value, index=mode != "query")
        pos = start_pos - 1
        for text, start, end, path, part in items:
            if not part:
                pos += 1  # a part follows its compound and shares its position
            t.text = text
            t.path = path
            t.part = part
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t
