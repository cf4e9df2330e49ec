#!/usr/bin/env python3
"""Which LLM answers better, and how fast: the answer stage of `omnilive eval` alone, for several
models interleaved question by question (same machine load on each), over the memory an eval
run stored (its `memory/` folder), scored by the eval's own scorer.

The full `omnilive eval --param reasoning:direct_answers=false` replays the bag through every
node for each model; on a shared 2-core machine the 1.5B model makes that take ~1 h. Memory
(what perception stored) does not depend on the model, so this reuses one run's memory and asks
every question, in the file's order and at its time, of one Answerer per model with
`direct_answers` off. Spoken questions are asked with their text (no ASR). Notes are already in
the memory: "remember that ..." is answered without storing it again.

    .venv/bin/python tools/llm_choice.py EVAL_OUT/memory tests/data/demo_questions.yaml \
        --bag-start 1000 --models qwen2.5-coder-0.5b qwen2.5-coder-1.5b
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows) if rows else 0.0


def main() -> int:
    from omnilive.eval.evaluate import score_row
    from omnilive.eval.scoring import load_questions
    from omnilive.memory.store import MemoryStore
    from omnilive.models.embedding import TextEmbedder
    from omnilive.models.llm import LlamaCppGenerator
    from omnilive.reasoning.answerer import AnswerConfig, Answerer
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('memory', help="an eval run's memory folder (copied, not changed)")
    parser.add_argument('questions')
    parser.add_argument('--bag-start', type=float, default=1000.0,
                        help="the bag's first message time, s (metadata.yaml starting_time)")
    parser.add_argument('--models', nargs='+',
                        default=['qwen2.5-coder-0.5b', 'qwen2.5-coder-1.5b'])
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--out', default='', help='write every answer here (JSON)')
    parser.add_argument('--limit', type=int, default=0, help='only the first N questions')
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix='llm_choice_'))
    shutil.copytree(args.memory, work / 'memory')
    store = MemoryStore(work / 'memory', TextEmbedder(threads=1))
    questions = load_questions(args.questions)[:args.limit or None]
    oldest = store.stats()['oldest']
    answerers = {}
    for model in args.models:
        now = {'t': 0.0}
        answerers[model] = Answerer(
            lambda q, k, since, until, kinds, now=now: store.retrieve(q, k, since, until, kinds,
                                                                      now=now['t']),
            LlamaCppGenerator(model, n_ctx=2048, threads=args.threads),
            remember=lambda text, stamp: 'already-stored',
            config=AnswerConfig(direct_answers=False), start_of_memory=lambda: oldest), now
    rows = {m: [] for m in args.models}
    for n, q in enumerate(questions, 1):
        asked = args.bag_start + q.at
        for model, (answerer, now) in answerers.items():  # interleaved: same load on each
            now['t'] = asked
            t0 = time.perf_counter()
            result = answerer.answer(q.prompt(), asked)
            row = {'id': q.id, 'question': q.question, 'answer': result.answer,
                   'answered_by': result.answered_by, 'asked_at': q.at,
                   'first_token_s': result.first_token_ms / 1000,
                   'first_sentence_s': result.first_sentence_ms / 1000,
                   'wall_s': time.perf_counter() - t0,
                   'evidence': [{'id': i.id, 'kind': i.kind, 'start': i.start - args.bag_start,
                                 'end': i.end - args.bag_start, 'text': i.text,
                                 'labels': [{'kind': lab.kind, 'name': lab.name,
                                             'count': int(lab.count)} for lab in i.labels]}
                                for i in result.evidence]}
            score_row(row, q, 40, args.bag_start)
            rows[model].append(row)
            print(f'[{n}/{len(questions)}] {model}: {q.question!r} -> {result.answer!r} '
                  f'({result.answered_by}, {"pass" if row["passed"] else "FAIL"}, first token '
                  f'{row["first_token_s"]:.2f} s)', flush=True)
        if args.out:  # after every question: a run stopped early keeps what it measured
            Path(args.out).write_text(json.dumps(rows, indent=1))
    store.close()
    shutil.rmtree(work, ignore_errors=True)
    print(f'\n{len(questions)} questions, direct answers off, {args.threads} threads; latency p50 '
          'over the questions the model answered (the rest are notes, refusals, "not seen")\n')
    print('| model | accuracy | answered by | model answers passed | first token p50 | '
          'first sentence p50 |')
    print('|---|---|---|---|---|---|')
    for model, got in rows.items():
        by_model = [r for r in got if r['answered_by'] in ('model', 'model-replaced')]
        kinds = {}
        for r in got:
            kinds[r['answered_by']] = kinds.get(r['answered_by'], 0) + 1
        print(f'| {model} | {sum(r["passed"] for r in got) / len(got):.2f} '
              f'({sum(r["passed"] for r in got)}/{len(got)}) | {kinds} | '
              f'{sum(r["passed"] for r in by_model)}/{len(by_model)} | '
              f'{median(by_model, "first_token_s"):.2f} s | '
              f'{median(by_model, "first_sentence_s"):.2f} s |')
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
