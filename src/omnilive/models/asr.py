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
TRIM_DB = 40.0                     # Transcriber(trim_s): quieter than the peak by this is quiet
RETRY_TRIM_S = 0.05                # Transcriber(retry_below): the second look's trim
PADS = ('features', 'silence')     # how the window is filled after the speech (Transcriber)


def front_end(audio: np.ndarray, trim_s: float = 0.0, peak_db: float = 0.0,
              lead_s: float = 0.0, rate: int = 16000) -> np.ndarray:
    """Float32 16 kHz speech as Whisper gets it: at most `trim_s` of quiet kept before the
    first and after the last 10 ms within TRIM_DB of the loudest (0: untouched); the peak
    scaled to `peak_db` dBFS (0: untouched; digital silence stays silent); `lead_s` of silence
    put before it."""
    hop = rate // 100
    if trim_s and audio.size >= 2 * hop:
        n = audio.size // hop
        frames = audio[:n * hop].reshape(n, hop).astype(np.float64)
        level = 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-12)
        loud = np.flatnonzero(level >= level.max() - TRIM_DB)
        keep = int(trim_s * rate)
        audio = audio[max(0, loud[0] * hop - keep):(loud[-1] + 1) * hop + keep]
    if peak_db and audio.size:
        peak = float(np.abs(audio).max())
        if peak > 1e-4:
            audio = audio * np.float32(10 ** (peak_db / 20) / peak)
    if lead_s:
        audio = np.concatenate([np.zeros(int(lead_s * rate), np.float32), audio])
    return audio.astype(np.float32, copy=False)


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
                 threads: int = 1, beam_size: int = 5, window_s: float = 15.0,
                 patience: float = 1.0, pad: str = 'features', peak_db: float = 0.0,
                 lead_s: float = 0.0, timestamps: bool = False, trim_s: float = 0.0,
                 prompt: str = '', retry_below: float = 0.0):
        """Decoding (docs/benchmarks.md 1c): `patience` of the beam search (faster-whisper's);
        `pad` how the encoder window is filled after the speech: 'features' (faster-whisper's
        zero log-mel frames) or 'silence' (digital silence through the feature extractor, as
        OpenAI's Whisper pads); `peak_db` the utterance's peak scaled to this level in dBFS
        before the features (0: as it comes); `lead_s` seconds of silence put before the
        speech; `timestamps` decodes with Whisper's timestamp tokens (dropped from the text);
        `trim_s` (0: off) keeps at most this much of the quiet before the first and after the
        last 10 ms within TRIM_DB of the loudest (the endpointer's pre-roll and tail);
        `prompt` text Whisper takes as said before every utterance, ahead of the caller's
        `initial_prompt` (e.g. to show how numbers are written); `retry_below` (0: off): a
        short-window result whose mean token log-probability is below it is decoded once more
        with the quiet ends trimmed the other way (RETRY_TRIM_S, or untrimmed when `trim_s` is
        set) and the more probable transcript kept."""
        from faster_whisper import WhisperModel
        self.path = registry.resolve('asr', model)
        device = registry.torch_device(device)  # 'cuda' only where CUDA is present
        if device == 'cpu' and compute_type not in ('int8', 'float32', 'int8_float32'):
            compute_type = 'int8'  # float16 kinds need a GPU
        self.model = WhisperModel(self.path, device='cuda' if device.startswith('cuda') else 'cpu',
                                  compute_type=compute_type, cpu_threads=max(1, int(threads)),
                                  local_files_only=True)
        self.beam_size = beam_size
        if pad not in PADS:
            raise ValueError(f'pad must be one of {PADS}, got {pad!r}')
        self.patience, self.pad, self.peak_db = float(patience), pad, float(peak_db)
        self.lead_s, self.timestamps = max(0.0, float(lead_s)), bool(timestamps)
        self.trim_s, self.prompt = max(0.0, float(trim_s)), prompt.strip()
        self.window_s = min(FULL_WINDOW_S, float(window_s)) if window_s else FULL_WINDOW_S
        self.retry_below = float(retry_below)
        self.fallbacks = 0  # short-window results redone in the full window
        self.retries = 0    # unsure short-window results decoded a second time (retry_below)

    def transcribe(self, pcm: np.ndarray, language: str | None = None,
                   initial_prompt: str | None = None) -> Transcript:
        """`pcm`: float32 mono at 16 kHz in [-1, 1]."""
        raw = np.asarray(pcm, dtype=np.float32).reshape(-1)
        audio = self.front_end(raw)
        initial_prompt = ' '.join(p for p in (self.prompt, initial_prompt) if p) or None
        if self.window_s < FULL_WINDOW_S and audio.size / self.SAMPLE_RATE + PAD_S < FULL_WINDOW_S:
            short = self._short_window(audio, language, initial_prompt)
            if short is not None and self.retry_below and short.segments and \
                    short.segments[0].avg_logprob < self.retry_below:
                self.retries += 1  # unsure: a second look with the ends trimmed the other way
                again = self.front_end(raw, 0.0 if self.trim_s else RETRY_TRIM_S)
                other = self._short_window(again, language, initial_prompt)
                if other is not None and other.segments and \
                        other.segments[0].avg_logprob > short.segments[0].avg_logprob:
                    short = other
            if short is not None:
                return short
            self.fallbacks += 1
        return self._full_window(audio, language, initial_prompt)

    def front_end(self, audio: np.ndarray, trim_s: float | None = None) -> np.ndarray:
        """The utterance as the encoder gets it (front_end() with this Transcriber's settings;
        `trim_s` instead of its own)."""
        return front_end(audio, self.trim_s if trim_s is None else trim_s, self.peak_db,
                         self.lead_s, self.SAMPLE_RATE)

    def _full_window(self, audio, language, initial_prompt) -> Transcript:
        if self.pad == 'silence':  # the last 30 s window filled with silence, not zero frames
            window = int(FULL_WINDOW_S * self.SAMPLE_RATE)
            audio = np.pad(audio, (0, -audio.size % window))
        segments, info = self.model.transcribe(
            audio, language=language, beam_size=self.beam_size, vad_filter=False,
            condition_on_previous_text=False, initial_prompt=initial_prompt,
            without_timestamps=not self.timestamps, patience=self.patience)
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
        frames_per_s = fw.feature_extractor.sampling_rate / fw.feature_extractor.hop_length
        content = audio.size // fw.feature_extractor.hop_length
        window = int(min(FULL_WINDOW_S * frames_per_s,
                         max(self.window_s * frames_per_s, content + PAD_S * frames_per_s)))
        if self.pad == 'silence':
            audio = np.pad(audio, (0, max(0, window * fw.feature_extractor.hop_length
                                          - audio.size)))
        features = fw.feature_extractor(audio)[..., :-1]  # as faster-whisper: drop the last frame
        encoded = fw.encode(pad_or_trim(features, window))
        probability = 1.0
        if language is None and fw.model.is_multilingual:
            token, probability = fw.model.detect_language(encoded)[0][0]
            language = token[2:-2]
        language = language or 'en'
        tokenizer = Tokenizer(fw.hf_tokenizer, fw.model.is_multilingual, task='transcribe',
                              language=language)
        previous = tokenizer.encode(' ' + initial_prompt.strip()) if initial_prompt else []
        prompt = fw.get_prompt(tokenizer, previous, without_timestamps=not self.timestamps)
        result = fw.model.generate(encoded, [prompt], beam_size=self.beam_size,
                                   patience=self.patience,
                                   max_length=fw.max_length, return_scores=True,
                                   return_no_speech_prob=True, suppress_blank=True,
                                   suppress_tokens=get_suppressed_tokens(tokenizer, [-1]))[0]
        generated = result.sequences_ids[0]
        avg_logprob = result.scores[0] * len(generated) / (len(generated) + 1)  # faster-whisper's
        tokens = [t for t in generated if t < tokenizer.eot]  # the text without timestamps
        text = tokenizer.decode(tokens).strip()
        if text and (get_compression_ratio(text) > COMPRESSION_RATIO_THRESHOLD
                     or avg_logprob < LOG_PROB_THRESHOLD):
            return None
        duration = content / frames_per_s
        segs = [Segment(0.0, duration, text, avg_logprob, result.no_speech_prob)] if text else []
        confidence = float(np.exp(avg_logprob)) if text else 0.0
        return Transcript(text, language, float(probability), confidence, segs,
                          window / frames_per_s)
