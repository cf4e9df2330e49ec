#!/usr/bin/env python3
"""First-token latency of the answerer's real prompts: cold, warm (stable prefix reused) and
prefilled, for each provisioned LLM, interleaved in one run (ratios within a model and between
models are what carry over; this machine is shared and noisy).

    cold       the KV cache is empty: the whole prompt is evaluated
    warm       the previous question's prompt (and answer) is in the KV cache: llama.cpp reuses the
               longest common token prefix (the system prompt), the rest is evaluated
    prefilled  prefill() evaluated this prompt beforehand (during the end-of-speech pause): the
               first token is sampled at once; the prefill's own time is reported beside it

    .venv/bin/python tools/llm_prompt_cache.py [--models qwen2.5-coder-0.5b qwen2.5-coder-1.5b]
"""
from __future__ import annotations

import argparse
import statistics
import time

from omnilive.memory.describe import caption
from omnilive.memory.types import OBJECT, SOUND, TEXT, Label, MemoryItem
from omnilive.reasoning.answerer import Answerer

NOW = 10_000.0
WARM = ['What colour was the car?', 'How many cups did you see?', 'Did you hear a telephone?',
        'What did the sign say?', 'Where was the bottle?', 'What was on the dining table?']
PREFILLED = ['Did you see a red car?', 'What did someone say about the delivery?',
             'Did you see a dog?', 'Which vehicles did you see?', 'Who was near the exit?',
             'What did I ask you to remember?']


def memory() -> list[MemoryItem]:
    colour = {'colours': ['grey']}
    clips = [('clip-street', NOW - 600, [Label(OBJECT, 'car', 3, attributes=colour),
                                         Label(OBJECT, 'person', 2), Label(OBJECT, 'bus', 1),
                                         Label(OBJECT, 'traffic light', 1)]),
             ('clip-kitchen', NOW - 300, [Label(OBJECT, 'cup', 2), Label(OBJECT, 'bottle', 1),
                                          Label(OBJECT, 'dining table', 1)]),
             ('clip-sign', NOW - 120, [Label(OBJECT, 'person', 1), Label(TEXT, 'EXIT')])]
    items = [MemoryItem(id=i, kind='clip', start=t, end=t + 10, text=caption(labels),
                        labels=labels, score=0.5) for i, t, labels in clips]
    return items + [
        MemoryItem(id='speech-1', kind='speech', start=NOW - 200, end=NOW - 197, score=0.4,
                   text='the delivery will arrive at four o clock'),
        MemoryItem(id='sound-1', kind='sound', start=NOW - 400, end=NOW - 399, score=0.3,
                   text='heard telephone', labels=[Label(SOUND, 'Telephone', 1)]),
        MemoryItem(id='note-1', kind='note', start=NOW - 900, end=NOW - 900, score=0.2,
                   text='my keys are in the top drawer')]


def prompt(question: str, k: int = 0) -> list[dict]:
    """The answerer's prompt for `question` asked k * 40 s after NOW, with one record left out
    (k-th): consecutive questions differ from the clock line on, as asked questions do."""
    items = memory()
    evidence = items[:k % len(items)] + items[k % len(items) + 1:]
    return Answerer(lambda *a: evidence)._prompt(question, evidence, NOW + 40 * k, None)


def first_token_s(gen, messages) -> float:
    t0 = time.perf_counter()
    pieces = gen.stream(messages, max_tokens=8)
    next(pieces)
    elapsed = time.perf_counter() - t0
    pieces.close()
    return elapsed


def main() -> int:
    from omnilive.models.llm import LlamaCppGenerator, common_prefix
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--models', nargs='+',
                        default=['qwen2.5-coder-0.5b', 'qwen2.5-coder-1.5b'])
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--rounds', type=int, default=len(WARM))
    args = parser.parse_args()
    gens = {m: LlamaCppGenerator(m, n_ctx=2048, threads=args.threads) for m in args.models}
    times = {m: {'cold': [], 'warm': [], 'prefill': [], 'prefilled': []} for m in gens}
    sizes = {}
    for m, gen in gens.items():
        a, _ = gen.tokens(prompt(WARM[0], 0))
        b, _ = gen.tokens(prompt(WARM[1], 1))
        sizes[m] = (len(a), common_prefix(a, b))
        first_token_s(gen, prompt(PREFILLED[-1], 2))  # warm-up: buffers allocated, pages loaded
    for r in range(args.rounds):
        warm = prompt(WARM[r % len(WARM)], 2 * r + 3)
        ahead = prompt(PREFILLED[r % len(PREFILLED)], 2 * r + 4)
        for m, gen in gens.items():  # interleaved: both models see the same machine load
            times[m]['warm'].append(first_token_s(gen, warm))  # cache: the previous question
            gen.llm.reset()
            times[m]['cold'].append(first_token_s(gen, warm))
            t0 = time.perf_counter()
            gen.prefill(ahead)
            times[m]['prefill'].append(time.perf_counter() - t0)
            times[m]['prefilled'].append(first_token_s(gen, ahead))
            print(f'round {r + 1}: {m}: ' + ', '.join(f'{k} {v[-1]:.2f} s'
                                                      for k, v in times[m].items()), flush=True)
    p50 = {m: {k: statistics.median(v) for k, v in t.items()} for m, t in times.items()}
    print(f'\n{args.rounds} rounds, {args.threads} threads; p50 seconds to the first token\n')
    print('| model | prompt tokens (stable prefix) | cold | warm | warm/cold | prefill '
          '(in the pause) | after prefill | after prefill/cold |')
    print('|---|---|---|---|---|---|---|---|')
    for m, p in p50.items():
        print(f'| {m} | {sizes[m][0]} ({sizes[m][1]}) | {p["cold"]:.2f} | {p["warm"]:.2f} | '
              f'{p["warm"] / p["cold"]:.2f} | {p["prefill"]:.2f} | {p["prefilled"]:.3f} | '
              f'{p["prefilled"] / p["cold"]:.3f} |')
    if len(p50) == 2:
        a, b = list(p50)
        print(f'\n{b} / {a}: cold {p50[b]["cold"] / p50[a]["cold"]:.2f}x, '
              f'warm {p50[b]["warm"] / p50[a]["warm"]:.2f}x')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
