from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory):
    """The seeds, indexed once per test session through the same function the CLI calls."""
    from indexer.build import reindex

    root = tmp_path_factory.mktemp("seeds-index")
    summary = reindex([SEEDS], root)
    assert summary.added >= 5 and not summary.skipped
    return root


@pytest.fixture(scope="session")
def app(seeds_index):
    from search_app.app import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(seeds_index)})


@pytest.fixture()
def client(app):
    return app.test_client()
