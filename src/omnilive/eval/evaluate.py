"""`omnilive eval BAG QUESTIONS.yaml --out DIR [--rate 1.0|max] [--profile cpu|gpu]`

Starts the full graph (the executables of bringup, with sim time, a fresh memory, lossless
perception and greedy decoding), replays the bag on /clock and asks each question at its time:
`text` questions as Ask goals, `audio` questions are spoken in the bag and must be detected by
perception (their answers are matched on the `answers` topic). Writes report.json, report.md and
two plots (latency histogram, accuracy per tag) to DIR, with two trivial baselines scored on the
same questions.

A node that crashes is restarted and the run goes on: the question it was answering fails with the
reason (`reasoning exited (SIGSEGV)`), later questions are still asked, and the summary counts the
restarts (`node_restarts`, `node_exits`). The report is always written, also when the run ends
early (a node that cannot start, no progress, a stop signal: `ended_early`; the questions not
asked by then fail as "not asked"). Exit 0 when the evaluation ran to its end, whatever the
accuracy and however many nodes were restarted; 1 when it ended early; 128+N after signal N
(SIGTERM, SIGINT, SIGHUP: every node is stopped first); 2 on a bad bag or questions file.

At `--rate max` the player never outruns the graph: it waits while perception is more than a
couple of seconds of bag time behind or a spoken question is being answered, and before each text
question until perception has processed everything up to the question's time; the question is
then answered before the replay goes on. That makes runs repeatable. `--rate 1.0` replays in real
time and asks text questions at their time without waiting, as a live robot would get them.
"""
from __future__ import annotations

import argparse
import bisect
import concurrent.futures
import json
import sys
import time
from pathlib import Path
from typing import Optional

from omnilive.bags.replay import BagError, read_bag
from omnilive.paths import config_file
from omnilive.ros import graph
from omnilive.util.diagnostics import Perception as P
from omnilive.eval.scoring import (NOT_SEEN_ANSWER, Question, QuestionsError, evidence_dump,
                                   judge, load_questions, match_spoken, summarize)

# Topics the graph consumes, by message type: bag topics of these types are published under these
# names (the first topic of each type, preferring one already named so), unless --remap says
# otherwise. Stamped audio wins over plain AudioData: its stamps are the audio clock.
SENSOR_TOPICS = {
    'sensor_msgs/msg/CompressedImage': '/camera/image_raw/compressed',
    'sensor_msgs/msg/Image': '/camera/image_raw',
    'audio_common_msgs/msg/AudioDataStamped': '/audio/audio_stamped',
    'audio_common_msgs/msg/AudioData': '/audio/audio',
    'audio_common_msgs/msg/AudioInfo': '/audio/audio_info',
    'nav_msgs/msg/Odometry': '/odom',
    'rosgraph_msgs/msg/Clock': '/clock',
}
CAMERA = ('/camera/image_raw', '/camera/image_raw/compressed')
AUDIO = ('/audio/audio_stamped', '/audio/audio')
VOICE_MATCH_S = (-1.0, 30.0)   # a spoken question's answer has asked_at within this of `at`
DROP_KEYS = (P.FRAMES_DROPPED, P.FRAMES_BAD, P.FRAMES_ERRORS, P.AUDIO_DROPPED, P.AUDIO_BAD,
             P.AUDIO_ERRORS, P.UTTERANCES_DROPPED, P.ASR_ERRORS, P.INSERT_DROPPED,
             P.INSERT_FAILURES)


class EvalError(RuntimeError):
    pass


def log(text: str) -> None:
    print(f'[eval] {text}', file=sys.stderr, flush=True)


def plan_topics(connections, remaps: dict[str, str]) -> dict[str, str]:
    """Bag topic -> published topic, for the topics the graph consumes."""
    plan = {topic: out for topic, out in remaps.items()
            if any(c.topic == topic for c in connections)}
    missing = set(remaps) - set(plan)
    if missing:
        raise BagError(f'--remap names topics the bag does not have: {sorted(missing)}')
    by_type: dict[str, list[str]] = {}
    for conn in connections:
        by_type.setdefault(conn.msgtype, []).append(conn.topic)
    taken = set(plan.values())
    for msgtype, default in SENSOR_TOPICS.items():
        if default in taken:
            continue
        if default in CAMERA and taken & set(CAMERA) or default in AUDIO and taken & set(AUDIO):
            continue  # one camera and one microphone stream
        topics = sorted(t for t in by_type.get(msgtype, []) if t not in plan)
        if topics:
            plan[default if default in topics else topics[0]] = default
            taken.add(default)
    if not taken & set(CAMERA + AUDIO):
        raise BagError('the bag has no camera (sensor_msgs Image/CompressedImage) and no '
                       'microphone (audio_common_msgs AudioData/AudioDataStamped) topic; '
                       'its topics: '
                       f'{sorted(c.topic + " [" + c.msgtype + "]" for c in connections)}')
    return plan


class Evaluation:
    def __init__(self, bag: str | Path, questions: list[Question], out: str | Path,
                 rate: Optional[float] = None, profile: str = 'cpu',
                 until: Optional[float] = None, remaps: Optional[dict] = None,
                 overrides: Optional[dict] = None, max_words: int = 40,
                 lag_s: float = 2.0, stall_timeout_s: float = 600.0, progress: bool = True,
                 lost_after_s: float = 20.0):
        self.bag = Path(bag)
        self.out = Path(out)
        self.rate = rate
        self.profile = profile
        self.until = until
        self.max_words = max_words
        self.lag_s = lag_s
        self.stall_timeout_s = stall_timeout_s
        self.lost_after_s = lost_after_s
        self.lost = {'audio': 0, 'frames': 0}  # published, never received (see _wait_done)
        self.show_progress = progress
        self.overrides = overrides or {}
        reader = read_bag(self.bag)  # a bad bag fails here, before any node starts
        try:
            self.plan = plan_topics(reader.connections, remaps or {})
            self.duration = (reader.end_time - reader.start_time) * 1e-9
        finally:
            reader.close()
        self.end = self.duration if until is None else min(until, self.duration)
        self.questions = questions
        # questions after the bag's end are asked once it is replayed; a slice skips its later ones
        self.asked = [q for q in questions if until is None or q.at <= until]
        self.text_rows: dict[str, dict] = {}
        self.times: dict[str, list[float]] = {}   # published topic -> bag times of its messages
        self.wall_at: list[tuple[float, float]] = []  # (bag time, wall time) while publishing
        self.session = None
        # crashes: a node that dies is restarted by the session's supervisor and the run goes on
        self.bag_now = 0.0                           # bag time of the last published message
        self.exits_seen = 0                          # supervisor exits already accounted for
        self.node_exits: list[dict] = []             # each exit: node, why, bag time, restarted
        self.offset = {'audio': 0, 'frames': 0}      # published before this perception started
        self.lost_now = {'audio': 0, 'frames': 0}    # lost in transport, this perception
        self.lost_in_crash = {'audio': 0, 'frames': 0}  # published, died with a perception
        self.goals_before = 0                        # spoken questions sent by earlier perceptions
        self.voice_lost = 0                          # spoken questions whose reasoning died
        self.ended_early: Optional[str] = None       # why the run stopped before its end
        self.signal: Optional[int] = None            # the stop signal that ended it, if any
        self.replay_s = self.startup_s = 0.0
        self.start_s = 0.0                           # the bag's start on the ROS clock

    # ------------------------------------------------------------------ pacing
    def _done_through(self, t: float, strict: bool) -> bool:
        """Has perception processed everything published up to bag time t (and, when strict,
        transcribed, stored and had every spoken question answered)?"""
        s = self.session
        if not s.diagnostics.of('perception'):
            return False

        def count(*keys):
            return s.diagnostics.number('perception', *keys)

        if any(n > 0 for n in self._shortfall(t).values()):
            return False
        if count(P.AUDIO_PROCESSED, P.AUDIO_BAD, P.AUDIO_ERRORS, P.AUDIO_DROPPED) < \
                count(P.AUDIO_MSGS):
            return False
        backlog = count(P.FRAMES_SAMPLED) - count(P.FRAMES_PROCESSED, P.FRAMES_BAD,
                                                  P.FRAMES_ERRORS)
        if backlog > (0 if strict else 2):
            return False
        if self._voice_pending() > 0:
            return False  # a spoken question is being answered: its memory must stay as it was
        return not strict or (count(P.ASR_PENDING) == 0 and count(P.INSERT_QUEUE) == 0)

    def _voice_pending(self) -> int:
        """Spoken questions sent to reasoning and not yet answered (nor lost with a crash)."""
        sent = self.goals_before + self.session.diagnostics.number('perception', P.GOALS_SENT)
        answered = sum(a.source == 'voice' for a in self.session.answers)
        return int(sent) - answered - self.voice_lost

    def _published(self, kind: str) -> list[float]:
        """Bag times of the published messages of one stream ('audio' or 'frames')."""
        topics = AUDIO if kind == 'audio' else CAMERA
        return next((self.times[x] for x in topics if x in self.times), [])

    def _shortfall(self, t: float) -> dict[str, int]:
        """Messages published up to bag time t that this perception process never received."""

        def count(key):
            return self.session.diagnostics.number('perception', key)

        return {kind: bisect.bisect_right(self._published(kind), t) - self.offset[kind]
                - count(key) - self.lost_now[kind]
                for kind, key in (('audio', P.AUDIO_MSGS), ('frames', P.FRAMES_IN))}

    def _note_exits(self) -> None:
        """Account for nodes that exited since the last call (the supervisor restarts them):
        a new perception counts from zero, and what a dead reasoning was answering is lost."""
        s = self.session
        for e in s.supervisor.exits_since(self.exits_seen):
            self.exits_seen += 1
            self.node_exits.append({'node': e.node, 'exit': e.reason,
                                    'bag_time': round(self.bag_now, 2), 'restarted': e.restart})
            print(f'[eval] {e.node} exited ({e.reason}) at bag time {self.bag_now:.1f} s'
                  + (': restarted' if e.restart else ''), file=sys.stderr, flush=True)
            if e.node == 'perception':
                diag = s.diagnostics.of('perception')
                for kind, key in (('audio', P.AUDIO_MSGS), ('frames', P.FRAMES_IN)):
                    published = len(self._published(kind))
                    received = int(float(diag.get(key, 0) or 0))
                    self.lost_in_crash[kind] += max(0, published - self.offset[kind] - received
                                                    - self.lost_now[kind])
                    self.offset[kind], self.lost_now[kind] = published, 0
                self.goals_before += int(float(diag.get(P.GOALS_SENT, 0) or 0))
                s.diagnostics.forget('perception')
            elif e.node == 'reasoning':
                self.voice_lost += max(0, self._voice_pending())
        if s.supervisor.failed.is_set():
            raise EvalError(s.supervisor.failure)

    def _wait_done(self, t: float, strict: bool) -> None:
        deadline = time.monotonic() + self.stall_timeout_s
        last, since = None, time.monotonic()
        while True:
            self._note_exits()
            if self._done_through(t, strict):
                return
            perception = self.session.diagnostics.of('perception')
            state = (perception.get(P.AUDIO_PROCESSED), perception.get(P.FRAMES_PROCESSED),
                     perception.get(P.AUDIO_MSGS), perception.get(P.FRAMES_IN),
                     len(self.session.answers))
            if state != last:
                last, since = state, time.monotonic()
                deadline = since + self.stall_timeout_s
            # reliable transport can still lose a message (a writer's history overwritten
            # before a repair): after a while without progress, count it and go on
            shortfall = self._shortfall(t) if time.monotonic() - since > self.lost_after_s \
                else {}
            if any(n > 0 for n in shortfall.values()):
                for kind, n in shortfall.items():
                    self.lost[kind] += max(n, 0)
                    self.lost_now[kind] += max(n, 0)
                print(f'[eval] warning: perception never received {shortfall} message(s) '
                      f'published before bag time {t:.1f} s; counted as lost in transport',
                      file=sys.stderr, flush=True)
                continue
            if time.monotonic() > deadline:
                raise EvalError(f'the graph made no progress for {self.stall_timeout_s:.0f} s at '
                                f'bag time {t:.1f} s; perception: {perception}; see '
                                f'{self.out / "graph.log"}')
            time.sleep(0.02)

    # ------------------------------------------------------------------ questions
    def _ask(self, q: Question) -> dict:
        """Ask one text question; a question whose reasoning process died is failed with why."""
        from action_msgs.msg import GoalStatus
        supervisor = self.session.supervisor
        exits_before = len(supervisor.exits)
        sent = time.monotonic()
        try:
            outcome = self.session.client.ask(q.prompt(), source='text', speak=True,
                                              asked_at=self.start_s + q.at, timeout=600)
        except TimeoutError as err:
            return {'status': None, 'answer': None, 'failure': str(err),
                    'latency_first_sentence_s': None, 'latency_answer_s': None}
        done = time.monotonic()
        status, answer = outcome
        crashed = [e for e in supervisor.exits_since(exits_before) if e.node == 'reasoning']
        failure = None
        if status != GoalStatus.STATUS_SUCCEEDED:
            failure = (f'reasoning exited ({crashed[0].reason})' if crashed
                       else f'no answer: {outcome.error}')
        first = self.session.first_sentence.get(answer.question_id)
        return {'status': int(status), 'answer': None if failure else answer, 'failure': failure,
                'latency_first_sentence_s': None if first is None else first - sent,
                'latency_answer_s': done - sent}

    def _wall_of(self, t: float) -> Optional[float]:
        """Wall time at which the player published bag time t (interpolated)."""
        if not self.wall_at:
            return None
        i = bisect.bisect_left(self.wall_at, (t, -1.0))
        if i == 0:
            return self.wall_at[0][1]
        if i >= len(self.wall_at):
            return self.wall_at[-1][1]
        (t0, w0), (t1, w1) = self.wall_at[i - 1], self.wall_at[i]
        return w0 + (w1 - w0) * (t - t0) / max(t1 - t0, 1e-9)

    # ------------------------------------------------------------------ run
    def run(self) -> dict:
        """Run the evaluation and write the report. The report is written whatever happens: a
        node that crashes is restarted and the question it was answering fails with the reason;
        a run that cannot go on (a node that cannot start, no progress, a stop signal) ends
        early with the questions not yet asked failed as 'not asked' (`ended_early` says why)."""
        from omnilive.eval.session import GraphSession
        from omnilive.ros.supervisor import Interrupted
        self.out.mkdir(parents=True, exist_ok=True)
        log(f'bag {self.bag}: {self.duration:.1f} s; topics {self.plan}; '
            f'{len(self.asked)} of {len(self.questions)} questions in the replayed span')
        log(f'starting the graph (profile {self.profile}); logs: {self.out / "graph.log"}')
        t_start = time.monotonic()
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)
        pending: dict[str, concurrent.futures.Future] = {}
        stats = None
        try:
            try:
                self.session = GraphSession(profile=self.profile, workdir=self.out,
                                            overrides=self._overrides())
                self._replay(pool, pending, t_start)
                stats = self.session.client.call('stats', self.session.client.srv.Stats.Request())
            except Interrupted as sig:
                self.ended_early, self.signal = f'stopped by {sig}', sig.signum
            except KeyboardInterrupt:
                self.ended_early, self.signal = 'stopped by SIGINT', 2
            except (EvalError, TimeoutError, RuntimeError) as err:
                self.ended_early = str(err)
            if self.ended_early:
                log(f'the run ended early: {self.ended_early}')
            for qid, future in pending.items():  # live mode: answers that did come
                if future.done() and not future.cancelled() and future.exception() is None:
                    self.text_rows.setdefault(qid, future.result())
            report = self._report(self._score(), stats)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            if self.session is not None:
                self.session.close()
        write_report(report, self.out)
        log(f'accuracy {report["summary"]["accuracy"]} over {report["summary"]["n"]} questions '
            f'(baselines: {report["summary"]["baselines"]}); report: {self.out / "report.md"}')
        return report

    def _overrides(self) -> dict:
        """The user's parameters, over what a replay at max rate sets: the bag plays as fast as
        perception goes, so nothing is evaluated ahead between questions (the standing
        records: it would only slow the replay; the latency it saves is measured live, by
        `omnilive bench --only latency`)."""
        base = {'reasoning': {'standing.refresh_s': 0.0}} if self.rate is None else {}
        return {node: {**base.get(node, {}), **self.overrides.get(node, {})}
                for node in set(base) | set(self.overrides)}

    def _replay(self, pool, pending: dict, t_start: float) -> None:
        session = self.session
        session.wait_ready()
        player = session.player(self.bag, self.rate, topics=list(self.plan), remap=self.plan)
        self.start_s = player.start_ns * 1e-9
        self.startup_s = time.monotonic() - t_start
        text = [q for q in self.asked if q.ask == 'text']
        bar = _progress(self.end, self.show_progress)

        def ask_due(t: float) -> None:
            while text and text[0].at < t:
                q = text.pop(0)
                if self.rate is None:  # repeatable: everything before `at` is in memory
                    self._wait_done(q.at, strict=True)
                    self.text_rows[q.id] = self._ask(q)
                else:                  # live: ask now, answers come while the bag plays
                    pending[q.id] = pool.submit(self._ask, q)

        def gate(t: float) -> None:
            self._note_exits()
            ask_due(t)
            if self.rate is None and t > self.lag_s:
                self._wait_done(t - self.lag_s, strict=False)

        def on_publish(topic: str, t: float) -> None:
            self.times.setdefault(self.plan.get(topic, topic), []).append(t)
            self.bag_now = t
            if not self.wall_at or t - self.wall_at[-1][0] >= 0.05:
                self.wall_at.append((t, time.monotonic()))
            bar.update(t)

        log(f'replaying at {"max rate" if self.rate is None else f"{self.rate}x"} ...')
        replay_start = time.monotonic()
        try:
            player.play(gate=gate, until=self.until, on_publish=on_publish)
            self._wait_done(self.end + 1.0, strict=True)
            ask_due(float('inf'))  # questions after the last message
            for qid, future in pending.items():
                self.text_rows[qid] = future.result()
            self._wait_done(self.end + 1.0, strict=True)
        finally:
            self.replay_s = time.monotonic() - replay_start
            bar.close()
            player.close()

    # ------------------------------------------------------------------ scoring
    def _voice_answers(self) -> dict[str, object]:
        """Spoken questions -> the answer to what perception heard, matched by text and time
        (a question that was not heard never takes the next one's answer)."""
        voice = {a.question_id: a for a in self.session.answers if a.source == 'voice'}
        heard = [(qid, a.question, _seconds(a.asked_at) - self.start_s)
                 for qid, a in voice.items()]
        spoken = [q for q in self.asked if q.ask == 'audio']
        return {qid: voice[key] for qid, key in match_spoken(spoken, heard, VOICE_MATCH_S).items()}

    def _score(self) -> list[dict]:
        voice = self._voice_answers() if self.session is not None else {}
        rows = []
        for q in self.questions:
            row = {'id': q.id, 'ask': q.ask, 'at': q.at, 'tags': q.tags, 'question': q.question,
                   'heard': None, 'answer': '', 'answered_by': None, 'evidence': [],
                   'latency_first_sentence_s': None, 'latency_answer_s': None}
            if q not in self.asked:
                rows.append(dict(row, skipped=True, passed=False,
                                 reason='after the replayed slice'))
                continue
            answer, failure = None, None
            if q.ask == 'text' and q.id in self.text_rows:
                r = self.text_rows[q.id]
                answer, failure = r['answer'], r.get('failure')
                row.update(latency_first_sentence_s=_round(r['latency_first_sentence_s']),
                           latency_answer_s=_round(r['latency_answer_s']))
            elif q.ask == 'audio' and q.id in voice:
                answer = voice[q.id]
                end = self._wall_of(_seconds(answer.asked_at) - self.start_s)
                first = self.session.first_sentence.get(answer.question_id)
                done = self.session.answer_times.get(answer.question_id)
                if end is not None:
                    row.update(latency_first_sentence_s=_round(first - end if first else None),
                               latency_answer_s=_round(done - end if done else None))
            if answer is not None:
                row.update(heard=answer.question, answer=answer.answer,
                           answered_by=answer.answered_by,
                           asked_at=_round(_seconds(answer.asked_at) - self.start_s),
                           evidence=[_evidence(e, self.start_s) for e in answer.evidence])
            rows.append(score_row(row, q, self.max_words, self.start_s,
                                  None if answer is not None else
                                  failure or self._why_unanswered(q)))
        return rows

    def _why_unanswered(self, q: Question) -> str:
        if q.ask == 'audio':
            lo, hi = q.at + VOICE_MATCH_S[0], q.at + VOICE_MATCH_S[1]
            crash = next((e for e in self.node_exits if e['node'] == 'reasoning'
                          and lo <= e['bag_time'] <= hi), None)
            if crash:
                return f'no answer: reasoning exited ({crash["exit"]})'
            if self.ended_early and q.at > self.bag_now:
                return f'not asked: the run ended early ({self.ended_early})'
            return 'not heard as a question'
        if self.ended_early:
            return f'not asked: the run ended early ({self.ended_early})'
        return 'no answer'

    def _report(self, rows, stats) -> dict:
        diag = self.session.diagnostics.of('perception') if self.session else {}
        supervisor = self.session.supervisor if self.session else None
        summary = summarize(rows)
        replayed = min(self.end, self.duration)
        summary.update({
            'bag': str(self.bag), 'bag_duration_s': round(self.duration, 2),
            'bag_start_s': self.start_s,  # the ROS clock at bag time 0 (places clock times)
            'replayed_s': round(replayed, 2),
            'rate': 'max' if self.rate is None else self.rate, 'profile': self.profile,
            'max_words': self.max_words,
            'replay_wall_s': round(self.replay_s, 1), 'startup_s': round(self.startup_s, 1),
            'realtime_factor': (round(replayed / self.replay_s, 3)
                                if self.replay_s > 0 and not self.ended_early else None),
            'perception_drops': {k: int(float(diag.get(k, 0) or 0)) for k in DROP_KEYS},
            'lost_in_transport': dict(self.lost),
            'perception': {k: diag.get(k) for k in (P.FRAMES_IN, P.FRAMES_PROCESSED,
                                                    P.AUDIO_PROCESSED, P.UTTERANCES, P.QUERIES,
                                                    P.CLIPS, P.SOUND_EVENTS, P.NOTES)},
            'memory_items': int(sum(stats.counts)) if stats else None,
            'memory_bytes': int(stats.bytes) if stats else None,
            'ended_early': self.ended_early,
            'node_restarts': dict(supervisor.restarts) if supervisor else {},
            'node_exits': list(self.node_exits),
            'lost_in_crash': dict(self.lost_in_crash),
            'voice_questions_lost_in_crash': self.voice_lost,
        })
        return {'summary': summary, 'questions': rows}


def score_row(row: dict, q: Question, max_words: int, clock0: Optional[float],
              unanswered: Optional[str] = None) -> dict:
    """Judge a report row's answer and both baselines' (in place; returns the row). A row
    without an answer fails with `unanswered` as its reason."""
    asked_at = row.get('asked_at')
    asked_at = q.at if asked_at is None else asked_at

    def verdict(answer: str):
        return judge(answer, q.expect, max_words, q.question, asked_at=asked_at, clock0=clock0)

    result = verdict(row['answer'])
    if unanswered:
        result.passed, result.reason = False, unanswered
    labels_answer = evidence_dump(row['evidence'])
    row.update(passed=result.passed, reason=result.reason,
               baseline_not_seen=verdict(NOT_SEEN_ANSWER).passed,
               baseline_labels=verdict(labels_answer).passed,
               baseline_labels_answer=labels_answer)
    return row


def rescore(report: dict, questions: list[Question], max_words: Optional[int] = None) -> dict:
    """An earlier run's answers scored again (after a change to the questions' expectations or
    to the scorer) without replaying: same answers, evidence and times, new verdicts and
    summary. Questions the run did not have are left out."""
    old = report['summary']
    max_words = max_words or old.get('max_words', 40)
    clock0 = old.get('bag_start_s')
    if clock0 is None and Path(old.get('bag', '')).exists():  # reports written before it was kept
        reader = read_bag(old['bag'])
        clock0 = reader.start_time * 1e-9
        reader.close()
    by_id = {q.id: q for q in questions}
    rows = []
    for row in report['questions']:
        q = by_id.get(row['id'])
        if q is None:
            continue
        row = dict(row, tags=q.tags, question=q.question)
        if not row.get('skipped'):
            score_row(row, q, max_words, clock0, None if row.get('answer') else row['reason'])
        rows.append(row)
    summary = dict(old, **summarize(rows), max_words=max_words, bag_start_s=clock0)
    return {'summary': summary, 'questions': rows}


def _seconds(stamp) -> float:
    return stamp.sec + stamp.nanosec * 1e-9


def _round(value):
    return None if value is None else round(value, 3)


def _evidence(msg, start_s: float) -> dict:
    return {'id': msg.id, 'kind': msg.kind, 'start': round(_seconds(msg.start) - start_s, 2),
            'end': round(_seconds(msg.end) - start_s, 2), 'text': msg.text,
            'labels': [{'kind': label.kind, 'name': label.name, 'count': int(label.count)}
                       for label in msg.labels]}


class _progress:
    """A tqdm bar over bag seconds (stderr), or nothing."""

    def __init__(self, total: float, enabled: bool):
        self.bar = None
        if enabled:
            from tqdm import tqdm
            self.bar = tqdm(total=round(total, 1), unit='s', desc='replay (bag s)',
                            file=sys.stderr, bar_format='{l_bar}{bar}| {n:.1f}/{total:.1f} s '
                            '[{elapsed}<{remaining}]')
        self.shown = 0.0

    def update(self, t: float) -> None:
        if self.bar is not None and t - self.shown >= 0.5:
            self.bar.update(round(t - self.shown, 1))
            self.shown = round(t, 1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# ---------------------------------------------------------------------- report files
def write_report(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / 'report.json').write_text(json.dumps(report, indent=2))
    plots = write_plots(report, out)
    (out / 'report.md').write_text(markdown(report, plots))


def write_plots(report: dict, out: Path) -> list[str]:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    rows = [r for r in report['questions'] if not r.get('skipped')]
    names = []
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for key, label in (('latency_first_sentence_s', 'to first sentence'),
                       ('latency_answer_s', 'to full answer')):
        values = [r[key] for r in rows if r.get(key) is not None]
        if values:
            ax.hist(values, bins=min(20, max(5, len(values) // 2)), alpha=0.6, label=label)
    ax.set_xlabel('seconds from the end of the question')
    ax.set_ylabel('questions')
    ax.set_title(f'Answer latency (rate {report["summary"]["rate"]})')
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / 'latency.png', dpi=100)
    plt.close(fig)
    names.append('latency.png')
    tags = report['summary']['per_tag']
    fig, ax = plt.subplots(figsize=(max(6, 0.7 * len(tags) + 2), 3.5))
    xs = range(len(tags))
    for k, (key, label) in enumerate((('accuracy', 'omnilive'), ('not_seen', '"not seen"'),
                                      ('evidence_labels', 'evidence labels'))):
        ax.bar([x + (k - 1) * 0.27 for x in xs], [t[key] or 0 for t in tags.values()],
               width=0.27, label=label)
    ax.set_xticks(list(xs), [f'{t}\n(n={v["n"]})' for t, v in tags.items()], fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel('accuracy')
    ax.set_title('Accuracy per tag')
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / 'accuracy_by_tag.png', dpi=100)
    plt.close(fig)
    names.append('accuracy_by_tag.png')
    return names


def _replaced(summary: dict) -> str:
    """'3 of 31 (0.097)': the model answers the grounding check replaced (older reports: '')."""
    r = summary.get('replaced') or {}
    if not r.get('model_answers'):
        return 'none (no model answers)' if r else 'not reported'
    return f'{r["n"]} of {r["model_answers"]} ({r["share"]})'


def markdown(report: dict, plots: list[str]) -> str:
    s = report['summary']
    b = s['baselines']
    lat1, lat2 = s['latency_first_sentence_s'], s['latency_answer_s']
    lines = [
        f'# omnilive evaluation: {Path(s["bag"]).name}', '',
        f'{s["n"]} questions over {s["replayed_s"]} s of the bag, rate {s["rate"]}, profile '
        f'{s["profile"]}; answers over {s["max_words"]} words fail.', '',
        '| | accuracy |', '|---|---|',
        f'| omnilive | **{s["accuracy"]}** |',
        f'| baseline: always "{NOT_SEEN_ANSWER}" | {b["not_seen"]} |',
        f'| baseline: retrieved evidence labels as the answer | {b["evidence_labels"]} |', '',
        f'Answered by: {s["answered_by"]}. By source: {s["by_source"]}.', '',
        f'Model answers replaced by the grounding check\'s honest sentence: {_replaced(s)}.', '',
        f'Latency from the end of the question: first sentence p50 {lat1["p50"]} s, p95 '
        f'{lat1["p95"]} s; full answer p50 {lat2["p50"]} s, p95 {lat2["p95"]} s.', '',
        f'Replay: {s["replay_wall_s"]} s wall for {s["replayed_s"]} s of bag (realtime factor '
        f'{s["realtime_factor"]}), after {s["startup_s"]} s of start-up. Perception drops: '
        f'{s["perception_drops"]}; lost in transport: {s["lost_in_transport"]}. Memory: '
        f'{s["memory_items"]} items, {s["memory_bytes"]} bytes.', '',
        f'Node restarts: {s["node_restarts"]}; exits: '
        + ('; '.join(f'{e["node"]} ({e["exit"]}) at bag time {e["bag_time"]} s'
                     for e in s['node_exits']) or 'none') + '.',
    ]
    if s['ended_early']:
        lines += ['', f'**The run ended early**: {s["ended_early"]}. Questions not asked by then '
                      'fail as "not asked".']
    lines += [
        '', '## Per tag', '', '| tag | n | omnilive | "not seen" | evidence labels |',
        '|---|---|---|---|---|']
    for tag, t in s['per_tag'].items():
        lines.append(f'| {tag} | {t["n"]} | {t["accuracy"]} | {t["not_seen"]} | '
                     f'{t["evidence_labels"]} |')
    lines += ['', '## Questions', '', '| id | ask | at | question | answer | by | pass | why | '
              'first sentence s |', '|---|---|---|---|---|---|---|---|---|']

    def cell(text) -> str:
        return str(text or '').replace('|', '/').replace('\n', ' ')

    for r in report['questions']:
        asked = r['question'] if not r.get('heard') or r['heard'] == r['question'] else \
            f'{r["question"]} (heard: {r["heard"]})'
        mark = 'skipped' if r.get('skipped') else ('yes' if r['passed'] else '**no**')
        first = r['latency_first_sentence_s']
        lines.append(f'| {r["id"]} | {r["ask"]} | {r["at"]} | {cell(asked)} | {cell(r["answer"])} '
                     f'| {r["answered_by"] or ""} | {mark} | {cell(r["reason"])} | '
                     f'{first if first is not None else ""} |')
    lines += [''] + [f'![{p}]({p})' for p in plots] + ['']
    return '\n'.join(lines)


# ---------------------------------------------------------------------- command
def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='omnilive eval', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('bag', help='rosbag2 directory (sqlite3 or mcap)')
    parser.add_argument('questions', help='questions YAML (see tests/data/demo_questions.yaml)')
    parser.add_argument('--out', required=True, help='output directory for the report')
    parser.add_argument('--rate', default='max',
                        help="replay speed: 'max' (paced by the graph, repeatable; default) or a "
                             'factor such as 1.0 (real time)')
    parser.add_argument('--profile', default='cpu', help='config profile: cpu or gpu')
    parser.add_argument('--until', type=float, help='replay only the first N seconds of the bag')
    parser.add_argument('--remap', action='append', default=[], metavar='BAG_TOPIC:=TOPIC',
                        help='publish a bag topic under another name (default: by message type)')
    parser.add_argument('--param', action='append', default=[], metavar='NODE:NAME=VALUE',
                        help='override a node parameter, e.g. reasoning:direct_answers=false')
    parser.add_argument('--max-words', type=int, default=40,
                        help='answers longer than this many words fail (default 40)')
    parser.add_argument('--domain-id', type=int,
                        help='ROS_DOMAIN_ID of the evaluation graph (default: a random one of '
                             'its own, apart from a robot running on this machine); discovery '
                             'stays on this machine')
    parser.add_argument('--no-progress', action='store_true', help='no progress bar')
    parser.add_argument('--rescore', action='store_true',
                        help='BAG is an earlier run\'s output directory: score its answers again '
                             'against QUESTIONS (a changed file or scorer) without replaying')
    return parser.parse_args(argv)


def _pairs(items: list[str], sep: str, what: str) -> list[tuple[str, str]]:
    out = []
    for text in items:
        key, found, value = text.partition(sep)
        if not found or not key or not value:
            raise ValueError(f'{what} {text!r}: expected KEY{sep}VALUE')
        out.append((key, value))
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # the evaluation graph is self-contained: its discovery never leaves this machine, and its
    # domain is its own, so a robot's graph on this machine never sees the replayed sensors
    from omnilive.ros.harness import isolate
    log(f'ROS domain {isolate(args.domain_id)} (discovery on this machine only)')
    try:
        rate = None if args.rate == 'max' else float(args.rate)
        if rate is not None and rate <= 0:
            raise ValueError('--rate must be max or a positive factor')
        remaps = dict(_pairs(args.remap, ':=', '--remap'))
        overrides = graph.parse_node_params(args.param)
        config_file(args.profile)  # an unknown profile fails here, naming the ones there are
        questions = load_questions(args.questions)
        if args.rescore:
            report = rescore(json.loads((Path(args.bag) / 'report.json').read_text()),
                             questions, args.max_words if args.max_words != 40 else None)
            write_report(report, Path(args.out))
            print(f'accuracy {report["summary"]["accuracy"]} (n={report["summary"]["n"]}); '
                  f'baselines: {report["summary"]["baselines"]}; report: '
                  f'{Path(args.out) / "report.md"}')
            return 0
        evaluation = Evaluation(args.bag, questions, args.out, rate=rate, profile=args.profile,
                                until=args.until, remaps=remaps, overrides=overrides,
                                max_words=args.max_words, progress=not args.no_progress)
    except (QuestionsError, BagError, ValueError, OSError, KeyError) as err:
        print(f'omnilive eval: {err}', file=sys.stderr)
        return 2
    report = evaluation.run()
    s = report['summary']
    print(f'accuracy {s["accuracy"]} (n={s["n"]}); '
          f'baselines: not seen {s["baselines"]["not_seen"]}, '
          f'evidence labels {s["baselines"]["evidence_labels"]}; answered by {s["answered_by"]}; '
          f'model answers replaced {_replaced(s)}; '
          f'first sentence p50 {s["latency_first_sentence_s"]["p50"]} s; realtime factor '
          f'{s["realtime_factor"]}; node restarts {s["node_restarts"]}; report: '
          f'{Path(args.out) / "report.md"}')
    if evaluation.signal is not None:
        return 128 + evaluation.signal
    if s['ended_early']:
        print(f'omnilive eval: the run ended early: {s["ended_early"]}', file=sys.stderr)
        return 1
    return 0
