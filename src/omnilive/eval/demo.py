"""`omnilive demo`: the whole system on a scene built from real media.

Builds the demo bag (video of people walking, a street, photos, a scene-text sign, LibriVox speech,
a phone ring, and spoken questions, notes and a conversation synthesized with espeak-ng), starts
the full node graph, replays the bag on /clock, lets perception detect and answer the spoken
questions, asks more by text, and prints every question, answer, evidence times and latency.
The robot's spoken answers are written to a WAV file.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from omnilive.bags import make as bagmake
from omnilive.models.registry import cache_dir
from omnilive.reasoning.timephrases import clock
from omnilive.ros import graph
from omnilive.ros.convert import from_time

TEXT_QUESTIONS = [
    'How many people did you see?',
    'What did the sign say?',
    'Did you hear a phone ring?',
    'When did the phone ring?',
    'Where is the meeting?',
    'How many cups did you see?',
    'Did you see a cup?',
    'Did you see a giraffe?',
]


def run_demo(rate: float = 1.0, out: Path | None = None, questions=TEXT_QUESTIONS,
             profile: str = 'cpu', log=print, overrides: dict | None = None) -> dict:
    from omnilive.eval.session import GraphSession
    workdir = cache_dir().parent / 'demo'
    workdir.mkdir(parents=True, exist_ok=True)
    out = Path(out or workdir / 'last-run')
    out.mkdir(parents=True, exist_ok=True)
    bag, truth = bagmake.demo_bag(workdir)
    log(f'[demo] starting the graph (perception, memory, reasoning, tts); logs: {out}/graph.log')
    session = GraphSession(profile=profile, workdir=out, overrides=overrides)
    results = {'spoken': [], 'typed': []}
    try:
        session.wait_ready()
        log(f'[demo] replaying {truth["duration"]:.0f} s of sensor data at {rate}x ...')
        next_mark = [0.0]

        def progress(t):
            if t >= next_mark[0]:
                log(f'[demo]   t = {t:5.1f} s')
                next_mark[0] += 15
        session.play(bag, rate, progress)
        spoken = [a for a in truth['audio'] if a.get('kind') == 'query']
        session.wait_for_voice_answers(len(spoken))
        end = truth['start_time'] + truth['duration']
        for answer in [a for a in session.answers if a.source == 'voice']:
            results['spoken'].append(report(answer))
        for question in questions:
            t0 = time.monotonic()
            _, answer = session.client.ask(question, asked_at=end)
            entry = report(answer)
            entry['wall_ms'] = round((time.monotonic() - t0) * 1000)
            results['typed'].append(entry)
        results['node_exits'] = [f'{e.node} exited ({e.reason})' + (', restarted' if e.restart
                                                                    else '')
                                 for e in session.supervisor.exits]
        seconds = session.write_wav(out / 'spoken_answers.wav')
        results['wav'] = str(out / 'spoken_answers.wav')
        results['wav_seconds'] = round(seconds, 1)
    finally:
        session.close()
    (out / 'demo.json').write_text(json.dumps(results, indent=2))
    return results


def report(answer) -> dict:
    return {'question': answer.question, 'source': answer.source, 'answer': answer.answer,
            'answered_by': answer.answered_by,
            'evidence': [f'{e.kind} {clock(from_time(e.start))}-{clock(from_time(e.end))}'
                         for e in answer.evidence],
            'first_sentence_ms': round(answer.first_sentence_ms),
            'total_ms': round(answer.total_ms)}


def print_results(results: dict) -> None:
    for kind in ('spoken', 'typed'):
        print(f'\n=== {kind} questions ===')
        for r in results[kind]:
            print(f'Q: {r["question"]}\nA: {r["answer"]}  [{r["answered_by"]}; first sentence '
                  f'{r["first_sentence_ms"]} ms, total {r["total_ms"]} ms]')
            if r['evidence']:
                print(f'   evidence: {", ".join(r["evidence"][:4])}')
    print(f'\nspoken answers: {results["wav"]} ({results["wav_seconds"]} s of speech)')
    if results.get('node_exits'):
        print(f'node exits: {"; ".join(results["node_exits"])}')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='omnilive demo', description=__doc__)
    parser.add_argument('--rate', type=float, default=1.0, help='replay speed (1.0: real time)')
    parser.add_argument('--out',
                        help='output directory (default: ~/.cache/omnilive/demo/last-run)')
    parser.add_argument('--profile', default='cpu')
    parser.add_argument('--param', action='append', default=[], metavar='NODE:NAME=VALUE',
                        help='override a node parameter, e.g. reasoning:direct_answers=false')
    parser.add_argument('--domain-id', type=int,
                        help='ROS_DOMAIN_ID of the demo graph (default: a random one of its own)')
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    # the demo's graph and replayed sensors stay on this machine, on a domain of their own
    from omnilive.ros.harness import isolate
    print(f'[demo] ROS domain {isolate(args.domain_id)} (discovery on this machine only)')
    try:
        overrides = graph.parse_node_params(args.param)
    except ValueError as err:
        parser.error(str(err))
    t0 = time.monotonic()
    results = run_demo(args.rate, args.out, profile=args.profile, overrides=overrides)
    print_results(results)
    print(f'demo finished in {time.monotonic() - t0:.0f} s')
    return 0
