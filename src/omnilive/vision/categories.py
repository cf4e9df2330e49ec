"""What kind of thing a label is: WordNet 3.0 hypernyms and a few everyday categories.

The classifier names ImageNet synsets ('n02099601', golden retriever) and the detector COCO labels
('dining table'); people ask about kinds ("which animals did you see?", "any fruit?"). This module
places both in WordNet 3.0 (Debian wordnet-base + wordnet-sense-index, provisioned into the model
cache as role `wordnet` and read with nltk) and answers `is_a(synset, 'animal')` and
`categories(synset) -> ['dog', 'animal']` over the curated `CATEGORIES` below.
"""
from __future__ import annotations

import threading
import warnings
from functools import lru_cache
from pathlib import Path

import yaml

from omnilive.models import registry

COCO_SYNSETS_FILE = Path(__file__).parent / 'data' / 'coco_wordnet.yaml'
# the sound classifier's AudioSet classes that name what made the sound (YAMNet's label set)
SOUND_SYNSETS_FILE = Path(__file__).parents[1] / 'models' / 'data' / 'audioset_wordnet.yaml'

# Everyday categories people ask about -> the WordNet synsets whose hyponyms belong to them, and
# those that do not although WordNet places them below (WordNet files a wheeled vehicle under
# container, a spoon under cutlery and container).
# `categories()` lists them nearest first.
CATEGORIES: dict[str, dict[str, list[str]]] = {
    'animal': {'synsets': ['animal.n.01']},
    'dog': {'synsets': ['dog.n.01']},
    'cat': {'synsets': ['cat.n.01']},
    'bird': {'synsets': ['bird.n.01']},
    'fish': {'synsets': ['fish.n.01']},
    'insect': {'synsets': ['insect.n.01']},
    'reptile': {'synsets': ['reptile.n.01']},
    'person': {'synsets': ['person.n.01']},
    'food': {'synsets': ['food.n.01', 'food.n.02']},
    'fruit': {'synsets': ['edible_fruit.n.01'], 'not': ['vegetable.n.01']},
    'vegetable': {'synsets': ['vegetable.n.01']},
    'drink': {'synsets': ['beverage.n.01']},
    'plant': {'synsets': ['plant.n.02']},
    'flower': {'synsets': ['flower.n.01', 'flower.n.02']},
    'vehicle': {'synsets': ['vehicle.n.01', 'public_transport.n.01']},
    'car': {'synsets': ['car.n.01']},
    'boat': {'synsets': ['boat.n.01', 'ship.n.01']},
    'aircraft': {'synsets': ['aircraft.n.01']},
    'furniture': {'synsets': ['furniture.n.01']},
    'tool': {'synsets': ['tool.n.01']},
    'container': {'synsets': ['container.n.01'], 'not': ['vehicle.n.01', 'cutlery.n.02']},
    'clothing': {'synsets': ['clothing.n.01']},
    'electronic device': {'synsets': ['electronic_device.n.01', 'electronic_equipment.n.01',
                                      'computer.n.01']},
    'appliance': {'synsets': ['home_appliance.n.01']},
    'kitchenware': {'synsets': ['kitchen_utensil.n.01', 'crockery.n.01', 'cutlery.n.02',
                                'cup.n.01', 'drinking_vessel.n.01']},
    'musical instrument': {'synsets': ['musical_instrument.n.01']},
    'sports equipment': {'synsets': ['sports_equipment.n.01']},
    'ball': {'synsets': ['ball.n.01']},
    'toy': {'synsets': ['plaything.n.01']},
    'weapon': {'synsets': ['weapon.n.01']},
    'building': {'synsets': ['building.n.01']},
}

_lock = threading.Lock()


@lru_cache(maxsize=4)
def wordnet(path: str | None = None):
    """The nltk WordNet 3.0 reader over the provisioned copy (role `wordnet`) or `path` (a folder
    holding corpora/wordnet). Loading indexes takes ~2 s, so one reader is shared."""
    import nltk.data
    from nltk.corpus.reader.wordnet import WordNetCorpusReader
    root = Path(path) if path else registry.default_path('wordnet')
    if str(root) not in nltk.data.path:  # nltk reads corpora only under its data paths
        nltk.data.path.append(str(root))
    with warnings.catch_warnings():  # "multilingual functions are not available": not used
        warnings.simplefilter('ignore')
        return WordNetCorpusReader(str(root / 'corpora' / 'wordnet'), None)


def _synset(name: str):
    with _lock:  # nltk fills its caches lazily; one reader is shared by node threads
        return wordnet().synset(name)


def synset_of_wnid(wnid: str) -> str:
    """ImageNet's WordNet id ('n02099601', a noun offset) -> 'golden_retriever.n.01'."""
    if len(wnid) < 2 or wnid[0] not in 'nvasr' or not wnid[1:].isdigit():
        raise ValueError(f'not a WordNet id: {wnid!r}')
    with _lock:
        return wordnet().synset_from_pos_and_offset(wnid[0], int(wnid[1:])).name()


@lru_cache(maxsize=8192)
def _ancestors(synset: str) -> tuple[tuple[str, int], ...]:
    """Every hypernym (instance hypernyms included) with its shortest distance, nearest first."""
    with _lock:
        start = wordnet().synset(synset)
        seen = {start.name(): 0}
        frontier = [start]
        while frontier:
            following = []
            for s in frontier:
                for parent in s.hypernyms() + s.instance_hypernyms():
                    if parent.name() not in seen:
                        seen[parent.name()] = seen[s.name()] + 1
                        following.append(parent)
            frontier = following
    del seen[start.name()]   # `synset` may be an alias ('sea_horse.n.02' is seahorse.n.02)
    return tuple(sorted(seen.items(), key=lambda item: (item[1], item[0])))


def hypernyms(synset: str) -> list[str]:
    """All hypernyms of `synset`, nearest first: golden_retriever.n.01 -> retriever.n.01,
    sporting_dog.n.01, ..., dog.n.01, ..., animal.n.01, ..., entity.n.01."""
    return [name for name, _ in _ancestors(synset)]


def direct_hypernyms(synset: str) -> list[str]:
    """The hypernyms one step above `synset` (usually one; a few synsets have two)."""
    return [name for name, distance in _ancestors(synset) if distance == 1]


def _category(name: str) -> dict[str, list[str]]:
    if name in CATEGORIES:
        return CATEGORIES[name]
    if name.count('.') >= 2:  # a synset name such as 'rodent.n.01'
        _synset(name)  # raises for a synset WordNet does not have
        return {'synsets': [name]}
    raise KeyError(f'unknown category {name!r}: a synset name or one of {sorted(CATEGORIES)}')


def _distance(synset: str, category: dict[str, list[str]]) -> int | None:
    """How many hypernym steps up `category` is from `synset` (0: the synset itself), or None."""
    distances = dict(_ancestors(synset))
    distances[synset] = 0
    if any(excluded in distances for excluded in category.get('not', [])):
        return None
    found = [distances[s] for s in category['synsets'] if s in distances]
    return min(found) if found else None


def is_a(synset: str, category: str) -> bool:
    """Whether `synset` is `category` or a kind of it; `category` is a key of CATEGORIES or a
    synset name: is_a('fox_squirrel.n.01', 'animal'), is_a('lemon.n.01', 'fruit.n.01')."""
    return _distance(synset, _category(category)) is not None


def categories(synset: str) -> list[str]:
    """The CATEGORIES `synset` belongs to, most specific first: golden_retriever.n.01 ->
    ['dog', 'animal']."""
    return list(_categories(synset))


@lru_cache(maxsize=16384)
def _categories(synset: str) -> tuple[str, ...]:
    found = [(d, name) for name, cat in CATEGORIES.items()
             if (d := _distance(synset, cat)) is not None]
    return tuple(name for _, name in sorted(found))


@lru_cache(maxsize=1)
def coco_synsets() -> dict[str, str]:
    """The detector's COCO labels -> WordNet synset names (src/omnilive/vision/data)."""
    return dict(yaml.safe_load(COCO_SYNSETS_FILE.read_text())['synsets'])


def synset_of_label(label: str) -> str | None:
    """A detector label ('cell phone') -> its synset ('cellular_telephone.n.01'), or None."""
    return coco_synsets().get(label)


@lru_cache(maxsize=1)
def sound_synsets() -> dict[str, str]:
    """AudioSet classes that name a sound's source -> WordNet synset names (models/data)."""
    return dict(yaml.safe_load(SOUND_SYNSETS_FILE.read_text())['synsets'])


def synset_of_sound(name: str) -> str | None:
    """A sound class ('Cattle, bovinae', 'Meow') -> the synset of what makes it ('cattle.n.01',
    'cat.n.01'), or None for a class that names no source ('Knock', 'Speech'). No WordNet
    needed: the table is data."""
    return sound_synsets().get(name)


def common_steps(fine: str, coarse: str) -> int | None:
    """How many hypernym steps up from `coarse` the nearest synset is that `fine` also is (0:
    `fine` is `coarse` or a kind of it; 1: they are siblings under coarse's parent), or None
    when they share nothing. A crop the detector calls a cat (cat.n.01) that the classifier
    calls a golden retriever: 2 (both carnivores), a cup called a coffee mug: 1 (containers)."""
    above = set(hypernyms(fine)) | {fine}
    steps = [(0, coarse)] + [(d, s) for s, d in _ancestors(coarse)]
    found = [d for d, s in steps if s in above]
    return min(found) if found else None


def hedge(scored, threshold: float, max_steps: int = 2, roots: bool = True,
          lineages: bool = True, leaf_threshold: float | None = None
          ) -> tuple[str, float] | None:
    """The most specific synset that is probably right ("hedging your bets", Deng et al. 2012):
    `scored` is [(synset, probability), ...] of a classifier's leaf classes, best first. The
    candidates are the best class; the hypernyms up to `max_steps` above it that belong to one
    of the everyday CATEGORIES (so 'butterfly', 'toy dog' or 'citrus', never 'device' or
    'instrumentality'); with `roots`, also the CATEGORIES' own synsets above it at any distance
    ('animal' for a fox squirrel: a squirrel is 8 steps below it); with `lineages`, the same
    for every scored class (a frame whose classes are a planetarium, a library and a cinema
    is a 'building', whatever its best class). Each candidate holds the summed probability of
    the scored classes that are it or a kind of it; of those that reach `threshold`, the one
    holding the least (the most specific; the nearest to the best class on ties) is returned
    with that sum, or None: a 'monarch' at 0.55 beside 'admiral' 0.2 and 'ringlet' 0.1 is a
    'butterfly' at 0.85. `leaf_threshold` (default `threshold`) is what the best class needs
    to be named itself: a classifier that calls every squirrel a fox squirrel is often right
    that it is a squirrel and less often about which one."""
    leaf_threshold = threshold if leaf_threshold is None else leaf_threshold
    return pick(hedge_candidates(scored, max_steps, roots, lineages), threshold, leaf_threshold)


def hedge_candidates(scored, max_steps: int = 2, roots: bool = True, lineages: bool = True
                     ) -> list[tuple[str, float]]:
    """`hedge`'s candidates with the probability each holds, the best class first, then
    nearest it first (a threshold only chooses among them: `pick`)."""
    if not scored:
        return []
    lineage = [(set(hypernyms(s)) | {s}, float(p)) for s, p in scored]
    candidates: dict[str, None] = {}
    for k, (s, _) in enumerate(scored if lineages else scored[:1]):
        if k == 0:
            candidates[s] = None
        # the roots of the categories it is in (not 'container' for a moped: see CATEGORIES)
        own = {r for name in categories(s) for r in CATEGORIES[name]['synsets']} \
            if roots else set()
        for a, d in _ancestors(s):
            if (d <= max_steps and categories(a)) or a in own:
                candidates.setdefault(a)
    return [(node, sum(p for above, p in lineage if node in above)) for node in candidates]


def pick(candidates: list[tuple[str, float]], threshold: float, leaf_threshold: float
         ) -> tuple[str, float] | None:
    """Of `hedge_candidates`, the one holding the least probability that reaches the threshold
    (`leaf_threshold` for the best class itself), the nearer on ties; or None."""
    found = None
    for k, (node, mass) in enumerate(candidates):
        if mass >= (leaf_threshold if k == 0 else threshold) and \
                (found is None or mass < found[1] - 1e-9):
            found = (node, mass)
    return found


def coco_label_of(synset: str) -> str | None:
    """The detector's COCO label that `synset` is or is a kind of, nearest first
    (egyptian_cat.n.01 -> 'cat', moped.n.01 -> 'motorcycle'), or None."""
    by_synset = {s: label for label, s in coco_synsets().items()}
    for s in [synset] + hypernyms(synset):
        if s in by_synset:
            return by_synset[s]
    return None


def wnid_and_name(synset: str) -> tuple[str, str]:
    """'butterfly.n.01' -> ('n02274259', 'butterfly'): ImageNet's id form and its name (`name`)."""
    with _lock:
        s = wordnet().synset(synset)
    return f'{s.pos()}{s.offset():08d}', name(synset)


def name(synset: str) -> str:
    """What a synset is called: its first lemma; but when that lemma names other things too
    and the synset has the same lemma followed by one of its categories, that longer one,
    which says which thing is meant ('citrus' is a fruit and a tree: citrus.n.01 is a 'citrus
    fruit'; a 'hound' is a dog and a scoundrel: hound.n.01 is a 'hound dog')."""
    kinds = [c for c in categories(synset) if synset not in CATEGORIES[c]['synsets']]
    with _lock:
        w = wordnet()
        lemmas = [lemma.name() for lemma in w.synset(synset).lemmas()]
        ambiguous = len(w.synsets(lemmas[0], 'n')) > 1
    longer = [n for n in lemmas[1:] if any(n.lower() == f'{lemmas[0].lower()}_{c}' for c in kinds)]
    return (longer[0] if ambiguous and longer else lemmas[0]).replace('_', ' ')
