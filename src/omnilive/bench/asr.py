"""Speech recognition alone (library, no ROS): time per utterance and word error rate of the
configured Whisper (short encoder window) against Whisper's fixed 30 s window, same model and
beam, on the LibriVox clips of pocketsphinx-testdata and on spoken questions (espeak-ng)."""
from __future__ import annotations

import re
import time

from omnilive.bench.report import Section, percentiles


def words(text: str) -> str:
    return ' '.join(re.sub(r"[^a-z' ]", ' ', text.lower().replace('-', ' ')).split())


def test_set(n_questions: int) -> tuple[list, list]:
    """(LibriVox [(pcm, reference)], spoken questions [(pcm, reference)])."""
    from omnilive.audio.pcm import load_file
    from omnilive.bags import media
    from omnilive.bench.stream import VOICES, spoken_questions
    librivox = [(load_file(str(media.LIBRIVOX / f'{fileid}.wav')), ref)
                for fileid, ref in media.librivox_transcripts().items()]
    questions = [(media.speak(q, VOICES[i % len(VOICES)]), q)
                 for i, q in enumerate(spoken_questions(n_questions))]
    return librivox, questions


def asr_figures(section: Section, n_questions: int, log=print) -> None:
    import jiwer
    import yaml

    from omnilive.models.asr import Transcriber
    from omnilive.paths import config_file
    params = yaml.safe_load(config_file('cpu').read_text())['/**/perception']['ros__parameters']
    librivox, questions = test_set(n_questions)
    results = {}
    for name, window in (('full window', 30.0), ('ours', params['asr.window_s'])):
        asr = Transcriber(threads=params['asr.threads'], beam_size=params['asr.beam_size'],
                          window_s=window)
        asr.transcribe(librivox[0][0])  # warm
        out = {}
        for set_name, clips in (('librivox', librivox), ('questions', questions)):
            ms, hyps = [], []
            for pcm, _ in clips:
                t = time.perf_counter()
                hyps.append(asr.transcribe(pcm).text)
                ms.append((time.perf_counter() - t) * 1000)
            refs = [words(ref) for _, ref in clips]
            out[set_name] = {'ms': ms, 'wer': jiwer.wer(refs, [words(h) for h in hyps]),
                             'hypotheses': hyps, 'seconds': [len(p) / 16000 for p, _ in clips]}
        out['fallbacks'] = asr.fallbacks
        results[name] = out
        log(f'[asr] {name}: questions {percentiles(out["questions"]["ms"])[0]:.0f} ms p50, WER '
            f'LibriVox {out["librivox"]["wer"]:.3f}, questions {out["questions"]["wer"]:.3f}')
    ours, base = results['ours'], results['full window']
    q50, = percentiles(ours['questions']['ms'], (50,))
    b50, = percentiles(base['questions']['ms'], (50,))
    section.add(f'transcription per spoken question p50 ({len(questions)} questions)', q50, 'ms',
                b50, "Whisper's 30 s window")
    l50, = percentiles(ours['librivox']['ms'], (50,))
    c50, = percentiles(base['librivox']['ms'], (50,))
    section.add('transcription per LibriVox clip p50 (3-7 s)', l50, 'ms', c50,
                "Whisper's 30 s window")
    section.add('WER on LibriVox (5 clips)', ours['librivox']['wer'] * 100, '%',
                base['librivox']['wer'] * 100, "Whisper's 30 s window", target='<= 5 %',
                met=ours['librivox']['wer'] <= 0.05)
    section.add('WER on spoken questions', ours['questions']['wer'] * 100, '%',
                base['questions']['wer'] * 100, "Whisper's 30 s window")
    section.details.update(results=results, window_s=params['asr.window_s'],
                           beam_size=params['asr.beam_size'])
