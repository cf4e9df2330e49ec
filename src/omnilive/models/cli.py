"""`omnilive models install | check | path ROLE`."""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from omnilive.models import provision, registry


def _probe_inputs():
    """Real media where installed (Debian packages), else a synthetic input of the same kind."""
    import cv2
    frame = cv2.imread('/usr/share/doc/opencv-doc/examples/text/scenetext01.jpg')
    rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB) if frame is not None else \
        np.full((480, 640, 3), 127, np.uint8)
    t = np.arange(16000, dtype=np.float32) / 16000
    return rgb, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def _checks(threads: int):
    """Role -> (load(), run(model) -> short description of the output)."""
    rgb, pcm = _probe_inputs()
    from omnilive.models import (asr, classifier, detector, embedding, llm, ocr, sound, tts, vad)
    from omnilive.models.pose import PoseEstimator
    from omnilive.vision import categories
    return {
        'vad': (lambda: vad.VoiceActivityDetector(threads=threads),
                lambda m: f'p(speech)={m.speech_prob(pcm[:512]):.2f} on a tone'),
        'asr': (lambda: asr.Transcriber(threads=threads),
                lambda m: f'{m.transcribe(pcm).text!r} on a tone'),
        'sound_events': (lambda: sound.SoundClassifier(threads=threads),
                         lambda m: f'top: {m.classify(pcm, 1)[0][0]} on a 440 Hz tone'),
        'object_detector': (lambda: detector.Detector(threads=threads),
                            lambda m: f'{len(m.detect(rgb))} objects on a scene photo'),
        'pose': (lambda: PoseEstimator(threads=threads),
                 lambda m: f'{len(m.estimate_frame(rgb))} people posed on a scene photo'),
        'image_classifier': (lambda: classifier.ImageClassifier(threads=threads),
                             lambda m: 'top: {0.name} ({0.score:.2f}) on a scene photo'.format(
                                 m.classify(rgb, 1)[0])),
        'wordnet': (categories.wordnet,
                    lambda m: 'lemon: ' + ', '.join(categories.categories('lemon.n.01'))),
        'ocr': (lambda: ocr.TextReader(threads=threads),
                lambda m: 'read ' + repr(' '.join(b.text for b in m.read(rgb))[:40])),
        'text_embedding': (lambda: embedding.TextEmbedder(threads=threads),
                           lambda m: f'dim {m.embed(["a person walking"]).shape[1]}'),
        'llm': (lambda: llm.LlamaCppGenerator(threads=threads, n_ctx=512),
                lambda m: repr(''.join(m.stream([{'role': 'user', 'content': 'Say OK.'}],
                                                max_tokens=4)))),
        'tts_voice': (lambda: tts.SpeechSynthesizer(),
                      lambda m: '{:.1f} s of speech'.format(
                          (lambda a: len(a[0]) / a[1])(m.synthesize('Hello from omnilive.')))),
    }


def _size(role: str) -> str:
    entry = registry.manifest()[role]
    total = sum(f.get('size', 0) for f in (entry.get('files') or {}).values())
    if entry['produce']['kind'] == 'convert':
        total = sum(p.stat().st_size for p in (registry.cache_dir() / role).glob('*')
                    if p.is_file())
    return f'{total / 1e6:.1f} MB' if total else '-'


def check(threads: int) -> int:
    rows, failures = [], 0
    for role, (load, run) in _checks(threads).items():
        entry = registry.manifest()[role]
        source = ', '.join(next(iter(s.items()))[1] for s in entry['sources'][:1])
        try:
            t0 = time.perf_counter()
            model = load()
            t1 = time.perf_counter()
            result = run(model)
            t2 = time.perf_counter()
            rows.append((role, entry['name'][:44], source, _size(role), f'{t1 - t0:.2f} s',
                         f'{t2 - t1:.2f} s', result[:48]))
        except Exception as err:  # a table row per failure, then a non-zero exit
            failures += 1
            rows.append((role, entry['name'][:44], source, _size(role), 'FAILED', '-',
                         f'{type(err).__name__}: {err}'[:120]))
    header = ('role', 'model', 'source', 'size', 'load', 'inference', 'output')
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    for row in [header, tuple('-' * w for w in widths)] + rows:
        print('  '.join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
    for role in ('image_embedding', 'vlm'):
        print(f'{role}: GPU-profile role, configured in config/gpu.yaml (no default model)')
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='omnilive models')
    sub = parser.add_subparsers(dest='cmd', required=True)
    inst = sub.add_parser('install', help='provision the default model set into the cache')
    inst.add_argument('roles', nargs='*', help='only these roles, or named models (ids in '
                      'models/manifest.yaml, e.g. qwen2.5-coder-1.5b)')
    inst.add_argument('--force', action='store_true', help='re-produce even if verified')
    chk = sub.add_parser('check', help='load every default model and run one inference')
    chk.add_argument('--threads', type=int, default=2)
    path = sub.add_parser('path', help='print the provisioned path of a role')
    path.add_argument('role', choices=registry.ROLES)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.cmd == 'install':
        unknown = set(args.roles) - set(registry.manifest()) - set(registry.named())
        if unknown:
            parser.error(f'unknown roles or model ids: {sorted(unknown)}; known: '
                         f'{sorted(registry.manifest())} and {sorted(registry.named())}')
        return provision.install(args.roles or None, force=args.force)
    if args.cmd == 'check':
        return check(args.threads)
    try:
        print(registry.default_path(args.role))
    except FileNotFoundError as err:
        print(err, file=sys.stderr)
        return 1
    return 0
