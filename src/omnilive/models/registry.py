"""Where models live and how a role's model is found and run.

The default CPU set is provisioned by `omnilive models install` into a cache outside git
($OMNILIVE_MODELS_DIR, else ${XDG_CACHE_HOME:-~/.cache}/omnilive/models) from the recipe in
models/manifest.yaml. A configured model path (a GPU profile's bigger weights) overrides the
default; relative paths are looked up under the package's models/ folder, then the working
directory.
"""
from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

import yaml

from omnilive.paths import share_dir
from omnilive.util.errors import ConfigurationError

log = logging.getLogger(__name__)

ROLES = ('vad', 'asr', 'sound_events', 'object_detector', 'ocr', 'text_embedding', 'llm',
         'tts_voice', 'image_classifier', 'wordnet', 'image_embedding', 'vlm', 'pose')


class ModelNotProvisioned(ConfigurationError, FileNotFoundError):
    pass


def cache_dir() -> Path:
    env = os.environ.get('OMNILIVE_MODELS_DIR')
    if env:
        return Path(env).expanduser()
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return Path(base) / 'omnilive' / 'models'


def manifest_path() -> Path:
    return share_dir() / 'models' / 'manifest.yaml'


@lru_cache(maxsize=None)
def entries() -> tuple[dict, ...]:
    """Every model of the manifest, defaults and named alternatives."""
    with open(manifest_path()) as f:
        return tuple(yaml.safe_load(f)['models'])


def manifest() -> dict:
    """The default model of each role: role -> manifest entry. An entry with an `id` is a named
    model a config selects by that id (`llm.model: qwen2.5-coder-1.5b`); it is its role's
    default only when it says `default: true`."""
    return {e['role']: e for e in entries() if 'id' not in e or e.get('default')}


def named() -> dict:
    """Models selectable by id: id -> manifest entry."""
    return {e['id']: e for e in entries() if 'id' in e}


def key(entry: dict) -> str:
    """What `omnilive models install` calls an entry: its id, else its role."""
    return entry.get('id', entry['role'])


def default_path(role: str) -> Path:
    """The provisioned default model of `role` (a file or directory in the cache)."""
    defaults = manifest()
    if role not in defaults:
        raise KeyError(f'unknown model role {role!r}; known: {sorted(defaults)}')
    return provisioned_path(defaults[role])


def provisioned_path(entry: dict) -> Path:
    """The provisioned file or directory of a manifest entry, checked for completeness."""
    role, name = entry['role'], key(entry)
    if 'entry' not in entry:
        raise ModelNotProvisioned(f'role {role!r} has no default model: configure a model path '
                                  f'for it (see config/gpu.yaml)')
    path = cache_dir() / role / entry['entry']
    if not path.exists():
        command = 'omnilive models install' + ('' if entry is manifest().get(role) else f' {name}')
        raise ModelNotProvisioned(f'model {name!r} for role {role!r} not provisioned at {path}: '
                                  f'run `{command}`')
    problems = incomplete_files(entry)
    if problems:
        raise ModelNotProvisioned(f'model for role {role!r} is damaged: {"; ".join(problems)}. '
                                  f'Run `omnilive models install {name}` to provision it again')
    return path


def incomplete_files(role: str | dict) -> list[str]:
    """The manifest's files of `role` (or of one entry) that are missing or have the wrong size
    in the cache (a cheap check on every load: an interrupted copy or a deleted file names itself
    here instead of failing deep inside a model library; checksums are `omnilive models
    install`'s job)."""
    entry = manifest()[role] if isinstance(role, str) else role
    root = cache_dir() / entry['role']
    problems = []
    for name, expect in (entry.get('files') or {}).items():
        path = root / name
        if not path.is_file():
            problems.append(f'{path} is missing')
        elif 'size' in expect and path.stat().st_size != expect['size']:
            problems.append(f'{path} has {path.stat().st_size} bytes, expected {expect["size"]}')
    return problems


def load_error(role: str, path: str, err: Exception) -> ModelNotProvisioned:
    """A model file that exists but its library cannot load: name it and say what to do."""
    return ModelNotProvisioned(f'cannot load the {role} model {path}: {err}. The file is '
                               'damaged or not a model of this kind: run `omnilive models '
                               f'install {role}` (default model) or check the configured path')


def resolve(role: str, configured: str | os.PathLike | None = None) -> str:
    """The model to load for `role`: the configured manifest id, path or hub id, else the
    provisioned default.

    A configured value that is neither an existing path nor looks like a hub id ("org/name")
    is an error naming the file, so a typo in a config does not silently fall back."""
    if not configured:
        return str(default_path(role))
    text = str(configured)
    entry = named().get(text)
    if entry is not None and entry['role'] == role:  # a manifest model chosen by its id
        return str(provisioned_path(entry))
    for base in (share_dir() / 'models', Path.cwd()):
        candidate = (base / text).expanduser()
        if candidate.exists():
            return str(candidate)
    if Path(text).expanduser().is_absolute() or text.startswith('.') or text.count('/') != 1:
        raise ModelNotProvisioned(f'model file for role {role!r} not found: {text} '
                                  '(check the path in your config, or run '
                                  '`omnilive models install`)')
    return text  # a hub id such as "Qwen/Qwen2-VL-2B-Instruct", resolved by transformers


def onnx_providers(device: str = 'cpu') -> list[str]:
    """Onnxruntime execution providers for `device` (cpu, cuda, tensorrt), best first, keeping
    only those this onnxruntime build has, and always ending with the CPU provider."""
    import onnxruntime as ort
    wanted = {'cpu': [], 'cuda': ['CUDAExecutionProvider'],
              'tensorrt': ['TensorrtExecutionProvider', 'CUDAExecutionProvider']}
    if device not in wanted:
        raise ValueError(f'unknown device {device!r}; expected cpu, cuda or tensorrt')
    available = set(ort.get_available_providers())
    chosen = [p for p in wanted[device] if p in available]
    missing = [p for p in wanted[device] if p not in available]
    if missing:
        log.warning('execution providers %s are not available in this onnxruntime; using %s',
                    missing, chosen + ['CPUExecutionProvider'])
    return chosen + ['CPUExecutionProvider']


def onnx_session(path: str, device: str = 'cpu', threads: int = 1):
    """An onnxruntime session with a bounded thread pool (nodes share a few cores)."""
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, int(threads))
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    if not Path(path).is_file():
        raise ModelNotProvisioned(f'ONNX model not found: {path} (run `omnilive models install`)')
    return ort.InferenceSession(path, sess_options=options, providers=onnx_providers(device))


def load_onnx(role: str, path: str, device: str = 'cpu', threads: int = 1):
    """onnx_session() for a role's model, a damaged file named as the role's load error."""
    try:
        return onnx_session(path, device, threads)
    except ModelNotProvisioned:
        raise
    except Exception as err:  # onnxruntime's own errors for a damaged file
        raise load_error(role, path, err) from err


def torch_device(device: str = 'cpu') -> str:
    """'cuda' when asked for and present, else 'cpu' (logged), so GPU configs still run here."""
    if device.startswith('cuda'):
        import torch
        if torch.cuda.is_available():
            return device
        log.warning('device %s requested but CUDA is not available: using cpu', device)
        return 'cpu'
    return 'cpu'


def set_torch_threads(threads: int) -> None:
    import torch
    torch.set_num_threads(max(1, int(threads)))
