"""What the live index holds: counts by language and facet, size, build times."""

from __future__ import annotations

from pathlib import Path

from . import store
from .schema import FACETS


def index_stats(root: str | Path, top: int = 10) -> dict:
    """Return the live index's article count, facet counts, size and build times."""
    root = Path(root)
    ix = store.open_current(root)
    gen = store.current_dir(root)
    facets: dict[str, list[tuple[str, int]]] = {}
    with ix.searcher() as s:
        reader = s.reader()
        for name in FACETS:
            counts = []
            for term in reader.lexicon(name):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                # Postings skip deleted documents; doc_frequency counts them until a merge.
                live = sum(1 for _ in reader.postings(name, value).all_ids())
                if live:
                    counts.append((value, live))
            counts.sort(key=lambda vc: (-vc[1], vc[0]))
            facets[name] = counts
        total = s.doc_count()
        deleted = s.doc_count_all() - total
        segments = len(s.reader().leaf_readers()) if total or deleted else 0
    meta = store.read_meta(gen)
    return {
        "index": str(gen),
        "articles": total,
        "deleted": deleted,
        "deleted_share": round(deleted / (total + deleted), 4) if total + deleted else 0.0,
        "segments": segments,
        "by_lang": dict(facets.pop("lang")),
        "facets": {k: v[:top] for k, v in facets.items()},
        "facet_values": {k: len(v) for k, v in facets.items()},
        "size_bytes": store.size_bytes(gen),
        "built_at": meta.get("built_at"),
        "updated_at": meta.get("updated_at"),
    }
