"""GPU-profile loaders (transformers Auto classes) run here, on CPU, with tiny models built by the
test, through the same code a robot runs with SigLIP/CLIP and a VLM on CUDA."""
import numpy as np
import pytest

from omnilive.models import registry
from tests.models.tiny_models import build_tiny_clip, build_tiny_smolvlm

RNG = np.random.default_rng(0)


@pytest.fixture(scope='module')
def tiny_clip(tmp_path_factory):
    return build_tiny_clip(tmp_path_factory.mktemp('tiny-clip'))


def test_image_embedder_loads_and_embeds(tiny_clip):
    from omnilive.models.image_embedding import ImageEmbedder
    embedder = ImageEmbedder(str(tiny_clip), device='cuda', threads=1)  # falls back to CPU here
    assert embedder.device == 'cpu'
    images = [RNG.integers(0, 256, (48, 64, 3), dtype=np.uint8) for _ in range(3)]
    vectors = embedder.embed(images)
    assert vectors.shape == (3, 16) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.allclose(embedder.embed(images[:1]), vectors[:1], atol=1e-5)  # deterministic
    assert not np.allclose(vectors[0], vectors[1])
    text = embedder.embed_text(['two people and a car', 'a red cup'])
    assert text.shape == (2, 16)


@pytest.fixture(scope='module')
def tiny_vlm(tmp_path_factory):
    from omnilive.models.vlm import VisionLanguageModel
    path = build_tiny_smolvlm(tmp_path_factory.mktemp('tiny-smolvlm'))
    return VisionLanguageModel(str(path), device='cuda', threads=1)  # CPU fallback here


def test_vlm_streams_deterministically_over_images(tiny_vlm):
    images = [RNG.integers(0, 256, (90, 120, 3), dtype=np.uint8) for _ in range(2)]
    messages = [{'role': 'system', 'content': 'Answer from the images.'},
                {'role': 'user', 'content': 'what do you see'}]
    first = list(tiny_vlm.stream(messages, images, max_tokens=6, temperature=0))
    again = list(tiny_vlm.stream(messages, images, max_tokens=6, temperature=0))
    assert first and first == again
    assert len(first) <= 6  # one streamed piece per generated token at most
    assert isinstance(tiny_vlm.caption(images[0], max_tokens=4), str)


def test_vlm_stops_when_asked(tiny_vlm):
    image = RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    pieces = list(tiny_vlm.stream([{'role': 'user', 'content': 'describe'}], [image],
                                  max_tokens=50, should_stop=lambda: True))
    assert len(''.join(pieces)) <= 8  # stopped after the first token instead of 50


def test_onnx_providers_fall_back_to_cpu():
    assert registry.onnx_providers('tensorrt')[-1] == 'CPUExecutionProvider'
    assert registry.onnx_providers('cpu') == ['CPUExecutionProvider']
    with pytest.raises(ValueError):
        registry.onnx_providers('tpu')
