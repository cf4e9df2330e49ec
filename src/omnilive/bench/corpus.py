"""What the retrieval figures search: memory items as perception writes them (captions made from
the detector's 80 classes, YAMNet's sound classes, sign texts and LibriVox sentences), questions
over them, recall@10 against exact search, and the items' text embeddings computed once and kept
in a cache (embedding 100k descriptors takes minutes; the figures of several backends reuse them).
Shared by the figure modules (retrieval, fleet)."""
from __future__ import annotations

import csv
import hashlib
import time
from pathlib import Path

import numpy as np

from omnilive.memory.backend import embed_text
from omnilive.memory.describe import caption
from omnilive.memory.types import OBJECT, SOUND, TEXT, Label, MemoryItem

SIGNS = ['EXIT', 'NO PARKING', 'PLATFORM', 'GATE', 'ROOM', 'PHARMACY', 'CAFE', 'LIBRARY', 'OPEN',
         'CLOSED', 'PUSH', 'PULL', 'STOP', 'ELEVATOR', 'STAIRS', 'TOILETS', 'WET FLOOR', 'SALE',
         'BAKERY', 'HOTEL', 'PLATFORM', 'TICKETS', 'INFORMATION', 'KITCHEN', 'OFFICE', 'LAB',
         'RECEPTION', 'FIRE EXIT', 'LOADING DOCK', 'PRIVATE']

def vocabulary() -> dict:
    """Real label sets: the provisioned detector's classes and YAMNet's sound classes (speech and
    room tones left out as perception does), LibriVox sentences."""
    from omnilive.audio.listener import NOT_EVENTS
    from omnilive.bags.media import librivox_transcripts
    from omnilive.models import registry
    labels = Path(registry.resolve('object_detector', None)).with_name('labels.txt')
    objects = [w for w in labels.read_text().split('\n')[:80] if w]
    class_map = Path(registry.resolve('sound_events', None)).with_name('yamnet_class_map.csv')
    with open(class_map) as f:
        sounds = [row['display_name'] for row in csv.DictReader(f)
                  if row['display_name'] not in NOT_EVENTS]
    sentences = list(librivox_transcripts().values())
    sentences += ['are you coming to lunch today', 'yes I will meet you at noon',
                  'the meeting moved to room five', 'can you pass me the salt',
                  'I left my phone in the car', 'the bus is late again', 'where did you park',
                  'we need more coffee', 'the printer is jammed', 'see you tomorrow morning']
    return {'objects': objects, 'sounds': sounds, 'sentences': sentences}


def descriptor_items(n: int, seed: int = 0, vocab: dict | None = None) -> list[MemoryItem]:
    """`n` memory items as perception writes them, one every 3 s: mostly clips (objects with
    counts, sometimes a sign read or a sound heard), some speech and sound items."""
    vocab = vocab or vocabulary()
    rng = np.random.default_rng(seed)
    objects, sounds, sentences = vocab['objects'], vocab['sounds'], vocab['sentences']
    weights = np.ones(len(objects))
    weights[0] = 20.0  # people are everywhere
    weights /= weights.sum()
    items = []
    for i in range(n):
        t = 3.0 * i
        r = rng.random()
        if r < 0.08:
            text = str(rng.choice(sentences))
            items.append(MemoryItem(id=f'speech-{i}', kind='speech', start=t, end=t + 3,
                                    text=text))
            continue
        if r < 0.14:
            sound = str(rng.choice(sounds))
            items.append(MemoryItem(id=f'sound-{i}', kind='sound', start=t, end=t + 2,
                                    text=f'heard {sound.lower()}',
                                    labels=[Label(SOUND, sound, 1)]))
            continue
        k = int(rng.integers(1, 5))
        names = list(dict.fromkeys(str(x) for x in rng.choice(objects, size=k, p=weights)))
        labels = [Label(OBJECT, name, int(rng.integers(1, 7))) for name in names]
        if rng.random() < 0.15:
            sign = str(rng.choice(SIGNS))
            labels.append(Label(TEXT, f'{sign} {int(rng.integers(1, 300))}'
                                if rng.random() < 0.5 else sign))
        if rng.random() < 0.08:
            labels.append(Label(SOUND, str(rng.choice(sounds)), 1))
        items.append(MemoryItem(id=f'clip-{i}', kind='clip', start=t, end=t + 3,
                                text=caption(labels), labels=labels,
                                pose=(float(i % 100), 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)))
    return items


def questions(n: int, seed: int = 1, vocab: dict | None = None) -> list[str]:
    vocab = vocab or vocabulary()
    rng = np.random.default_rng(seed)
    forms = ['How many {o}s did you see?', 'Did you see a {o}?', 'When did you last see a {o}?',
             'Where was the {o}?', 'Did you hear a {s}?', 'When did you hear the {s}?',
             'What did the {g} sign say?', 'Did anyone say something about {w}?',
             'What did you see near the {o} and the {o2}?']
    out = []
    for _ in range(n):
        form = str(rng.choice(forms))
        words = str(rng.choice(vocab['sentences'])).split()
        out.append(form.format(o=rng.choice(vocab['objects']), o2=rng.choice(vocab['objects']),
                               s=str(rng.choice(vocab['sounds'])).lower(),
                               g=str(rng.choice(SIGNS)).lower(), w=words[len(words) // 2]))
    return out


def clustered_vectors(n: int, dim: int, seed: int, n_clusters: int = 2000,
                      spread: float = 0.6, centers: np.ndarray | None = None) -> np.ndarray:
    """Unit vectors around random centres (cosine to the centre ~0.86, like near-duplicate
    captions), built in chunks so 1M x 384 needs no temporary copies."""
    rng = np.random.default_rng(seed)
    if centers is None:
        centers_rng = np.random.default_rng(12345)
        centers = centers_rng.standard_normal((n_clusters, dim)).astype(np.float32)
        centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    out = np.empty((n, dim), np.float32)
    for lo in range(0, n, 100_000):
        hi = min(n, lo + 100_000)
        x = centers[rng.integers(len(centers), size=hi - lo)]
        x = x + (spread / np.sqrt(dim)) * rng.standard_normal((hi - lo, dim)).astype(np.float32)
        out[lo:hi] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def recall_at_10(found_scores: np.ndarray, exact_scores: np.ndarray) -> float:
    """Share of the exact top 10 that the search returned, tie-aware: a returned vector scoring at
    least the exact 10th score counts (equal vectors are interchangeable)."""
    hits = []
    for got, exact in zip(found_scores, exact_scores):
        tenth = exact[9] - 1e-5
        hits.append(min(10, int(np.sum(got[:10] >= tenth))) / 10)
    return float(np.mean(hits))


def vectors_cache() -> Path:
    from omnilive.models.registry import cache_dir
    return cache_dir().parent / 'bench' / 'vectors'


def embedded_descriptors(n: int, embedder, cache: Path | None = None, chunk: int = 1000,
                         log=print) -> tuple[list[MemoryItem], np.ndarray]:
    """`descriptor_items(n)` and their text embeddings [n, dim] as the store computes them
    (`embed_text` of each item through `embedder.embed`), each distinct text embedded once.
    Embedded texts are kept under `cache` (a folder per model, files of `chunk` texts and their
    vectors): any n reuses what an earlier run embedded, and a run stopped midway loses at most
    one chunk."""
    items = descriptor_items(n)
    texts = [embed_text(i.kind, i.text, i.labels) for i in items]
    model = hashlib.sha256(str(embedder.path).encode()).hexdigest()[:12]
    folder = Path(cache or vectors_cache()) / f'descriptors-{model}'
    folder.mkdir(parents=True, exist_ok=True)
    known: dict[str, np.ndarray] = {}
    for path in sorted(folder.glob('*.npz')):
        with np.load(path) as data:
            if data['vectors'].shape[1:] == (embedder.dim,):
                known.update(zip(data['texts'].tolist(), data['vectors']))
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    t0 = time.perf_counter()
    for lo in range(0, len(missing), chunk):
        part = missing[lo:lo + chunk]
        vectors = embedder.embed(part)
        name = hashlib.sha256('\n'.join(part).encode()).hexdigest()[:16]
        tmp = folder / f'{name}.tmp'
        with open(tmp, 'wb') as f:
            np.savez(f, texts=np.array(part), vectors=vectors)
        tmp.replace(folder / f'{name}.npz')
        known.update(zip(part, vectors))
        log(f'[descriptors]   {lo + len(part):,}/{len(missing):,} distinct texts embedded '
            f'({time.perf_counter() - t0:.0f} s)')
    if not texts:
        return items, np.zeros((0, embedder.dim), np.float32)
    return items, np.ascontiguousarray(np.stack([known[t] for t in texts]), dtype=np.float32)


class Precomputed:
    """The text embedder with the descriptors' embeddings already computed: `embed` looks each
    text up (and embeds any it has not seen), `embed_query` is the embedder's own."""

    def __init__(self, embedder, texts: list[str], vectors: np.ndarray):
        self.embedder, self.dim, self.path = embedder, embedder.dim, embedder.path
        self.table = dict(zip(texts, vectors))

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.table]
        if missing:
            self.table.update(zip(missing, self.embedder.embed(missing)))
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self.table[t] for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.embed_query(text)
