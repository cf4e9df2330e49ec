"""Property-based: whatever the image fields say, conversion returns a correct RGB image or raises
ValueError (which the node counts as a drop), never anything else."""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sensor_msgs.msg import CompressedImage, Image

from omnilive.vision.image_convert import (ENCODINGS, compressed_to_rgb, image_to_rgb,
                                           rgb_to_image_fields)

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(encoding=st.sampled_from(sorted(ENCODINGS) + ['yuv422', '32FC1', '', 'RGB8']),
       height=st.integers(-2, 40), width=st.integers(-2, 40), step=st.integers(-1, 200),
       length=st.integers(0, 5000), bigendian=st.booleans())
def test_arbitrary_fields_convert_or_raise_value_error(encoding, height, width, step, length,
                                                       bigendian):
    msg = Image()
    msg.encoding = encoding
    # Message fields are unsigned: out-of-range values are rejected by the type itself.
    msg.height, msg.width, msg.step = max(height, 0), max(width, 0), max(step, 0)
    msg.is_bigendian = int(bigendian)
    msg.data = bytes(length)
    try:
        rgb = image_to_rgb(msg)
    except ValueError:
        return
    assert rgb.shape == (msg.height, msg.width, 3) and rgb.dtype == np.uint8


@SETTINGS
@given(height=st.integers(1, 24), width=st.integers(1, 24), pad=st.integers(0, 9),
       encoding=st.sampled_from(['rgb8', 'bgr8', 'rgba8', 'bgra8']),
       seed=st.integers(0, 2**32 - 1))
def test_padded_rows_never_leak_into_pixels(height, width, pad, encoding, seed):
    rgb = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    fields = rgb_to_image_fields(rgb, encoding)
    rows = np.frombuffer(fields['data'], np.uint8).reshape(height, -1)
    junk = np.full((height, pad), 0x5A, np.uint8)
    fields.update(step=fields['step'] + pad, data=np.hstack([rows, junk]).tobytes())
    assert np.array_equal(image_to_rgb(Image(**fields)), rgb)


@SETTINGS
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(['jpeg', 'png', '', 'rgb8; jpeg']))
def test_corrupt_compressed_bytes_raise_value_error(data, fmt):
    try:
        rgb = compressed_to_rgb(CompressedImage(format=fmt, data=data))
    except ValueError:
        return
    assert rgb.ndim == 3 and rgb.shape[2] == 3


def test_truncated_jpeg_is_rejected_or_decoded_partially():
    import cv2
    img = np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    ok, buf = cv2.imencode('.jpg', img)
    for cut in (2, 20, 200, len(buf) // 2):
        try:
            out = compressed_to_rgb(CompressedImage(format='jpeg', data=buf.tobytes()[:cut]))
        except ValueError:
            continue
        assert out.shape == (64, 64, 3)


def test_8k_frame_converts_and_oversize_is_rejected():
    h, w = 4320, 7680
    bgr = np.zeros((h, w, 3), np.uint8)
    bgr[..., 2] = 255  # pure red in BGR order
    out = image_to_rgb(Image(height=h, width=w, encoding='bgr8', step=w * 3, data=bgr.tobytes()))
    assert out.shape == (h, w, 3) and out[0, 0].tolist() == [255, 0, 0]
    try:
        image_to_rgb(Image(height=9000, width=9000, encoding='mono8', step=9000, data=b''))
    except ValueError as err:
        assert 'limit' in str(err)
    else:
        raise AssertionError('an oversize frame must be rejected')
