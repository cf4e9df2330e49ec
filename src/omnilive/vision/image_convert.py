"""sensor_msgs/Image and CompressedImage <-> numpy, without cv_bridge.

Covers what cv_bridge does for the encodings robots publish (rgb8, bgr8, rgba8, bgra8, mono8,
mono16, any `step` padding, either endianness) and decodes compressed jpeg/png with OpenCV.
The PyPI cv-bridge is a ROS 1 port that fails with numpy 2, hence this module.
Works on any object with the message's fields, so it imports no ROS package.
Bad input raises ValueError with the reason; callers count and log the drop.
"""
from __future__ import annotations

import cv2
import numpy as np

# encoding -> (channels, dtype, channel order of the source)
ENCODINGS = {
    'rgb8': (3, np.uint8, 'rgb'),
    'bgr8': (3, np.uint8, 'bgr'),
    'rgba8': (4, np.uint8, 'rgba'),
    'bgra8': (4, np.uint8, 'bgra'),
    'mono8': (1, np.uint8, 'mono'),
    '8UC1': (1, np.uint8, 'mono'),
    'mono16': (1, np.uint16, 'mono'),
    '16UC1': (1, np.uint16, 'mono'),
    '8UC3': (3, np.uint8, 'bgr'),
}
MAX_PIXELS = 8192 * 8192  # larger frames are rejected instead of exhausting memory


def image_to_array(msg) -> np.ndarray:
    """The image as stored: HxWxC (or HxW for mono) in the message's own channel order and
    dtype."""
    enc = msg.encoding
    if enc not in ENCODINGS:
        raise ValueError(f'unsupported image encoding {enc!r}; supported: {sorted(ENCODINGS)}')
    channels, dtype, _ = ENCODINGS[enc]
    h, w, step = int(msg.height), int(msg.width), int(msg.step)
    if h <= 0 or w <= 0:
        raise ValueError(f'empty image {w}x{h}')
    if h * w > MAX_PIXELS:
        raise ValueError(f'image {w}x{h} exceeds the {MAX_PIXELS}-pixel limit')
    row_bytes = w * channels * np.dtype(dtype).itemsize
    if step < row_bytes:
        raise ValueError(f'step {step} is smaller than a {enc} row of width {w} '
                         f'({row_bytes} bytes)')
    data = msg.data
    buf = np.frombuffer(data if isinstance(data, (bytes, bytearray, memoryview)) else bytes(data),
                        np.uint8)
    if buf.size < step * (h - 1) + row_bytes:
        raise ValueError(f'data has {buf.size} bytes; {w}x{h} {enc} with step {step} needs '
                         f'{step * h}')
    rows = np.lib.stride_tricks.as_strided(buf, shape=(h, row_bytes), strides=(step, 1))
    pixels = np.ascontiguousarray(rows).view(dtype)
    if np.dtype(dtype).itemsize > 1:
        big_endian = bool(getattr(msg, 'is_bigendian', 0))
        if big_endian != (np.little_endian is False):
            pixels = pixels.byteswap()
    return pixels.reshape(h, w, channels) if channels > 1 else pixels.reshape(h, w)


def image_to_rgb(msg) -> np.ndarray:
    """Any supported Image as HxWx3 uint8 RGB (mono16 scaled to 8 bits, alpha dropped)."""
    arr = image_to_array(msg)
    order = ENCODINGS[msg.encoding][2]
    if arr.dtype == np.uint16:
        arr = (arr >> 8).astype(np.uint8)
    if order == 'mono':
        return cv2.cvtColor(arr, cv2.COLOR_GRAY2RGB)
    if order == 'rgb':
        return arr
    if order == 'bgr':
        return cv2.cvtColor(arr, cv2.COLOR_BGR2RGB)
    if order == 'rgba':
        return cv2.cvtColor(arr, cv2.COLOR_RGBA2RGB)
    return cv2.cvtColor(arr, cv2.COLOR_BGRA2RGB)


def encoded_to_rgb(data: bytes):
    """A JPEG or PNG as RGB, None when it does not decode."""
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
    return None if bgr is None else cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def compressed_to_rgb(msg) -> np.ndarray:
    """A CompressedImage (jpeg/png, any `format` string such as 'rgb8; jpeg compressed bgr8') as
    RGB."""
    data = bytes(msg.data)
    if not data:
        raise ValueError('compressed image has no data')
    rgb = encoded_to_rgb(data)
    if rgb is None:
        raise ValueError(f'could not decode compressed image (format {msg.format!r}, '
                         f'{len(data)} bytes)')
    return rgb


def keyframes_rgb(items, limit: int = 4) -> list[np.ndarray]:
    """The keyframes of memory items (a VLM's images of its evidence), RGB, at most `limit`; an
    item without one or with one that does not decode adds none."""
    frames = [encoded_to_rgb(item.keyframe_jpeg) for item in items if item.keyframe_jpeg]
    return [f for f in frames if f is not None][:limit]


def rgb_to_image_fields(rgb: np.ndarray, encoding: str = 'rgb8') -> dict:
    """Fields for a sensor_msgs/Image holding `rgb` (HxWx3 uint8) in `encoding`; `data` as bytes
    (assigning bytes is ~100x faster than a numpy array for rclpy messages)."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f'expected HxWx3 uint8 RGB, got {rgb.shape} {rgb.dtype}')
    conversions = {'rgb8': None, 'bgr8': cv2.COLOR_RGB2BGR, 'rgba8': cv2.COLOR_RGB2RGBA,
                   'bgra8': cv2.COLOR_RGB2BGRA, 'mono8': cv2.COLOR_RGB2GRAY}
    if encoding not in conversions:
        raise ValueError(f'cannot encode to {encoding!r}; supported: {sorted(conversions)}')
    arr = rgb if conversions[encoding] is None else cv2.cvtColor(rgb, conversions[encoding])
    arr = np.ascontiguousarray(arr)
    h, w = arr.shape[:2]
    return {'height': h, 'width': w, 'encoding': encoding, 'is_bigendian': 0,
            'step': arr.strides[0], 'data': arr.tobytes()}


def rgb_to_jpeg(rgb: np.ndarray, quality: int = 85) -> bytes:
    ok, buf = cv2.imencode('.jpg', cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR),
                           [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError('JPEG encoding failed')
    return buf.tobytes()
