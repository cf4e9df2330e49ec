"""Text generation (role llm): llama.cpp through llama-cpp-python, any GGUF.

Models: the provisioned Qwen2.5-Coder-0.5B-Instruct (default) or 1.5B-Instruct Q4_K_M, chosen by
id (`llm.model: qwen2.5-coder-1.5b`), or any GGUF path. On a GPU build of llama-cpp-python,
`gpu_layers=-1` offloads every layer.

Prompt reuse: a chat is formatted with the model's own chat template and tokenized here, so the
same messages always give the same tokens. llama.cpp keeps the evaluated tokens of the last
prompt in its KV cache and re-evaluates only what follows the longest common token prefix: a
prompt whose stable part (system prompt, instructions, examples) comes first pays for that part
once. `prefill()` evaluates a prompt without generating, so a later `stream()` of the same
messages starts sampling at once (speculative prefill while the user is still speaking), and
`prefill(partial=True)` the start that prompts to come share (the reasoning node's standing
records, between questions).

One context holds one prompt, so any other question's prompt would overwrite that start. A
completed `prefill(partial=True)` therefore also copies its KV cells aside (llama.cpp's
per-sequence state: ~28 KB a token for the 1.5B model, 18 MB for 600 tokens, copied in ~10 ms),
and a prompt that begins with it, when the context has less of it, starts from that copy.

A partial prefill (work between questions) stops within a chunk too: while it runs, llama.cpp's
abort callback (polled by the compute threads between graph nodes) asks `should_stop`, so a
question's prompt waits ~30 ms for the chunk in flight, not the ~0.3-1 s the chunk takes beside
perception. Only there: the callback runs Python, so at every graph node it needs the GIL, and
beside a busy Python thread of the same process it halved prefill throughput (77 -> 31 tokens/s
with the thread, 15 with the thread and the callback, measured on 2 cores); a question's own
prefill must not pay that.
"""
from __future__ import annotations

import ctypes
import threading
from typing import Iterator, Optional

from omnilive.models import registry


# prefill evaluates this many tokens between checks of should_stop (a batch this size keeps most of
# a full batch's throughput; a 1.5B model on 2 cores evaluates it in well under a second)
PREFILL_CHUNK = 64


def common_prefix(a, b) -> int:
    """Length of the longest common prefix of two token sequences."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


class LlamaCppGenerator:
    def __init__(self, model: str | None = None, n_ctx: int = 2048, threads: int = 1,
                 gpu_layers: int = 0, seed: int = 0):
        from llama_cpp import Llama
        self.path = registry.resolve('llm', model)
        try:
            self.llm = Llama(model_path=self.path, n_ctx=n_ctx, n_threads=max(1, int(threads)),
                             n_threads_batch=max(1, int(threads)), n_gpu_layers=gpu_layers,
                             seed=seed, verbose=False)
        except ValueError as err:  # llama.cpp: "Failed to load model from file: ..."
            raise registry.load_error('llm', self.path, err) from err
        self._formatter = self._chat_formatter()
        self._lock = threading.Lock()  # one llama context: one generation at a time
        # the tokens and KV cells of the last completed partial prefill (see the module doc)
        self._saved: Optional[tuple[list[int], ctypes.Array]] = None
        self._should_stop = None   # the running prefill's should_stop, for the abort callback
        import llama_cpp
        # kept referenced: llama.cpp holds only the C pointer
        self._abort = llama_cpp.ggml_abort_callback(lambda _data: bool(self._should_stop()))

    def _chat_formatter(self):
        """The model's chat template (GGUF metadata), as llama-cpp-python itself builds it; a
        GGUF without one is formatted as ChatML."""
        from llama_cpp import llama_chat_format
        template = self.llm.metadata.get('tokenizer.chat_template')
        if not template:
            return llama_chat_format.format_chatml
        text = self.llm._model.token_get_text
        eos, bos = self.llm.token_eos(), self.llm.token_bos()
        return llama_chat_format.Jinja2ChatFormatter(
            template=template, eos_token=text(eos) if eos != -1 else '',
            bos_token=text(bos) if bos != -1 else '', stop_token_ids=[eos])

    def tokens(self, messages: list[dict], partial: bool = False) -> tuple[list[int], list[str]]:
        """The prompt tokens of a chat and the template's stop strings. `partial`: only up to
        the end of the last message's text (no end of turn): the start of any longer prompt
        whose last message begins with that text, less its last token (which may merge with
        the text that follows)."""
        result = self._formatter(messages=messages)
        prompt = result.prompt
        if partial:
            text = messages[-1]['content']
            prompt = prompt[:prompt.rindex(text) + len(text)]
        tokens = self.llm.tokenize(prompt.encode('utf-8'),
                                   add_bos=not result.added_special, special=True)
        stop = result.stop if isinstance(result.stop, list) else \
            [result.stop] if result.stop else []
        return (tokens[:-1] if partial else tokens), stop

    def cached_tokens(self) -> int:
        """How many tokens of the last prompt (and its answer) the KV cache holds."""
        return int(self.llm.n_tokens)

    def prefill(self, messages: list[dict], should_stop=lambda: False,
                chunk: int = PREFILL_CHUNK, partial: bool = False) -> int:
        """Evaluate the prompt of `messages` without generating (only what follows the prefix
        already evaluated), `chunk` tokens at a time so that `should_stop()` ends it early (what
        was evaluated stays reusable). `partial`: only the start of a longer prompt (`tokens`),
        evaluated between questions. Returns the number of tokens evaluated now."""
        tokens, _ = self.tokens(messages, partial)
        if len(tokens) > self.llm.n_ctx():
            raise ValueError(f'prompt of {len(tokens)} tokens exceeds the context '
                             f'({self.llm.n_ctx()})')
        with self._lock:
            keep = self._restore_saved(tokens)
            if keep == len(tokens) and (partial or keep == self.llm.n_tokens):
                # already evaluated (a full prompt's logits live: generation samples at once)
                if partial:
                    self._save(tokens)
                return 0
            # always evaluate at least one token: generation needs the logits of the last one
            keep = done = min(keep, len(tokens) - 1)
            self.llm.n_tokens = keep  # eval() drops the KV cache from here on
            self._abort_when(should_stop if partial else None)
            try:
                while done < len(tokens) and not should_stop():
                    try:
                        self.llm.eval(tokens[done:done + chunk])
                    except RuntimeError:   # "llama_decode returned 2": aborted within the chunk
                        if not should_stop():
                            raise
                        # llama.cpp dropped the chunk's cells; n_tokens was not advanced
                    done = self.llm.n_tokens
            finally:
                self._abort_when(None)
            if partial and done == len(tokens):
                self._save(tokens)
            return done - keep

    def _abort_when(self, should_stop) -> None:
        """Have llama.cpp abort a decode when `should_stop()` (None: never; the callback is
        unset, so the rest pays nothing for it)."""
        import llama_cpp
        self._should_stop = should_stop
        callback = self._abort if should_stop is not None else \
            ctypes.cast(None, llama_cpp.ggml_abort_callback)
        llama_cpp.llama_set_abort_callback(self.llm._ctx.ctx, callback, None)

    def _save(self, tokens: list[int]) -> None:
        """Copy the context's KV cells aside as those of `tokens` (its first len(tokens),
        evaluated; cells past them are copied too, and dropped by the first eval after a
        restore)."""
        if self._saved is not None and self._saved[0] == tokens:
            return
        import llama_cpp
        ctx = self.llm._ctx.ctx
        size = llama_cpp.llama_state_seq_get_size(ctx, 0)
        cells = (ctypes.c_uint8 * size)()
        if llama_cpp.llama_state_seq_get_data(ctx, cells, size, 0) == size:
            self._saved = (list(tokens), cells)

    def _restore_saved(self, tokens: list[int]) -> int:
        """How many of `tokens` the context holds evaluated, after putting the saved cells back
        when they hold more of them than the context does."""
        keep = common_prefix(self.llm.input_ids[:self.llm.n_tokens], tokens)
        if self._saved is None:
            return keep
        saved, cells = self._saved
        if common_prefix(saved, tokens) < len(saved) or len(saved) <= keep:
            return keep
        import llama_cpp
        self.llm._ctx.kv_cache_seq_rm(0, 0, -1)
        if llama_cpp.llama_state_seq_set_data(self.llm._ctx.ctx, cells, len(cells), 0) == 0:
            self._saved, self.llm.n_tokens = None, 0    # the context is empty: start afresh
            return 0
        self.llm.input_ids[:len(saved)] = saved
        self.llm.n_tokens = len(saved)
        return len(saved)

    def stream(self, messages: list[dict], max_tokens: int = 96, temperature: float = 0.0,
               seed: int | None = 0, stop: list[str] | None = None,
               should_stop=lambda: False) -> Iterator[str]:
        """Yield text pieces of the chat completion as they are generated.

        `should_stop()` is polled between tokens, so a cancelled answer stops within a token."""
        tokens, template_stop = self.tokens(messages)
        with self._lock:
            self._restore_saved(tokens)
            if seed is not None:
                self.llm.set_seed(int(seed))
            chunks = self.llm.create_completion(
                prompt=tokens, max_tokens=max_tokens, temperature=temperature,
                top_k=1 if temperature == 0 else 40, stop=(stop or []) + template_stop,
                stream=True)
            try:
                for chunk in chunks:
                    if should_stop():
                        break
                    piece = chunk['choices'][0]['text']
                    if piece:
                        yield piece
            finally:
                chunks.close()
