"""Fixtures of the reasoning tests: the real models and a small scripted memory."""
import pytest

from omnilive.memory.types import OBJECT, SOUND, TEXT, Label, MemoryItem

NOW = 10_000.0


@pytest.fixture(scope='session')
def llm():
    from omnilive.models.llm import LlamaCppGenerator
    return LlamaCppGenerator(threads=2, n_ctx=2048, seed=0)


@pytest.fixture(scope='session')
def embedder():
    from omnilive.models.embedding import TextEmbedder
    return TextEmbedder(threads=2)


@pytest.fixture(scope='session')
def wordnet():
    """WordNet loaded (questions.start_wordnet reads it in the background)."""
    import time

    from omnilive.reasoning import questions
    questions.start_wordnet()
    deadline = time.monotonic() + 300  # a loaded machine reads WordNet's indexes slowly
    while 'categories' not in questions._wordnet and 'error' not in questions._wordnet:
        assert time.monotonic() < deadline, 'WordNet did not load'
        time.sleep(0.2)
    assert 'categories' in questions._wordnet, questions._wordnet.get('error')


def scripted_items():
    """A small memory: clips, speech, a note and a sound, at known times before NOW."""
    from omnilive.memory.describe import caption
    clips = [('clip-street', NOW - 600, [Label(OBJECT, 'car', 3), Label(OBJECT, 'person', 2),
                                         Label(OBJECT, 'traffic light', 1)]),
             ('clip-kitchen', NOW - 300, [Label(OBJECT, 'cup', 2), Label(OBJECT, 'bottle', 1),
                                          Label(OBJECT, 'dining table', 1)]),
             ('clip-sign', NOW - 120, [Label(OBJECT, 'person', 1), Label(TEXT, 'EXIT')])]
    items = [MemoryItem(id=i, kind='clip', start=t, end=t + 10, text=caption(labels),
                        labels=labels, pose=(2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0))
             for i, t, labels in clips]
    items += [MemoryItem(id='speech-1', kind='speech', start=NOW - 200, end=NOW - 197,
                         text='the delivery will arrive at four o clock'),
              MemoryItem(id='sound-1', kind='sound', start=NOW - 400, end=NOW - 399,
                         text='heard telephone', labels=[Label(SOUND, 'Telephone', 1)]),
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
