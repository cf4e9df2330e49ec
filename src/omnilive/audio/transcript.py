"""What Whisper is told before an utterance, and how its transcript's numbers are written.

The wake word is a rare word that Whisper hears as something else ("Roll that, where are my
keys?"); given as the prompt, it is heard as itself. A longer prompt that shows how to write times
and codes ("the meeting is at 3:30 pm, code 4821") also steers the writing, but Whisper then
sometimes copies its numbers into what it hears ("remember at 3:30 pm at 6:05 pm"): a false time
in memory is worse than a time written another way, so numbers are put into one form afterwards
instead. `normalise` writes "3.30 p.m." and "at 745" as 3:30 pm and 7:45 and "4,821" as 4821, so
that memory, reasoning and the scorer compare like with like.
"""
from __future__ import annotations

import re

TIME_CUE = r'(?:at|by|until|till|from|before|after|around|about|since)'
NUMBER_WORDS = {'zero': 0, 'oh': 0, 'one': 1, 'two': 2, 'three': 3, 'four': 4, 'five': 5,
                'six': 6, 'seven': 7, 'eight': 8, 'nine': 9, 'ten': 10, 'eleven': 11,
                'twelve': 12, 'thirteen': 13, 'fourteen': 14, 'fifteen': 15, 'sixteen': 16,
                'seventeen': 17, 'eighteen': 18, 'nineteen': 19, 'twenty': 20, 'thirty': 30,
                'forty': 40, 'fifty': 50}
_HOUR = r'(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)'
_MIN = (r'((?:twenty|thirty|forty|fifty)(?:[- ](?:one|two|three|four|five|six|seven|eight|'
        r'nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|'
        r'nineteen|oh[- ](?:one|two|three|four|five|six|seven|eight|nine))')


def prompt(wake_word: str = '') -> str | None:
    """The decoding prompt: the wake word, when there is one."""
    wake = wake_word.strip()
    return f'{wake.capitalize()},' if wake else None


def _words_value(words: str) -> int:
    return sum(NUMBER_WORDS[w] for w in re.split(r'[- ]', words) if w)


def _ampm(m: str | None) -> str:
    return f' {m[0].lower()}m' if m else ''


def normalise(text: str) -> str:
    """`text` with clock times as H:MM (am/pm as ' am'/' pm') and digit groups joined."""
    ampm = r'\s*([ap])(?:\.\s?m\.|\s?m\b)'
    # "3.30 p.m.", "11.50am", "6.0.5pm", "3:30PM": H:MM am/pm
    text = re.sub(r'\b(\d{1,2})[.:](\d)\.?(\d)' + ampm,
                  lambda m: f'{int(m[1])}:{m[2]}{m[3]}{_ampm(m[4])}', text, flags=re.I)
    # "at 3.30", "by 6.0.5": a time after a time word
    text = re.sub(r'\b(' + TIME_CUE + r')\s+(\d{1,2})[.](\d)\.?(\d)\b',
                  lambda m: f'{m[1]} {int(m[2])}:{m[3]}{m[4]}', text, flags=re.I)
    # "at 745", "at 1130 pm": three or four digits read as a clock time after a time word
    def clock(m):
        digits = m[2]
        hour, minute = int(digits[:-2]), int(digits[-2:])
        if len(digits) == 4 and not m[3] or not (1 <= hour <= 12 and minute < 60):
            return m[0]
        return f'{m[1]} {hour}:{digits[-2:]}{_ampm(m[3])}'
    text = re.sub(r'\b(' + TIME_CUE + r')\s+(\d{3,4})\b(?:' + ampm + r')?', clock, text,
                  flags=re.I)
    # "540 AM", "1130pm": three or four digits with am/pm are a clock time whatever precedes
    text = re.sub(r'(?<![\d:.,])()(\d{3,4})' + ampm,
                  lambda m: clock(m).lstrip() if clock(m) != m[0] else m[0], text, flags=re.I)
    # "three thirty pm", "at seven forty-five", "six o'clock"
    text = re.sub(r"\b" + _HOUR + r"\s+o'?clock\b", lambda m: f'{_words_value(m[1])}:00',
                  text, flags=re.I)
    text = re.sub(r'\b(' + TIME_CUE + r'\s+)?' + _HOUR + r'[- ]' + _MIN + r'(?:' + ampm + r')?',
                  lambda m: m[0] if not (m[1] or m[4]) else
                  f'{m[1] or ""}{_words_value(m[2].lower())}:'
                  f'{_words_value(m[3].lower()):02d}{_ampm(m[4])}', text, flags=re.I)
    # "5 pm", "5pm", "5 P.M."
    text = re.sub(r'(?<![:\d])(\d{1,2})' + ampm, lambda m: f'{int(m[1])}{_ampm(m[2])}', text,
                  flags=re.I)
    # "4,821": thousands separators
    text = re.sub(r'\b(\d{1,3}),(\d{3})\b', r'\1\2', text)
    return text


# cardinal number words, zero to ninety (also how reasoning reads numbers said)
CARDINALS = {w: v for w, v in NUMBER_WORDS.items() if w != 'oh'}
CARDINALS.update({'sixty': 60, 'seventy': 70, 'eighty': 80, 'ninety': 90})
_SCALES = {'hundred': 100, 'thousand': 1000}
_NUMBER_WORD = r'(?:' + '|'.join(sorted(CARDINALS, key=len, reverse=True)) + r'|hundred|thousand)'
_NUMBER_RUN = re.compile(r'\b' + _NUMBER_WORD + r'(?:(?:(?:(?<=hundred)|(?<=thousand))\s+and\s+|'
                         r'[- ])' + _NUMBER_WORD + r')*\b', re.I)


def _run_value(words: list[str]) -> int | None:
    """The value of cardinal number words ("two hundred and eight" -> 208), None when they do
    not read as one number ("one two three")."""
    total, current, last = 0, 0, None
    for word in words:
        if word in _SCALES:
            if current == 0 and last is None:
                return None
            if word == 'thousand':
                total, current = (total + current) * 1000, 0
            else:
                current *= 100
            last = word
            continue
        value = CARDINALS[word]
        if last is not None and last not in _SCALES:
            prev = CARDINALS[last]
            # "twenty six" is one number; "three four" or "six twenty" is not
            if not (prev >= 20 and prev % 10 == 0 and value < 10) or current % 10:
                return None
        current += value
        last = word
    return total + current


def spoken_digits(text: str) -> str:
    """`text` with spelled-out cardinal numbers written in digits ("three apples" -> 3 apples,
    "twenty six" -> 26, "two hundred and eight" -> 208) and clock times put in one form
    (normalise). For comparing transcripts with references, as Whisper's own English text
    normaliser does; memory keeps what was heard."""
    def number(m):
        words = [w.lower() for w in re.split(r'\s+and\s+|[- ]+', m[0].strip()) if w]
        value = _run_value(words)
        return m[0] if value is None else str(value)
    return _NUMBER_RUN.sub(number, normalise(text))
