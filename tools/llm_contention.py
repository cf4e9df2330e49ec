#!/usr/bin/env python3
"""The LLM beside perception on the same cores: prompt evaluation and generation speed per LLM
thread count and OpenMP wait policy, alone and with perception's real vision path (the
FrameAnalyzer of config/cpu.yaml analysing vtest.avi frames at the configured rate) in another
process, whose analysed frames/s are reported beside each figure.

llama.cpp (and CTranslate2) run their threads under OpenMP, which by default spins at every
barrier: a thread whose partner lost its core to another process burns its own core waiting. The
nodes therefore run with OMP_WAIT_POLICY=PASSIVE (omnilive.ros.graph.node_environment); this
measures what that choice is worth, all configurations interleaved in one run.

    .venv/bin/python tools/llm_contention.py [--model qwen2.5-coder-1.5b] [--rounds 3]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


# (LLM threads, OMP_WAIT_POLICY): OpenMP's default, and passive waits
CONFIGS = [(2, ''), (2, 'PASSIVE'), (1, '')]


def vision(stop: Path, log: Path) -> None:
    """Perception's vision path at its configured rate until `stop` exists; each analysed
    frame's wall time appended to `log`."""
    from omnilive.bags import media
    from omnilive.bench.memory_real import configured
    from omnilive.util.node_config import PerceptionConfig, perception_models
    params = configured('cpu')[1]
    cfg = PerceptionConfig()
    rate = float(params.get('frame_rate_hz', cfg.frame_rate_hz))
    analyzer = perception_models(cfg)[3]
    frames = list(media.frames('opencv:data/vtest.avi', 2, 20, (640, 480)))
    done, due = [], time.monotonic()
    while not stop.exists():
        if time.monotonic() < due:
            time.sleep(min(0.05, due - time.monotonic()))
            continue
        analyzer.analyze(frames[len(done) % len(frames)], len(done) % 30)
        done.append(time.time())
        log.write_text(json.dumps(done))
        due = max(due + 1.0 / rate, time.monotonic() - 1.0)   # no catching up after a stall


def llm(model: str, threads: int, rounds: int) -> None:
    """Prints one JSON line: per round, the wall times of the prompt evaluation (the records and
    question after the cached system prompt) and of 30 generated tokens."""
    sys.path.insert(0, str(Path(__file__).parent))
    from llm_prompt_cache import PREFILLED, prompt

    from omnilive.models.llm import LlamaCppGenerator
    gen = LlamaCppGenerator(model, n_ctx=2048, threads=threads)
    gen.prefill(prompt(PREFILLED[0], 0)[:1])     # the system prompt: cached, as in the node
    out = []
    for k in range(rounds + 1):                  # round 0 pages the weights in: not reported
        messages = prompt(PREFILLED[k % len(PREFILLED)], k)
        t0 = time.time()
        evaluated = gen.prefill(messages)
        t1 = time.time()
        pieces = sum(1 for _ in gen.stream(messages, max_tokens=30))
        t2 = time.time()
        out.append({'t0': t0, 't1': t1, 't2': t2, 'prompt': evaluated, 'pieces': pieces})
    print(json.dumps(out[1:]))


def measure(model: str, rounds: int, frames_log: Path | None) -> list[dict]:
    rows = []
    for threads, policy in CONFIGS:
        env = {k: v for k, v in os.environ.items() if k != 'OMP_WAIT_POLICY'}
        if policy:
            env['OMP_WAIT_POLICY'] = policy
        done = subprocess.run([sys.executable, __file__, '--llm', model, str(threads),
                               str(rounds)], env=env, capture_output=True, text=True, check=True)
        runs = json.loads(done.stdout.strip().splitlines()[-1])
        frames = json.loads(frames_log.read_text()) if frames_log else []
        fps = [sum(r['t0'] <= t <= r['t2'] for t in frames) / (r['t2'] - r['t0'])
               for r in runs]
        rows.append({'threads': threads, 'policy': policy or 'default',
                     'prompt_tok_s': statistics.median(r['prompt'] / (r['t1'] - r['t0'])
                                                       for r in runs),
                     'gen_tok_s': statistics.median(r['pieces'] / (r['t2'] - r['t1'])
                                                    for r in runs),
                     'vision_fps': statistics.median(fps) if frames_log else None})
        print(rows[-1], flush=True)
    return rows


def main() -> int:
    if sys.argv[1:2] == ['--vision']:
        vision(Path(sys.argv[2]), Path(sys.argv[3]))
        return 0
    if sys.argv[1:2] == ['--llm']:
        llm(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--model', default='qwen2.5-coder-1.5b')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--work', type=Path, default=Path('/tmp/omnilive-llm-contention'))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    stop, frames = args.work / 'stop', args.work / 'frames.json'
    for path in (stop, frames):
        path.unlink(missing_ok=True)
    print(f'load average at start: {os.getloadavg()}')
    alone = measure(args.model, args.rounds, None)
    proc = subprocess.Popen([sys.executable, __file__, '--vision', str(stop), str(frames)])
    try:
        while not frames.exists():
            if proc.poll() is not None:
                raise RuntimeError('the vision process ended before its first frame')
            time.sleep(0.5)
        time.sleep(10)                            # past its first, slower frames
        beside = measure(args.model, args.rounds, frames)
    finally:
        stop.touch()
        proc.wait(timeout=60)
    print(f'load average at end: {os.getloadavg()}')
    print('| LLM threads | OpenMP wait | prompt tok/s alone | generation tok/s alone | '
          'prompt tok/s beside vision | generation tok/s beside vision | vision frames/s |')
    print('|---|---|---|---|---|---|---|')
    for a, b in zip(alone, beside):
        print(f'| {a["threads"]} | {a["policy"]} | {a["prompt_tok_s"]:.1f} | '
              f'{a["gen_tok_s"]:.1f} | {b["prompt_tok_s"]:.1f} | {b["gen_tok_s"]:.1f} | '
              f'{b["vision_fps"]:.2f} |')
    return 0


if __name__ == '__main__':
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    sys.exit(main())
