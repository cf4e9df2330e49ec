"""`omnilive ask "question"`: ask a running graph, stream the answer, print evidence and
timings."""
from __future__ import annotations

import argparse
import sys

from omnilive.ros.convert import from_time
from omnilive.reasoning.timephrases import clock


def format_answer(answer) -> str:
    lines = [f'answer ({answer.answered_by}): {answer.answer}']
    for item in answer.evidence:
        lines.append(f'  evidence: [{item.kind} {clock(from_time(item.start))}-'
                     f'{clock(from_time(item.end))} score {item.score:.2f}] {item.text[:90]}')
    lines.append(f'  timings: retrieval {answer.retrieval_ms:.0f} ms, first token '
                 f'{answer.first_token_ms:.0f} ms, first sentence '
                 f'{answer.first_sentence_ms:.0f} ms, total {answer.total_ms:.0f} ms')
    return '\n'.join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='omnilive ask', description=__doc__)
    parser.add_argument('question')
    parser.add_argument('--namespace', default='/omnilive')
    parser.add_argument('--speak', action='store_true', help='also speak the answer (tts node)')
    parser.add_argument('--timeout', type=float, default=180.0)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    from action_msgs.msg import GoalStatus
    from omnilive.ros.client import GraphClient, check_text
    try:
        check_text(args.question)  # undecodable argv bytes: say so before connecting
    except ValueError as err:
        print(f'omnilive ask: {err}', file=sys.stderr)
        return 2
    client = GraphClient(args.namespace, 'omnilive_ask')
    shown = ['']

    def feedback(partial: str) -> None:
        new = partial[len(shown[0]):] if partial.startswith(shown[0]) else '\n' + partial
        sys.stdout.write(new)
        sys.stdout.flush()
        shown[0] = partial

    try:
        outcome = client.ask(args.question, speak=args.speak, timeout=args.timeout,
                             on_feedback=feedback)
    except TimeoutError as err:
        print(f'omnilive ask: {err}', file=sys.stderr)
        return 1
    finally:
        client.close()
    print()
    if outcome.error:
        print(f'omnilive ask: no answer: {outcome.error}', file=sys.stderr)
        return 1
    print(format_answer(outcome.answer))
    return 0 if outcome.status == GoalStatus.STATUS_SUCCEEDED else 1
