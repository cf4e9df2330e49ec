"""The reasoning node: action server `ask` over omnilive.reasoning.Answerer.

Goals are answered one at a time in arrival order (omnilive.reasoning.turns: at most
`max_waiting_goals` wait, holding no thread; more are rejected and counted); a new spoken
question interrupts the speech of the previous answer, not its generation; cancel stops
generation between tokens. Memory is read through memory/retrieve and written only through
memory/remember, so answering never blocks perception or memory. Between questions the model
evaluates the standing records (omnilive.reasoning.standing). `fault.*` parameters wrap the
model in a fault injector (omnilive.reasoning.faults) for reliability tests.
"""
from __future__ import annotations

import operator
import threading
import uuid

from rclpy.action import ActionServer, CancelResponse, GoalResponse
from rclpy.callback_groups import MutuallyExclusiveCallbackGroup, ReentrantCallbackGroup
from std_msgs.msg import Empty

from omnilive.audio.speculative import SPECULATIVE_QUERY_TOPIC
from omnilive.reasoning.answerer import AnswerConfig, Answerer
from omnilive.reasoning.faults import StallingGenerator
from omnilive.reasoning.questions import scope_of
from omnilive.reasoning.speculative import SpeculativeAnswers
from omnilive.reasoning.standing import StandingRecords
from omnilive.reasoning.turns import GoalQueue
from omnilive.ros.convert import from_time, item_from_msg, item_to_msg, to_time
from omnilive.ros.interfaces import omnilive_actions, omnilive_msgs, omnilive_srvs
from omnilive.ros.lifecycle import ManagedNode
from omnilive.ros.node_util import RESEND_S, call_service, now_s, spin, wait_future
from omnilive.ros.params import attribute_setters
from omnilive.ros.qos import DERIVED
from omnilive.util.diagnostics import Reasoning as K
from omnilive.util.node_config import ReasoningConfig
from omnilive.vision import image_convert


# parameters the answerer reads from its AnswerConfig: parameter -> AnswerConfig field
ANSWER_SETTINGS = {name: name.replace('.', '_') for name in (
    'top_k', 'direct_answers', 'first_clause_words', 'temperature', 'seed', 'history_turns',
    'max_question_chars', 'standing.window_s', 'standing.max_chars', 'standing.growing_s')}
ANSWER_SETTINGS.update(max_answer_tokens='max_tokens', max_answer_sentences='max_sentences')


def build_generator(cfg: ReasoningConfig):
    """The configured model: llama.cpp (GGUF) or a VLM that also sees keyframes."""
    if cfg.backend == 'vlm':
        from omnilive.models.vlm import VisionLanguageModel
        return VisionLanguageModel(cfg.vlm.model, device=cfg.vlm.device, threads=cfg.vlm.threads)
    from omnilive.models.llm import LlamaCppGenerator
    return LlamaCppGenerator(cfg.llm.model, n_ctx=cfg.llm.n_ctx, threads=cfg.llm.threads,
                             gpu_layers=cfg.llm.gpu_layers, seed=cfg.seed)


class ReasoningNode(ManagedNode):
    schema = K

    def __init__(self):
        self.answerer = self.turns = self.fault = self.server = None
        self.speculation = self.speculative_sub = self.standing = None
        # the Retrieve scope of the running goal or speculation, per thread ('' = memory's default)
        self._scope = threading.local()
        run_time = {name: [f'answerer.config.{field}'] for name, field in ANSWER_SETTINGS.items()
                    if name not in ('seed', 'history_turns')}   # those two need a restart
        run_time['max_waiting_goals'] = ['turns.max_waiting']
        super().__init__('reasoning', ReasoningConfig(), attribute_setters(self, run_time))
        srv = omnilive_srvs()
        clients = ReentrantCallbackGroup()
        self.retrieve_client = self.create_client(srv.Retrieve, 'memory/retrieve',
                                                  callback_group=clients)
        self.remember_client = self.create_client(srv.Remember, 'memory/remember',
                                                  callback_group=clients)
        self.stats_client = self.create_client(srv.Stats, 'memory/stats', callback_group=clients)
        msgs = omnilive_msgs()
        self.Answer, self.Sentence = msgs.Answer, msgs.Sentence
        self.tts_pub = self.create_lifecycle_publisher(msgs.Sentence, 'tts', DERIVED)
        self.answer_pub = self.create_lifecycle_publisher(msgs.Answer, 'answers', DERIVED)
        self.interrupt_pub = self.create_lifecycle_publisher(Empty, 'interrupt', DERIVED)
        self.Ask = omnilive_actions().Ask
        self.Utterance = msgs.Utterance

    def configure(self) -> None:
        cfg = self.cfg
        config = AnswerConfig(**{field: operator.attrgetter(name)(cfg)
                                 for name, field in ANSWER_SETTINGS.items()})
        generator = build_generator(cfg)
        keyframes = image_convert.keyframes_rgb if cfg.backend == 'vlm' else None
        if cfg.fault.stall_s > 0:
            self.fault = generator = StallingGenerator(generator, cfg.fault.stall_s,
                                                       cfg.fault.stall_after_pieces)
            self.get_logger().warning(f'fault injection on: the model stalls {cfg.fault.stall_s} '
                                      's per answer')
        self.answerer = Answerer(self._retrieve, generator, remember=self._remember,
                                 config=config, keyframes=keyframes,
                                 start_of_memory=self._start_of_memory)
        self.turns = GoalQueue(cfg.max_waiting_goals,
                               start=lambda handle: handle.execute(),
                               cancel_requested=lambda handle: handle.is_cancel_requested,
                               on_error=self._start_failed)
        self.speculation = SpeculativeAnswers(
            self.answerer, on_thread=lambda q: setattr(self._scope, 'value', scope_of(q)))
        # between questions (while active) the model evaluates what open questions start with
        self.standing = StandingRecords(self.answerer, self.speculation, lambda: now_s(self),
                                        cfg.standing.refresh_s, self.get_logger().warning)
        self.get_logger().info(f'reasoning configured: backend {cfg.backend}, action '
                               f'{self.resolve("ask")}')

    def activate(self) -> None:
        self.server = ActionServer(self, self.Ask, 'ask', self._execute,
                                   goal_callback=self._accept,
                                   handle_accepted_callback=self.turns.push,
                                   cancel_callback=lambda _: CancelResponse.ACCEPT,
                                   callback_group=ReentrantCallbackGroup())
        self.speculative_sub = self.create_subscription(
            self.Utterance, SPECULATIVE_QUERY_TOPIC, self._speculate, DERIVED,
            callback_group=MutuallyExclusiveCallbackGroup())
        self.standing.start()

    def deactivate(self) -> None:
        if self.server is not None:   # goals already accepted still end (their answer is lost)
            self.server.destroy()
            self.server = None
        if self.speculative_sub is not None:
            self.destroy_subscription(self.speculative_sub)
            self.speculative_sub = None
        self.speculation.cancel()   # deactivate() follows activate(), after configure()
        self.standing.stop()

    def release(self) -> None:
        if self.turns is not None:
            self.turns.stop()
        if self.speculation is not None:
            self.speculation.cancel()
        self.answerer = self.turns = self.fault = self.speculation = self.standing = None

    def resolve(self, name: str) -> str:
        return self.get_namespace().rstrip('/') + '/' + name

    # ------------------------------------------------------------------ memory access
    def _retrieve(self, query, top_k, since, until, kinds):
        req = self.retrieve_client.srv_type.Request(query=query, top_k=int(top_k),
                                                    since=to_time(since), until=to_time(until),
                                                    kinds=list(kinds),
                                                    scope=getattr(self._scope, 'value', ''))
        res = call_service(self.retrieve_client, req, self.cfg.retrieve_timeout_s,
                           resend_s=RESEND_S)
        return [item_from_msg(m) for m in res.items]

    def _start_of_memory(self) -> float:
        """When the memory begins (its oldest item), for "what did you see at the start?"."""
        res = call_service(self.stats_client, self.stats_client.srv_type.Request(),
                           self.cfg.retrieve_timeout_s, resend_s=RESEND_S)
        return from_time(res.oldest)

    def _remember(self, text: str, stamp: float) -> str:
        if not self.remember_client.wait_for_service(timeout_sec=self.cfg.retrieve_timeout_s):
            raise TimeoutError('memory/remember is not available')
        req = self.remember_client.srv_type.Request(text=text, stamp=to_time(stamp))
        note_id = wait_future(self.remember_client.call_async(req), self.cfg.retrieve_timeout_s,
                              'memory/remember').id
        if not note_id:
            raise ValueError(f'memory refused the note {text[:60]!r}')
        return note_id

    # ------------------------------------------------------------------ speculation
    def _speculate(self, msg) -> None:
        """A question heard before its endpoint: its answer prepared on a worker thread (never
        blocks a goal), unless a goal is busy (SpeculativeAnswers.offer)."""
        if self.speculation is not None and self.cfg.speculative_prefill:
            self.speculation.offer(msg.text, from_time(msg.end) or now_s(self))

    def _prepared(self, goal):
        """The plan prepared for a spoken goal's question, or None (none, or another text)."""
        if self.speculation is None or goal.source != 'voice' or \
                not self.cfg.speculative_prefill:
            return None
        if goal.scope and goal.scope != scope_of(goal.question):  # retrieved in another scope
            self.speculation.cancel()
            return None
        return self.speculation.take(goal.question, timeout=self.cfg.retrieve_timeout_s + 60.0)

    # ------------------------------------------------------------------ goals
    def diagnostic_values(self) -> dict:
        values = {**self.counters.snapshot(), K.QUEUED: self.turns.waiting(),
                  K.MAX_WAITING_GOALS: self.turns.max_waiting}
        if self.speculation is not None:
            values.update({K.SPECULATION(k): v for k, v in self.speculation.counters.items()})
            values[K.SPECULATION('skipped')] = self.speculation.skipped
            values.update({K.PREPARED(k): v for k, v in self.speculation.last.items()})
        if self.standing is not None:
            values.update({K.STANDING_TOKENS: self.standing.tokens,
                           K.STANDING_FAILED: self.standing.failed})
        if self.fault is not None:
            values.update({K.FAULT_STALLS: self.fault.stalls,
                           K.FAULT_STALLING: int(self.fault.stalling)})
        return values

    def _accept(self, goal) -> GoalResponse:
        self.counters.add(K.GOALS)
        if not self.turns.admit():
            self.counters.add(K.REJECTED)
            self.get_logger().warning(f'question {goal.question[:60]!r} rejected: '
                                      f'{self.turns.max_waiting} questions are already waiting')
            return GoalResponse.REJECT
        if goal.source == 'voice':
            self.interrupt_pub.publish(Empty())  # a new spoken question: stop speaking the last
        if self.speculation is not None:
            self.speculation.goal_accepted(goal.question)
        return GoalResponse.ACCEPT

    def _start_failed(self, handle, err) -> None:
        if self.speculation is not None:
            self.speculation.goal_started(handle.request.question, runs=False)
        self.counters.add(K.ABORTED)
        self.get_logger().error(f'a goal could not start: {err!r}')
        try:
            handle.abort()
        except Exception:  # noqa: BLE001 (already in a terminal state: nothing left to end)
            pass

    def _execute(self, handle):
        speculation = self.speculation
        if speculation is not None:
            speculation.goal_started(handle.request.question)
        try:
            return self._answer(handle, handle.request)
        finally:
            if speculation is not None:
                speculation.goal_ended()
            self.turns.finished(handle)

    def _answer(self, handle, goal):
        qid = goal.question_id or uuid.uuid4().hex[:12]
        # goals are answered one at a time (GoalQueue): the scope of this one's retrievals
        self._scope.value = goal.scope or scope_of(goal.question)
        now = from_time(goal.asked_at) or now_s(self)
        if handle.is_cancel_requested:
            handle.canceled()
            self.counters.add(K.CANCELED)
            return self.Ask.Result(status=self.Ask.Result.STATUS_CANCELED)
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
                                          should_stop=lambda: handle.is_cancel_requested,
                                          prepared=self._prepared(goal))
        except Exception as err:  # memory down, model failure: a defined end for the goal
            self.get_logger().error(f'question {qid!r} failed: {err}')
            handle.abort()
            self.counters.add(K.ABORTED)
            return self.Ask.Result(answer=self.Answer(question_id=qid, question=goal.question),
                                   status=self.Ask.Result.STATUS_FAILED,
                                   error=f'{type(err).__name__}: {err}')
        if goal.speak and sentences:
            self.tts_pub.publish(self.Sentence(question_id=qid, index=len(sentences), text='',
                                               last=True))
        answer = self.Answer(question_id=qid, question=goal.question,
                             source=goal.source or 'text', asked_at=to_time(now),
                             answer=result.answer, answered_by=result.answered_by,
                             evidence=[item_to_msg(i) for i in result.evidence],
                             retrieval_ms=result.retrieval_ms,
                             first_token_ms=result.first_token_ms,
                             first_sentence_ms=result.first_sentence_ms, total_ms=result.total_ms)
        answer.header.stamp = self.get_clock().now().to_msg()
        self.answer_pub.publish(answer)
        status = self.Ask.Result.STATUS_OK
        if result.cancelled or handle.is_cancel_requested:
            handle.canceled()
            self.counters.add(K.CANCELED)
            status = self.Ask.Result.STATUS_CANCELED
        else:
            handle.succeed()
            self.counters.add(K.SUCCEEDED)
            # a replaced model answer ('model-replaced') was still written by the model
            self.counters.add({'direct': K.DIRECT, 'model': K.MODEL,
                               'model-replaced': K.MODEL}[result.answered_by])
        self.get_logger().info(f'[{qid}] {goal.question!r} -> {result.answer!r} '
                               f'({result.answered_by}, {result.total_ms:.0f} ms)')
        return self.Ask.Result(answer=answer, status=status)


def main() -> int:
    return spin(ReasoningNode, threads=6)
