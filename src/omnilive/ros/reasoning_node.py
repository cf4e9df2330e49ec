"""The reasoning node: action server `ask` over omnilive.reasoning.Answerer.

Goals are answered one at a time in arrival order (a queue: every question gets an answer);
a new spoken question interrupts the speech of the previous answer, not its generation; cancel
stops generation between tokens. Memory is read through memory/retrieve and written only through
memory/remember ("remember that ..."), so answering never blocks perception or memory.
"""
from __future__ import annotations

import threading
import uuid

import cv2
import numpy as np
from rclpy.action import ActionServer, CancelResponse, GoalResponse
from rclpy.callback_groups import ReentrantCallbackGroup
from rclpy.node import Node
from std_msgs.msg import Empty

from omnilive.reasoning.answerer import AnswerConfig, Answerer
from omnilive.ros.convert import from_time, item_from_msg, item_to_msg, to_time
from omnilive.ros.interfaces import omnilive_actions, omnilive_msgs, omnilive_srvs
from omnilive.ros.node_util import Diagnostics, declare, now_s, spin, wait_future
from omnilive.ros.qos import DERIVED


class FifoGate:
    """Lets goal threads through one at a time, in the order they arrived."""

    def __init__(self):
        self._cond = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    def ticket(self) -> int:
        with self._cond:
            self._next_ticket += 1
            return self._next_ticket - 1

    def wait(self, ticket: int) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._serving == ticket)

    def done(self) -> None:
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


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
            history_turns=p('history_turns', 3, 'question/answer turns kept for follow-ups'))
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
        srv = omnilive_srvs()
        clients = ReentrantCallbackGroup()
        self.retrieve_client = self.create_client(srv.Retrieve, 'memory/retrieve',
                                                  callback_group=clients)
        self.remember_client = self.create_client(srv.Remember, 'memory/remember',
                                                  callback_group=clients)
        self.answerer = Answerer(self._retrieve, generator, remember=self._remember,
                                 config=config, keyframes=keyframes)
        msgs = omnilive_msgs()
        self.Answer, self.Sentence = msgs.Answer, msgs.Sentence
        self.tts_pub = self.create_publisher(msgs.Sentence, 'tts', DERIVED)
        self.answer_pub = self.create_publisher(msgs.Answer, 'answers', DERIVED)
        self.interrupt_pub = self.create_publisher(Empty, 'interrupt', DERIVED)
        self.gate = FifoGate()
        self.counters = {'goals': 0, 'succeeded': 0, 'canceled': 0, 'aborted': 0, 'direct': 0,
                         'model': 0, 'queued': 0}
        self.Ask = omnilive_actions().Ask
        ActionServer(self, self.Ask, 'ask', self._execute, goal_callback=self._accept,
                     cancel_callback=lambda _: CancelResponse.ACCEPT,
                     callback_group=ReentrantCallbackGroup())
        self.diagnostics = Diagnostics(self)
        self.diagnostics.values = lambda: dict(self.counters)
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

    def _remember(self, text: str, stamp: float) -> str:
        if not self.remember_client.wait_for_service(timeout_sec=self.retrieve_timeout):
            raise TimeoutError('memory/remember is not available')
        req = self.remember_client.srv_type.Request(text=text, stamp=to_time(stamp))
        return wait_future(self.remember_client.call_async(req), self.retrieve_timeout,
                           'memory/remember').id

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
    def _accept(self, goal) -> GoalResponse:
        if goal.source == 'voice':
            self.interrupt_pub.publish(Empty())  # a new spoken question: stop speaking the last
        self.counters['goals'] += 1
        return GoalResponse.ACCEPT

    def _execute(self, handle):
        goal = handle.request
        ticket = self.gate.ticket()
        self.counters['queued'] += 1
        self.gate.wait(ticket)
        self.counters['queued'] -= 1
        try:
            return self._answer(handle, goal)
        finally:
            self.gate.done()

    def _answer(self, handle, goal):
        qid = goal.question_id or uuid.uuid4().hex[:12]
        now = from_time(goal.asked_at) or now_s(self)
        if handle.is_cancel_requested:
            handle.canceled()
            self.counters['canceled'] += 1
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
            self.counters['aborted'] += 1
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
            self.counters['canceled'] += 1
        else:
            handle.succeed()
            self.counters['succeeded'] += 1
            self.counters[result.answered_by] += 1
        self.get_logger().info(f'[{qid}] {goal.question!r} -> {result.answer!r} '
                               f'({result.answered_by}, {result.total_ms:.0f} ms)')
        return self.Ask.Result(answer=answer)


def main() -> int:
    return spin(ReasoningNode, threads=6)
