"""Image conversion for every encoding cv_bridge handles for cameras, with step padding."""
import cv2
import numpy as np
import pytest
from sensor_msgs.msg import CompressedImage, Image

from omnilive.vision.image_convert import (compressed_to_rgb, image_to_array, image_to_rgb,
                                           rgb_to_image_fields, rgb_to_jpeg)

RNG = np.random.default_rng(7)
RGB = RNG.integers(0, 256, size=(5, 7, 3), dtype=np.uint8)


def make_image(arr: np.ndarray, encoding: str, pad: int = 0, bigendian: bool = False) -> Image:
    """Build an Image whose rows are padded with `pad` junk bytes (as drivers do for alignment)."""
    h, w = arr.shape[:2]
    a = arr.astype(arr.dtype.newbyteorder('>' if bigendian else '<'))
    rows = a.reshape(h, -1).view(np.uint8).reshape(h, -1)
    padded = np.concatenate([rows, np.full((h, pad), 0xAB, np.uint8)], axis=1)
    return Image(height=h, width=w, encoding=encoding, is_bigendian=int(bigendian),
                 step=padded.shape[1], data=padded.tobytes())


@pytest.mark.parametrize('pad', [0, 3, 16])
@pytest.mark.parametrize('encoding,make', [
    ('rgb8', lambda rgb: rgb),
    ('bgr8', lambda rgb: rgb[..., ::-1]),
    ('rgba8', lambda rgb: np.dstack([rgb, np.full(rgb.shape[:2], 200, np.uint8)])),
    ('bgra8', lambda rgb: np.dstack([rgb[..., ::-1], np.full(rgb.shape[:2], 9, np.uint8)])),
])
def test_color_encodings_round_to_rgb(encoding, make, pad):
    msg = make_image(np.ascontiguousarray(make(RGB)), encoding, pad)
    assert np.array_equal(image_to_rgb(msg), RGB)


@pytest.mark.parametrize('pad', [0, 1, 8])
def test_mono8(pad):
    gray = RGB[..., 0]
    out = image_to_rgb(make_image(gray, 'mono8', pad))
    assert out.shape == (5, 7, 3)
    assert all(np.array_equal(out[..., c], gray) for c in range(3))


@pytest.mark.parametrize('bigendian', [False, True])
@pytest.mark.parametrize('pad', [0, 2, 6])
def test_mono16_values_and_endianness(pad, bigendian):
    depth = RNG.integers(0, 65536, size=(4, 6), dtype=np.uint16)
    msg = make_image(depth, 'mono16', pad, bigendian)
    assert np.array_equal(image_to_array(msg), depth)
    assert np.array_equal(image_to_rgb(msg)[..., 1], (depth >> 8).astype(np.uint8))


@pytest.mark.parametrize('encoding', ['rgb8', 'bgr8', 'rgba8', 'bgra8'])
def test_round_trip_through_fields(encoding):
    msg = Image(**rgb_to_image_fields(RGB, encoding))
    assert np.array_equal(image_to_rgb(msg), RGB)


def test_mono8_fields():
    msg = Image(**rgb_to_image_fields(RGB, 'mono8'))
    assert np.array_equal(image_to_array(msg), cv2.cvtColor(RGB, cv2.COLOR_RGB2GRAY))


@pytest.mark.parametrize('ext', ['.png', '.jpg'])
def test_compressed(ext):
    smooth = cv2.resize(RGB, (64, 48), interpolation=cv2.INTER_LINEAR)
    ok, buf = cv2.imencode(ext, cv2.cvtColor(smooth, cv2.COLOR_RGB2BGR))
    assert ok
    out = compressed_to_rgb(CompressedImage(format=ext[1:], data=buf.tobytes()))
    tolerance = 0 if ext == '.png' else 40
    assert out.shape == smooth.shape
    assert np.abs(out.astype(int) - smooth.astype(int)).mean() <= tolerance


def test_rgb_to_jpeg_decodes():
    smooth = cv2.resize(RGB, (64, 48))
    out = compressed_to_rgb(CompressedImage(format='jpeg', data=rgb_to_jpeg(smooth, 95)))
    assert np.abs(out.astype(int) - smooth.astype(int)).mean() < 10


@pytest.mark.parametrize('msg,reason', [
    (Image(height=2, width=2, encoding='yuv422', step=4, data=bytes(8)), 'unsupported'),
    (Image(height=0, width=2, encoding='rgb8', step=6, data=b''), 'empty'),
    (Image(height=2, width=2, encoding='rgb8', step=5, data=bytes(12)), 'step'),
    (Image(height=2, width=2, encoding='rgb8', step=6, data=bytes(7)), 'needs'),
    (Image(height=10000, width=10000, encoding='mono8', step=10000, data=b''), 'limit'),
])
def test_bad_images_raise_clear_errors(msg, reason):
    with pytest.raises(ValueError, match=reason):
        image_to_rgb(msg)


def test_bad_compressed_raises():
    with pytest.raises(ValueError, match='decode'):
        compressed_to_rgb(CompressedImage(format='jpeg', data=b'\xff\xd8not a jpeg'))
    with pytest.raises(ValueError, match='no data'):
        compressed_to_rgb(CompressedImage(format='png', data=b''))
