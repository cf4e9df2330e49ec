"""Speech recognition (role asr): faster-whisper (CTranslate2), Whisper base by default.

Whisper's encoder always sees a fixed 30 s window: faster-whisper pads every utterance to 3000
mel frames, so a 2 s question costs as much as 30 s of speech (and language detection encodes it
once more). CTranslate2's Whisper encoder accepts shorter inputs, so short utterances are
transcribed in a window of `window_s` seconds (at least the utterance plus 1 s of padding), with
the language detected from the same encoder output. Windows much shorter than the trained 30 s
make Whisper loop ("where are my my my ..."); from 15 s on the WER equalled the 30 s window's on
LibriVox and 24 spoken questions (10 s: 1.7 points worse on the questions; docs/benchmarks.md).
A short-window result that fails faster-whisper's own quality checks (compression ratio, mean
log-probability) is redone with the standard 30 s path, and `window_s=30` is the standard path
always.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from omnilive.models import registry

FULL_WINDOW_S = 30.0
PAD_S = 1.0                        # silence after the speech inside a short window
COMPRESSION_RATIO_THRESHOLD = 2.4  # faster-whisper's defaults for a failed decode
LOG_PROB_THRESHOLD = -1.0


@dataclasses.dataclass
class Segment:
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float


@dataclasses.dataclass
class Transcript:
    text: str
    language: str
    language_probability: float
    confidence: float          # mean token probability over the segments, 0..1
    segments: list[Segment]
    window_s: float = FULL_WINDOW_S  # encoder window used (30: Whisper's standard path)


class Transcriber:
    SAMPLE_RATE = 16000

    def __init__(self, model: str | None = None, device: str = 'cpu', compute_type: str = 'int8',
                 threads: int = 1, beam_size: int = 5, window_s: float = 15.0):
        from faster_whisper import WhisperModel
        self.path = registry.resolve('asr', model)
        device = registry.torch_device(device)  # 'cuda' only where CUDA is present
        if device == 'cpu' and compute_type not in ('int8', 'float32', 'int8_float32'):
            compute_type = 'int8'  # float16 kinds need a GPU
        self.model = WhisperModel(self.path, device='cuda' if device.startswith('cuda') else 'cpu',
                                  compute_type=compute_type, cpu_threads=max(1, int(threads)),
                                  local_files_only=True)
        self.beam_size = beam_size
        self.window_s = min(FULL_WINDOW_S, float(window_s)) if window_s else FULL_WINDOW_S
        self.fallbacks = 0  # short-window results redone in the full window

    def transcribe(self, pcm: np.ndarray, language: str | None = None,
                   initial_prompt: str | None = None) -> Transcript:
        """`pcm`: float32 mono at 16 kHz in [-1, 1]."""
        audio = np.asarray(pcm, dtype=np.float32).reshape(-1)
        if self.window_s < FULL_WINDOW_S and audio.size / self.SAMPLE_RATE + PAD_S < FULL_WINDOW_S:
            short = self._short_window(audio, language, initial_prompt)
            if short is not None:
                return short
            self.fallbacks += 1
        return self._full_window(audio, language, initial_prompt)

    def _full_window(self, audio, language, initial_prompt) -> Transcript:
        segments, info = self.model.transcribe(
            audio, language=language, beam_size=self.beam_size, vad_filter=False,
            condition_on_previous_text=False, initial_prompt=initial_prompt,
            without_timestamps=True)
        segs = [Segment(s.start, s.end, s.text.strip(), s.avg_logprob, s.no_speech_prob)
                for s in segments]
        text = ' '.join(s.text for s in segs if s.text).strip()
        confidence = float(np.exp(np.mean([s.avg_logprob for s in segs]))) if segs else 0.0
        return Transcript(text, info.language, float(info.language_probability), confidence, segs)

    def _short_window(self, audio, language, initial_prompt) -> Transcript | None:
        """One encoder pass over a window just long enough; None when the decode looks failed."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_compression_ratio, get_suppressed_tokens
        fw = self.model
        features = fw.feature_extractor(audio)[..., :-1]  # as faster-whisper: drop the last frame
        frames_per_s = fw.feature_extractor.sampling_rate / fw.feature_extractor.hop_length
        content = features.shape[-1]
        window = int(min(FULL_WINDOW_S * frames_per_s,
                         max(self.window_s * frames_per_s, content + PAD_S * frames_per_s)))
        encoded = fw.encode(pad_or_trim(features, window))
        probability = 1.0
        if language is None and fw.model.is_multilingual:
            token, probability = fw.model.detect_language(encoded)[0][0]
            language = token[2:-2]
        language = language or 'en'
        tokenizer = Tokenizer(fw.hf_tokenizer, fw.model.is_multilingual, task='transcribe',
                              language=language)
        previous = tokenizer.encode(' ' + initial_prompt.strip()) if initial_prompt else []
        prompt = fw.get_prompt(tokenizer, previous, without_timestamps=True)
        result = fw.model.generate(encoded, [prompt], beam_size=self.beam_size,
                                   max_length=fw.max_length, return_scores=True,
                                   return_no_speech_prob=True, suppress_blank=True,
                                   suppress_tokens=get_suppressed_tokens(tokenizer, [-1]))[0]
        tokens = result.sequences_ids[0]
        avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)  # faster-whisper's
        text = tokenizer.decode(tokens).strip()
        if text and (get_compression_ratio(text) > COMPRESSION_RATIO_THRESHOLD
                     or avg_logprob < LOG_PROB_THRESHOLD):
            return None
        duration = content / frames_per_s
        segs = [Segment(0.0, duration, text, avg_logprob, result.no_speech_prob)] if text else []
        confidence = float(np.exp(avg_logprob)) if text else 0.0
        return Transcript(text, language, float(probability), confidence, segs,
                          window / frames_per_s)
