"""What RViz and Foxglove show of omnilive: the detections of each analysed frame as
vision_msgs/Detection2DArray, and the memory items that have a pose as a
visualization_msgs/MarkerArray (a shape per kind and the caption above it). Message builders
only, no node: the nodes publish them on the topics named here (one place, also read by the
RViz and Foxglove layouts' test). The annotated debug image is drawn by
omnilive.vision.annotate."""
from __future__ import annotations

import textwrap
import zlib
from typing import Iterable

from builtin_interfaces.msg import Duration, Time
from std_msgs.msg import ColorRGBA, Header
from visualization_msgs.msg import Marker, MarkerArray

from omnilive.memory.types import MemoryItem
from omnilive.ros.convert import pose_to_msg, to_time
from omnilive.ros.interfaces import require
from omnilive.vision.facts import SCENE, ObjectFact

# Output topics (relative: under the graph's namespace) and their types.
DETECTIONS_TOPIC = 'detections'            # perception, one message per analysed frame
DEBUG_IMAGE_TOPIC = 'debug_image'          # perception, sensor_msgs/Image; off by default
MEMORY_MARKERS_TOPIC = 'memory/markers'    # memory, the items with a pose
TOPICS = {
    DETECTIONS_TOPIC: 'vision_msgs/msg/Detection2DArray',
    DEBUG_IMAGE_TOPIC: 'sensor_msgs/msg/Image',
    MEMORY_MARKERS_TOPIC: 'visualization_msgs/msg/MarkerArray',
}

# Marker shape and colour (r, g, b) per memory kind; sizes in metres.
KIND_STYLE = {
    'clip': (Marker.CUBE, (0.20, 0.55, 1.00), 0.30),
    'speech': (Marker.SPHERE, (0.20, 0.85, 0.35), 0.25),
    'sound': (Marker.CYLINDER, (1.00, 0.60, 0.10), 0.25),
    'note': (Marker.ARROW, (0.90, 0.20, 0.70), 0.40),
    'episode': (Marker.SPHERE, (0.60, 0.60, 0.60), 0.45),
}
CAPTION_CHARS, CAPTION_WIDTH = 160, 40   # RViz text markers: short, wrapped lines
TEXT_HEIGHT = 0.12


def vision_msgs():
    """vision_msgs.msg (the real package, or the compat/ definition scripts/setup.sh builds)."""
    return require('vision_msgs', 'msg')


def header(stamp: float | Time, frame_id: str) -> Header:
    return Header(stamp=stamp if isinstance(stamp, Time) else to_time(stamp), frame_id=frame_id)


def detections_msg(objects: Iterable[ObjectFact], stamp: float | Time, frame_id: str):
    """A Detection2DArray of one analysed frame (FrameFacts.objects): one Detection2D per box,
    its hypotheses most specific first (the classifier's names for the box, then the
    detector's). Whole-frame scene classifications are no detections and are left out. Boxes in
    pixels of the analysed image, whose header (stamp, camera frame) this one repeats."""
    vm = vision_msgs()
    by_box: dict[tuple, list[ObjectFact]] = {}
    for fact in objects:
        if fact.source != SCENE:
            by_box.setdefault(tuple(round(float(v), 2) for v in fact.box), []).append(fact)
    out = vm.Detection2DArray(header=header(stamp, frame_id))
    for i, (box, facts) in enumerate(by_box.items()):
        x1, y1, x2, y2 = box
        det = vm.Detection2D(header=out.header, id=str(i))
        det.bbox.center.position.x, det.bbox.center.position.y = (x1 + x2) / 2, (y1 + y2) / 2
        det.bbox.size_x, det.bbox.size_y = x2 - x1, y2 - y1
        # the refining (classifier) facts first, then the detector's own label
        for fact in sorted(facts, key=lambda f: not f.refines):
            hyp = vm.ObjectHypothesisWithPose()
            hyp.hypothesis.class_id, hyp.hypothesis.score = fact.name, float(fact.score)
            det.results.append(hyp)
        out.detections.append(det)
    return out


def marker_id(item_id: str) -> int:
    """A stable int32 marker id from a memory item id (the same item keeps its marker)."""
    return zlib.crc32(item_id.encode()) & 0x7FFFFFFF


def caption(item: MemoryItem) -> str:
    text = ' '.join(item.text.split()) or item.kind
    if len(text) > CAPTION_CHARS:
        text = text[:CAPTION_CHARS - 3].rstrip() + '...'
    return '\n'.join(textwrap.wrap(text, CAPTION_WIDTH))


def memory_markers(items: Iterable[MemoryItem], stamp: float | Time,
                   default_frame: str = 'odom', replace: bool = True) -> MarkerArray:
    """Markers of the items that have a pose, in each item's own frame (item.frame_id; items
    stored before frames were recorded use `default_frame`): a shape coloured by kind where
    the robot was, the caption floating above it. `replace`: start with DELETEALL, so items
    forgotten since the last message disappear."""
    out = MarkerArray()
    if replace:
        out.markers.append(Marker(action=Marker.DELETEALL))
    forever = Duration()
    for item in items:
        if item.pose is None:
            continue
        shape, (r, g, b), size = KIND_STYLE.get(item.kind, KIND_STYLE['clip'])
        head = header(stamp, item.frame_id or default_frame)
        pose = pose_to_msg(item.pose)
        body = Marker(header=head, ns=item.kind, id=marker_id(item.id), type=shape,
                      action=Marker.ADD, pose=pose, lifetime=forever,
                      color=ColorRGBA(r=r, g=g, b=b, a=0.8))
        body.scale.x = size   # an arrow's length, the others' diameter
        body.scale.y = body.scale.z = size / 4 if shape == Marker.ARROW else size
        text = Marker(header=head, ns=f'{item.kind}/caption', id=marker_id(item.id),
                      type=Marker.TEXT_VIEW_FACING, action=Marker.ADD, pose=pose_to_msg(item.pose),
                      lifetime=forever, text=caption(item),
                      color=ColorRGBA(r=1.0, g=1.0, b=1.0, a=1.0))
        text.pose.position.z += size + TEXT_HEIGHT * (1 + text.text.count('\n'))
        text.scale.z = TEXT_HEIGHT
        out.markers += [body, text]
    return out
