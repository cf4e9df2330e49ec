"""Conversions between ROS messages and omnilive's plain data types."""
from __future__ import annotations

import json

from builtin_interfaces.msg import Time
from geometry_msgs.msg import Pose as PoseMsg

from omnilive.memory.types import Label, MemoryItem
from omnilive.ros.interfaces import omnilive_msgs


def to_time(seconds: float) -> Time:
    if seconds <= 0:
        return Time()
    sec = int(seconds)
    nanosec = int(round((seconds - sec) * 1e9))
    if nanosec >= 1_000_000_000:
        sec, nanosec = sec + 1, nanosec - 1_000_000_000
    return Time(sec=sec, nanosec=nanosec)


def from_time(stamp) -> float:
    return stamp.sec + stamp.nanosec * 1e-9


def pose_to_msg(pose) -> PoseMsg:
    msg = PoseMsg()
    if pose is not None:
        x, y, z, qx, qy, qz, qw = pose
        msg.position.x, msg.position.y, msg.position.z = float(x), float(y), float(z)
        msg.orientation.x, msg.orientation.y = float(qx), float(qy)
        msg.orientation.z, msg.orientation.w = float(qz), float(qw)
    return msg


def pose_from_msg(msg: PoseMsg):
    p, o = msg.position, msg.orientation
    return (p.x, p.y, p.z, o.x, o.y, o.z, o.w)


def label_to_msg(label: Label):
    attributes = label.to_dict().get('attributes')
    return omnilive_msgs().Label(kind=label.kind, name=label.name, count=label.count,
                                 synset=label.synset, score=label.score,
                                 attributes_json=json.dumps(attributes) if attributes else '')


def label_from_msg(msg) -> Label:
    attributes = {}
    if msg.attributes_json:
        try:
            attributes = json.loads(msg.attributes_json)
        except ValueError as err:
            raise ValueError(f'label {msg.name!r}: attributes_json is not JSON: {err}') from err
        if not isinstance(attributes, dict):
            raise ValueError(f'label {msg.name!r}: attributes_json must hold a JSON object')
    return Label(kind=msg.kind, name=msg.name, count=int(msg.count), synset=msg.synset,
                 score=float(msg.score), attributes=attributes)


def item_to_msg(item: MemoryItem):
    msg = omnilive_msgs().MemoryItem()
    msg.id = item.id
    msg.kind = item.kind
    msg.level = item.level
    msg.start = to_time(item.start)
    msg.end = to_time(item.end)
    msg.text = item.text
    msg.labels = [label_to_msg(label) for label in item.labels]
    msg.score = float(item.score)
    msg.has_pose = item.pose is not None
    msg.pose = pose_to_msg(item.pose)
    msg.robot_id = item.robot_id
    msg.frame_id = item.frame_id if item.pose is not None else ''
    if item.keyframe_jpeg:
        msg.keyframe.format = 'jpeg'
        msg.keyframe.data = item.keyframe_jpeg
    if item.image_embedding is not None:
        msg.image_embedding = [float(v) for v in item.image_embedding]
    return msg


def item_from_msg(msg) -> MemoryItem:
    try:
        labels = [label_from_msg(label) for label in msg.labels]
    except (ValueError, TypeError) as err:
        raise type(err)(f'item {msg.id}: {err}') from err
    return MemoryItem(
        id=msg.id,
        kind=msg.kind,
        level=msg.level or 'short',
        start=from_time(msg.start),
        end=from_time(msg.end),
        text=msg.text,
        labels=labels,
        score=float(msg.score),
        pose=pose_from_msg(msg.pose) if msg.has_pose else None,
        keyframe_jpeg=bytes(msg.keyframe.data),
        image_embedding=list(msg.image_embedding) or None,
        robot_id=msg.robot_id,
        frame_id=msg.frame_id if msg.has_pose else '',
    )
