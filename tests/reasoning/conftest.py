import pytest

from omnilive.memory.types import MemoryItem

NOW = 10_000.0


@pytest.fixture(scope='session')
def llm():
    from omnilive.models.llm import LlamaCppGenerator
    return LlamaCppGenerator(threads=2, n_ctx=2048, seed=0)


@pytest.fixture(scope='session')
def embedder():
    from omnilive.models.embedding import TextEmbedder
    return TextEmbedder(threads=2)


def scripted_items():
    """A small memory: clips, speech, a note and a sound, at known times before NOW."""
    from omnilive.memory.describe import caption
    clips = [('clip-street', NOW - 600, ['car', 'person', 'traffic light'], [3, 2, 1]),
             ('clip-kitchen', NOW - 300, ['cup', 'bottle', 'dining table'], [2, 1, 1]),
             ('clip-sign', NOW - 120, ['person', 'text:EXIT'], [1, 0])]
    items = [MemoryItem(id=i, kind='clip', start=t, end=t + 10, text=caption(l, c), labels=l,
                        label_counts=c, pose=(2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0))
             for i, t, l, c in clips]
    items += [MemoryItem(id='speech-1', kind='speech', start=NOW - 200, end=NOW - 197,
                         text='the delivery will arrive at four o clock'),
              MemoryItem(id='sound-1', kind='sound', start=NOW - 400, end=NOW - 399,
                         text='heard telephone', labels=['sound:Telephone'], label_counts=[1]),
              MemoryItem(id='note-1', kind='note', start=NOW - 900, end=NOW - 900,
                         text='my keys are in the top drawer')]
    return items


@pytest.fixture
def memory(tmp_path, embedder):
    from omnilive.memory.store import MemoryStore
    store = MemoryStore(tmp_path / 'mem', embedder)
    store.insert([i for i in scripted_items() if i.kind != 'note'])
    note = [i for i in scripted_items() if i.kind == 'note'][0]
    store.insert([note])
    yield store
    store.close()
