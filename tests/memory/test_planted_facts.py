"""Eight hours of simulated stream (a clip every 3 s, sim time) with 50 facts planted at known
times: the budget holds, >= 90% of facts come back for a natural question with the right count and
a time inside the returned item's span, and every note comes back."""
import pytest

from omnilive.bench.stream import NOTES, PlantedStream, fact_found, feed
from omnilive.memory.compressor import Compressor
from omnilive.memory.store import MemoryStore

HOURS = 8


@pytest.mark.slow
@pytest.mark.models
def test_planted_facts_over_eight_hours(tmp_path, embedder):
    budget_items, budget_bytes = 400, 12_000_000
    store = MemoryStore(tmp_path / 'mem', embedder, short_term_window_s=300,
                        budget_items=budget_items, budget_bytes=budget_bytes)
    compressor = Compressor(store)
    stream = PlantedStream(HOURS, seed=42)
    assert len(stream.facts) == 50
    feed(store, stream, compressor)
    compressor.run(now=stream.end + 10 * 3600)  # everything old enough to be long-term

    stats = store.stats()
    assert store.count() <= budget_items
    assert store.budget_bytes_used() <= budget_bytes
    assert stats['compression_ratio'] > 10

    found, misses, notes_found = 0, [], 0
    for fact in stream.facts:
        results = store.retrieve(fact.question, top_k=5)
        ok = fact_found(fact, results)
        found += ok
        notes_found += ok and fact.kind == 'note'
        if not ok:
            misses.append((fact.kind, fact.value, fact.t,
                           [(r.kind, r.start, r.end, r.text[:60]) for r in results[:2]]))
    assert notes_found == len(NOTES), misses
    assert found / len(stream.facts) >= 0.9, \
        f'{found}/{len(stream.facts)} facts retrieved; misses: {misses}'
