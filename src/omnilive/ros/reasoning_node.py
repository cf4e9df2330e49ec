"""The reasoning node: action server `ask` over omnilive.reasoning.Answerer.

Goals are answered one at a time in arrival order (omnilive.reasoning.turns: waiting goals hold
no thread, at most `max_waiting_goals` wait and further goals are rejected and counted); a new
spoken question interrupts the speech of the previous answer, not its generation; cancel stops
generation between tokens, and a goal cancelled while waiting ends at once. Memory is read
through memory/retrieve and written only through memory/remember ("remember that ..."), so
answering never blocks perception or memory. `fault.*` parameters wrap the real model in a fault
injector (omnilive.reasoning.faults) for reliability tests.
"""
from __future__ import annotations

import sys
import uuid

import cv2
import numpy as np
from rclpy.action import ActionServer, CancelResponse, GoalResponse
from rclpy.callback_groups import ReentrantCallbackGroup
from rclpy.node import Node
from std_msgs.msg import Empty

from omnilive.models.registry import ModelNotProvisioned
from omnilive.reasoning.answerer import AnswerConfig, Answerer
from omnilive.reasoning.faults import StallingGenerator
from omnilive.reasoning.turns import GoalQueue
from omnilive.ros.convert import from_time, item_from_msg, item_to_msg, to_time
from omnilive.ros.interfaces import omnilive_actions, omnilive_msgs, omnilive_srvs
from omnilive.ros.node_util import Counters, Diagnostics, declare, now_s, spin, wait_future
from omnilive.ros.qos import DERIVED


class ReasoningNode(Node):
    def __init__(self):
        super().__init__('reasoning')
        p = lambda *a: declare(self, *a)  # noqa: E731
        backend = p('backend', 'llama_cpp', 'llama_cpp (GGUF, default) or vlm (transformers '
                    'image-text-to-text model that also sees retrieved keyframes)')
        config = AnswerConfig(
            top_k=p('top_k', 6, 'memories retrieved per question'),
            direct_answers=p('direct_answers', True, 'answer counts, times and notes without '
                             'the model when the evidence makes the answer certain'),
            max_tokens=p('max_answer_tokens', 80, 'generation cap per answer'),
            max_sentences=p('max_answer_sentences', 2, 'answers stop after this many sentences'),
            temperature=p('temperature', 0.0, 'sampling temperature (0: greedy, repeatable)'),
            seed=p('seed', 0, 'sampling seed'),
            history_turns=p('history_turns', 3, 'question/answer turns kept for follow-ups'),
            max_question_chars=p('max_question_chars', 1000, 'longer questions are refused'))
        self.retrieve_timeout = p('retrieve_timeout_s', 10.0, 'memory/retrieve timeout (s)')
        keyframes = None
        if backend == 'vlm':
            from omnilive.models.vlm import VisionLanguageModel
            generator = VisionLanguageModel(p('vlm.model', '', 'local path or hub id'),
                                            device=p('vlm.device', 'cuda', 'cpu or cuda'),
                                            threads=p('vlm.threads', 2, 'CPU threads'))
            keyframes = self._keyframes
        elif backend == 'llama_cpp':
            from omnilive.models.llm import LlamaCppGenerator
            generator = LlamaCppGenerator(p('llm.model', '', 'GGUF path (empty: provisioned)'),
                                          n_ctx=p('llm.n_ctx', 2048, 'context length'),
                                          threads=p('llm.threads', 2, 'CPU threads'),
                                          gpu_layers=p('llm.gpu_layers', 0, 'layers offloaded '
                                                       'to the GPU (-1: all)'),
                                          seed=config.seed)
        else:
            raise ValueError(f'unknown backend {backend!r}: use llama_cpp or vlm')
        self.fault = None
        stall_s = p('fault.stall_s', 0.0, 'fault injection (tests, drills): the model stalls '
                    'this long in every answer (0: off)')
        if stall_s > 0:
            self.fault = generator = StallingGenerator(
                generator, stall_s, p('fault.stall_after_pieces', 0, 'text pieces generated '
                                      'before the stall (0: before the first)'))
            self.get_logger().warning(f'fault injection on: the model stalls {stall_s} s per answer')
        srv = omnilive_srvs()
        clients = ReentrantCallbackGroup()
        self.retrieve_client = self.create_client(srv.Retrieve, 'memory/retrieve',
                                                  callback_group=clients)
        self.remember_client = self.create_client(srv.Remember, 'memory/remember',
                                                  callback_group=clients)
        self.stats_client = self.create_client(srv.Stats, 'memory/stats', callback_group=clients)
        self.answerer = Answerer(self._retrieve, generator, remember=self._remember,
                                 config=config, keyframes=keyframes,
                                 start_of_memory=self._start_of_memory)
        msgs = omnilive_msgs()
        self.Answer, self.Sentence = msgs.Answer, msgs.Sentence
        self.tts_pub = self.create_publisher(msgs.Sentence, 'tts', DERIVED)
        self.answer_pub = self.create_publisher(msgs.Answer, 'answers', DERIVED)
        self.interrupt_pub = self.create_publisher(Empty, 'interrupt', DERIVED)
        self.counters = Counters('goals', 'succeeded', 'canceled', 'aborted', 'rejected',
                                 'direct', 'model')
        self.turns = GoalQueue(p('max_waiting_goals', 16, 'goals waiting for their turn; more '
                                 'are rejected (counted as rejected)'),
                               start=lambda handle: handle.execute(),
                               cancel_requested=lambda handle: handle.is_cancel_requested,
                               on_error=self._start_failed)
        self.Ask = omnilive_actions().Ask
        ActionServer(self, self.Ask, 'ask', self._execute, goal_callback=self._accept,
                     handle_accepted_callback=self.turns.push,
                     cancel_callback=lambda _: CancelResponse.ACCEPT,
                     callback_group=ReentrantCallbackGroup())
        self.diagnostics = Diagnostics(self)
        self.diagnostics.values = self._diagnostic_values
        self.get_logger().info(f'reasoning ready: backend {backend}, action {self.resolve("ask")}')

    def resolve(self, name: str) -> str:
        return self.get_namespace().rstrip('/') + '/' + name

    # ------------------------------------------------------------------ memory access
    def _retrieve(self, query, top_k, since, until, kinds):
        if not self.retrieve_client.wait_for_service(timeout_sec=self.retrieve_timeout):
            raise TimeoutError('memory/retrieve is not available')
        req = self.retrieve_client.srv_type.Request(query=query, top_k=int(top_k),
                                                    since=to_time(since), until=to_time(until),
                                                    kinds=list(kinds))
        res = wait_future(self.retrieve_client.call_async(req), self.retrieve_timeout,
                          'memory/retrieve')
        return [item_from_msg(m) for m in res.items]

    def _start_of_memory(self) -> float:
        """When the memory begins (its oldest item), for "what did you see at the start?\"."""
        if not self.stats_client.wait_for_service(timeout_sec=self.retrieve_timeout):
            raise TimeoutError('memory/stats is not available')
        res = wait_future(self.stats_client.call_async(self.stats_client.srv_type.Request()),
                          self.retrieve_timeout, 'memory/stats')
        return from_time(res.oldest)

    def _remember(self, text: str, stamp: float) -> str:
        if not self.remember_client.wait_for_service(timeout_sec=self.retrieve_timeout):
            raise TimeoutError('memory/remember is not available')
        req = self.remember_client.srv_type.Request(text=text, stamp=to_time(stamp))
        note_id = wait_future(self.remember_client.call_async(req), self.retrieve_timeout,
                              'memory/remember').id
        if not note_id:
            raise ValueError(f'memory refused the note {text[:60]!r}')
        return note_id

    @staticmethod
    def _keyframes(items):
        frames = []
        for item in items:
            if item.keyframe_jpeg:
                bgr = cv2.imdecode(np.frombuffer(item.keyframe_jpeg, np.uint8), cv2.IMREAD_COLOR)
                if bgr is not None:
                    frames.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        return frames[:4]

    # ------------------------------------------------------------------ goals
    def _diagnostic_values(self) -> dict:
        values = dict(self.counters.snapshot(), queued=self.turns.waiting(),
                      max_waiting_goals=self.turns.max_waiting)
        if self.fault is not None:
            values.update({'fault.stalls': self.fault.stalls,
                           'fault.stalling': int(self.fault.stalling)})
        return values

    def _accept(self, goal) -> GoalResponse:
        self.counters.add('goals', 1)
        if not self.turns.admit():
            self.counters.add('rejected', 1)
            self.get_logger().warning(f'question {goal.question[:60]!r} rejected: '
                                      f'{self.turns.max_waiting} questions are already waiting')
            return GoalResponse.REJECT
        if goal.source == 'voice':
            self.interrupt_pub.publish(Empty())  # a new spoken question: stop speaking the last
        return GoalResponse.ACCEPT

    def _start_failed(self, handle, err) -> None:
        self.counters.add('aborted', 1)
        self.get_logger().error(f'a goal could not start: {err!r}')
        try:
            handle.abort()
        except Exception:  # noqa: BLE001 (already in a terminal state: nothing left to end)
            pass

    def _execute(self, handle):
        try:
            return self._answer(handle, handle.request)
        finally:
            self.turns.finished(handle)

    def _answer(self, handle, goal):
        qid = goal.question_id or uuid.uuid4().hex[:12]
        now = from_time(goal.asked_at) or now_s(self)
        if handle.is_cancel_requested:
            handle.canceled()
            self.counters.add('canceled', 1)
            return self.Ask.Result()
        sentences = []

        def on_sentence(text):
            sentences.append(text)
            if goal.speak:
                msg = self.Sentence(question_id=qid, index=len(sentences) - 1, text=text)
                msg.header.stamp = self.get_clock().now().to_msg()
                self.tts_pub.publish(msg)

        def on_text(text):
            handle.publish_feedback(self.Ask.Feedback(partial=text))

        try:
            result = self.answerer.answer(goal.question, now, on_text=on_text,
                                          on_sentence=on_sentence,
                                          should_stop=lambda: handle.is_cancel_requested)
        except Exception as err:  # memory down, model failure: a defined end for the goal
            self.get_logger().error(f'question {qid!r} failed: {err}')
            handle.abort()
            self.counters.add('aborted', 1)
            return self.Ask.Result(answer=self.Answer(question_id=qid, question=goal.question,
                                                      answer=f'I could not answer: {err}'))
        if goal.speak and sentences:
            self.tts_pub.publish(self.Sentence(question_id=qid, index=len(sentences), text='',
                                               last=True))
        answer = self.Answer(question_id=qid, question=goal.question,
                             source=goal.source or 'text', asked_at=to_time(now),
                             answer=result.answer, answered_by=result.answered_by,
                             evidence=[item_to_msg(i) for i in result.evidence],
                             retrieval_ms=result.retrieval_ms, first_token_ms=result.first_token_ms,
                             first_sentence_ms=result.first_sentence_ms, total_ms=result.total_ms)
        answer.header.stamp = self.get_clock().now().to_msg()
        self.answer_pub.publish(answer)
        if result.cancelled or handle.is_cancel_requested:
            handle.canceled()
            self.counters.add('canceled', 1)
        else:
            handle.succeed()
            self.counters.add('succeeded', 1)
            self.counters.add(result.answered_by, 1)
        self.get_logger().info(f'[{qid}] {goal.question!r} -> {result.answer!r} '
                               f'({result.answered_by}, {result.total_ms:.0f} ms)')
        return self.Ask.Result(answer=answer)


    def close(self) -> None:
        self.turns.stop()


def main() -> int:
    try:
        return spin(ReasoningNode, threads=6)
    except ModelNotProvisioned as err:  # a missing model file: a clear message, not a traceback
        print(f'[reasoning] cannot start: {err}', file=sys.stderr)
        return 1
