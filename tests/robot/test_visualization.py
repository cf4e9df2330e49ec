"""What RViz and Foxglove get to show, from the real FrameAnalyzer on a real photo: opencv-doc's
scenetext01.jpg (looked at: a NOTICE / DOUBLE PARKING / PROHIBITED / AT ALL TIMES sign on a
pole in the upper centre, a silver station wagon parked right of centre, a woman in a red top at
the right edge, a man in a white shirt at the left edge, a blue newspaper box bottom left).
Detection2DArray and MarkerArray are checked field by field and through CDR serialization (what
goes on the wire); the debug image pixel by pixel."""
import numpy as np
import pytest
from rclpy.serialization import deserialize_message, serialize_message
from visualization_msgs.msg import Marker, MarkerArray

from omnilive.bags import media
from omnilive.ros import visualization as V
from omnilive.vision import annotate as A
from omnilive.vision.clips import ClipBuilder, FrameAnalyzer

pytestmark = pytest.mark.models
W, H = 640, 480
CAMERA_FRAME = 'front_camera_optical'


@pytest.fixture(scope='module')
def scene():
    from omnilive.models.classifier import ImageClassifier
    from omnilive.models.detector import Detector
    from omnilive.models.ocr import TextReader
    analyzer = FrameAnalyzer(Detector(threads=1), TextReader(threads=1),
                             classifier=ImageClassifier(threads=1))
    rgb = next(media.frames('opencv:text/scenetext01.jpg', 1, 1, (W, H)))
    return rgb, analyzer.analyze(rgb, 0)


def boxes_named(msg, name):
    return [d for d in msg.detections if name in [r.hypothesis.class_id for r in d.results]]


def test_detections_of_a_frame(scene):
    rgb, found = scene
    msg = V.detections_msg(found.objects, 1700000000.25, CAMERA_FRAME)
    assert msg.header.frame_id == CAMERA_FRAME and msg.header.stamp.sec == 1700000000
    assert msg.header.stamp.nanosec == 250_000_000
    assert deserialize_message(serialize_message(msg), type(msg)) == msg   # all float64
    for det in msg.detections:
        c, sx, sy = det.bbox.center.position, det.bbox.size_x, det.bbox.size_y
        assert det.header == msg.header and det.results
        assert 0 <= c.x - sx / 2 and c.x + sx / 2 <= W + 1 and 0 <= c.y - sy / 2 <= H
        assert all(0.0 < r.hypothesis.score <= 1.0 for r in det.results)
    cars = boxes_named(msg, 'car')
    assert len(cars) == 1, [[r.hypothesis.class_id for r in d.results] for d in msg.detections]
    car = cars[0].bbox
    assert W / 2 < car.center.position.x < W * 0.9 and H * 0.6 < car.center.position.y < H
    people = boxes_named(msg, 'person')
    assert len(people) >= 2 and {p.bbox.center.position.x < W / 4 for p in people} == {
        True, False}   # one at the left edge, one at the right
    # one Detection2D per box: the classifier's finer names join the detector's box
    refined = [f for f in found.objects if f.refines]
    assert len(msg.detections) == len({tuple(f.box) for f in found.objects
                                       if f.source != 'scene'})
    for fact in refined:
        det = [d for d in msg.detections if fact.name in
               [r.hypothesis.class_id for r in d.results]][0]
        assert [r.hypothesis.class_id for r in det.results][-1] == fact.refines


def test_debug_image_draws_boxes_people_and_text(scene):
    rgb, found = scene
    before = rgb.copy()
    assert any('PARKING' in t.upper() for t in found.texts), found.texts
    image = A.annotate(rgb, found.objects, found.texts)
    assert np.array_equal(rgb, before)                      # the input is left alone
    assert image.dtype == np.uint8 and image.shape[1] == W and image.shape[0] > H
    top, panel = image[:H], image[H:]
    assert (panel == A.PANEL_RGB).all(axis=2).mean() > 0.5  # a dark panel...
    assert (panel > 128).all(axis=2).sum() > 200            # ...with the text read written in it
    car = [f for f in found.objects if f.name == 'car'][0]
    x1, y1, x2, y2 = (int(round(v)) for v in car.box)
    edge = top[min(y2, H - 1), x1 + 5:x2 - 5]               # the box's bottom edge
    colours = {A.OBJECT_RGB, A.REFINED_RGB}
    assert np.mean([tuple(p) in colours for p in edge]) > 0.9
    woman = max((f for f in found.objects if f.name == 'person'), key=lambda f: f.box[0])
    tag = A.describe(woman)
    assert tag.startswith('person ') and 'red top' in tag, tag
    wx1, wy1, wx2, wy2 = (int(round(v)) for v in woman.box)
    left = top[wy1 + 5:min(wy2, H) - 5, min(wx1, W - 1)]   # the person box's left edge
    assert np.mean([tuple(p) == A.PERSON_RGB for p in left]) > 0.9
    # nothing found: the same picture back
    assert np.array_equal(A.annotate(rgb, [], []), rgb)
    with pytest.raises(ValueError):
        A.annotate(rgb[..., 0], found.objects)


def test_memory_markers_of_items_with_a_pose(scene):
    rgb, found = scene
    clip = ClipBuilder(100.0)
    clip.add_frame(100.0, rgb, found.counts, found.texts, None, found.embedding, found.objects)
    seen = clip.item()
    seen.pose, seen.frame_id = (2.0, -1.0, 0.0, 0.0, 0.0, 0.7071068, 0.7071068), 'map'
    from omnilive.memory.types import MemoryItem
    note = MemoryItem(id='note-1', kind='note', start=101.0, end=102.0,
                      text='my keys are on the shelf', pose=(0.5, 0.5, 0.0, 0, 0, 0, 1.0))
    unplaced = MemoryItem(id='speech-1', kind='speech', start=103.0, end=104.0, text='hello')
    msg = V.memory_markers([seen, note, unplaced], 200.0, default_frame='odom')
    once = deserialize_message(serialize_message(msg), MarkerArray)   # colours become float32
    assert deserialize_message(serialize_message(once), MarkerArray) == once
    assert [(m.id, m.ns, m.type, m.text) for m in once.markers] == \
        [(m.id, m.ns, m.type, m.text) for m in msg.markers]
    assert msg.markers[0].action == Marker.DELETEALL
    placed = msg.markers[1:]
    assert len(placed) == 4                                   # shape + caption per placed item
    shape, text = placed[0], placed[1]
    assert shape.type == V.KIND_STYLE['clip'][0] and text.type == Marker.TEXT_VIEW_FACING
    assert shape.header.frame_id == text.header.frame_id == 'map'
    assert (shape.pose.position.x, shape.pose.position.y) == (2.0, -1.0)
    assert text.pose.position.z > shape.pose.position.z
    assert shape.id == text.id == V.marker_id(seen.id) and shape.ns != text.ns
    caption = text.text.replace('\n', ' ')
    assert 'car' in caption and 'NOTICE' in caption.upper()   # the clip's caption, cut short
    assert len(caption) <= V.CAPTION_CHARS and seen.text.startswith(caption.rstrip('.'))
    assert all(len(line) <= V.CAPTION_WIDTH for line in text.text.split('\n'))
    assert placed[2].type == Marker.ARROW and placed[2].header.frame_id == 'odom'
    assert placed[3].text == 'my keys are on the shelf'
    assert V.memory_markers([seen], 201.0).markers[1].id == shape.id   # stable across messages
