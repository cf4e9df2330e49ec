"""Image classifier (role image_classifier): the real EfficientNet-Lite0 on real photos."""
import json

import cv2
import numpy as np
import pytest

from omnilive.models.classifier import (CALIBRATION_FILE, ImageClassifier, crop,
                                        label_is_correct)
from omnilive.vision import categories

pytestmark = pytest.mark.models

OPENCV = '/usr/share/doc/opencv-doc/examples/data/'


def photo(name: str) -> np.ndarray:
    if name.startswith('skimage:'):
        import skimage.data
        return getattr(skimage.data, name.split(':')[1])()
    bgr = cv2.imread(OPENCV + name, cv2.IMREAD_COLOR)
    assert bgr is not None, f'{OPENCV + name} missing: apt-get install opencv-doc'
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


@pytest.fixture(scope='module')
def model():
    return ImageClassifier(threads=2)


# (image, box or None, the synset the top-1 label must be or be a kind of, a category of it)
EXPECTED = [
    ('skimage:coffee', None, 'espresso.n.01', 'drink'),
    ('skimage:chelsea', None, 'domestic_cat.n.01', 'cat'),
    ('skimage:astronaut', (350, 0, 475, 290), 'space_shuttle.n.01', 'vehicle'),
    ('squirrel_cls.jpg', None, 'fox_squirrel.n.01', 'animal'),
    ('apple.jpg', None, 'apple.n.01', 'fruit'),
    ('fruits.jpg', (315, 245, 512, 480), 'lemon.n.01', 'fruit'),
    ('stuff.jpg', (305, 305, 365, 465), 'lighter.n.02', None),
    ('chicky_512.png', None, 'toy_dog.n.01', 'dog'),
]


@pytest.mark.parametrize('image,box,synset,category', EXPECTED,
                         ids=[e[0].split(':')[-1] + ('-crop' if e[1] else '') for e in EXPECTED])
def test_top_label_on_real_photos(model, image, box, synset, category):
    rgb = photo(image)
    if box:
        rgb = crop(rgb, box)
    top = model.classify(rgb, top_k=5)
    assert len(top) == 5 and top[0].score >= top[-1].score
    predicted = categories.synset_of_wnid(top[0].wnid)
    assert predicted == synset or synset in categories.hypernyms(predicted), (predicted, top)
    if category:
        assert category in categories.categories(predicted)


def test_clear_views_are_trusted(model):
    for image, box in [('skimage:coffee', None), ('fruits.jpg', (315, 245, 512, 480)),
                       ('stuff.jpg', (305, 305, 365, 465))]:
        rgb = photo(image) if box is None else crop(photo(image), box)
        assert len(model.confident(model.classify(rgb, top_k=3))) == 1, image


def test_names_and_scores(model):
    top = model.classify(photo('skimage:coffee'), top_k=3)
    assert top[0].name == 'espresso' and top[0].wnid == 'n07920052'
    probabilities = model.probabilities([photo('skimage:coffee')])
    assert probabilities.shape == (1, 1000)
    assert abs(float(probabilities.sum()) - 1.0) < 1e-4


def test_batch_matches_single_images(model):
    rgb = photo('fruits.jpg')
    boxes = [(315, 245, 512, 480), (70, 45, 345, 470)]
    batch = model.classify_boxes(rgb, boxes, top_k=2, margin=0.0)
    for box, result in zip(boxes, batch):
        single = model.classify(crop(rgb, box), top_k=2)
        assert [r.wnid for r in result] == [r.wnid for r in single]
        assert abs(result[0].score - single[0].score) < 1e-4
    assert model.classify_batch([], top_k=2) == []


def test_a_painting_is_not_trusted(model):
    # no ImageNet class names a painting of a night sky; its top label must stay below threshold
    top = model.classify(photo('starry_night.jpg'), top_k=1)
    assert model.confident(top) == []


def test_calibration_file():
    calibration = json.loads(CALIBRATION_FILE.read_text())
    assert 0.0 < calibration['threshold'] < 1.0
    assert calibration['heldout']['precision'] >= calibration['target_precision'] == 0.9
    assert calibration['heldout']['items'] + calibration['fit']['items'] >= 30
    assert len(calibration['rows']) == calibration['heldout']['items'] + \
        calibration['fit']['items'] + calibration['public']['items']
    # the public evaluation bag's photos are in neither half
    assert all(r['half'] == 'public' for r in calibration['rows'] if 'squirrel_cls' in r['id']
               or r['id'] == 'squirrel')
    assert 0.0 < calibration['threshold'] <= calibration['leaf_threshold'] <= 1.0


def test_correctness_rule():
    assert label_is_correct('tabby.n.01', ['domestic_cat.n.01'])        # a kind of it
    assert label_is_correct('domestic_cat.n.01', ['tabby.n.01'])        # one step up
    assert not label_is_correct('cat.n.01', ['tabby.n.01'])             # two steps up
    assert not label_is_correct('modem.n.01', [])                       # nothing to name
    assert not label_is_correct('lemon.n.01', ['orange.n.01'])          # siblings differ


def test_crop_is_clipped_and_never_empty():
    rgb = np.zeros((10, 20, 3), np.uint8)
    assert crop(rgb, (-5, -5, 30, 30)).shape == (10, 20, 3)
    assert crop(rgb, (25, 12, 40, 40)).shape[:2] == (1, 1)
    assert crop(rgb, (4, 2, 8, 6), margin=0.5).shape[:2] == (8, 8)
