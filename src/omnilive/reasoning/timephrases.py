"""Time in answers and questions: 'about 3 minutes ago', 'in the last 10 minutes'."""
from __future__ import annotations

import re
import time
from typing import Optional

DAYS = ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')
# days named relative to today: like DAYS, when things are due, never things themselves
RELATIVE_DAYS = ('today', 'tonight', 'tomorrow', 'yesterday', 'weekend')
UNITS = {'second': 1, 'sec': 1, 'minute': 60, 'min': 60, 'hour': 3600, 'hr': 3600, 'day': 86400}
NOW_S = 20.0  # "what do you see now?": what was seen in the last seconds, the open clip included
NUMBER_WORDS = {'a': 1, 'an': 1, 'one': 1, 'two': 2, 'three': 3, 'four': 4, 'five': 5, 'six': 6,
                'seven': 7, 'eight': 8, 'nine': 9, 'ten': 10, 'fifteen': 15, 'twenty': 20,
                'thirty': 30, 'few': 3, 'couple of': 2}


def relative(t: float, now: float) -> str:
    """'just now', 'about 40 seconds ago', 'about 3 minutes ago', 'about 2 hours ago'."""
    ago = max(0.0, now - t)
    return 'just now' if ago < 15 else f'{span(ago)} ago'


def span(seconds: float) -> str:
    """'3 seconds', 'about 40 seconds', 'about 2 minutes', 'about 1.5 hours': how long."""
    seconds = max(0.0, seconds)
    if seconds < 15:
        n = int(round(seconds))
        return f'{n} second{"s" if n != 1 else ""}'
    if seconds < 90:
        return f'about {int(round(seconds / 10.0) * 10)} seconds'
    if seconds < 90 * 60:
        n = int(round(seconds / 60))
        return f'about {n} minute{"s" if n != 1 else ""}'
    n = round(seconds / 3600, 1)
    n = int(n) if n == int(n) else n
    return f'about {n} hour{"s" if n != 1 else ""}'


def clock(t: float) -> str:
    return time.strftime('%H:%M:%S', time.gmtime(t))


def window(question: str, now: float, start_of_memory: float) -> Optional[tuple[float, float]]:
    """(since, until) named by the question, or None. Understands 'in the last N minutes',
    'N minutes ago', 'at the start/beginning', 'just now', 'recently'."""
    q = question.lower()
    number = r'(\d+(?:\.\d+)?|' + '|'.join(map(re.escape, NUMBER_WORDS)) + ')'
    unit = r'(second|sec|minute|min|hour|hr|day)s?'
    m = re.search(r'\bthe (?:last|past) (?:' + number + r' )?' + unit + r'\b', q)
    if m:
        span = _amount(m.group(1)) * UNITS[m.group(2)]
        return (now - span, now)
    m = re.search(r'\b(?:in|during|within|for) the first (?:' + number + r' )?' + unit + r'\b', q)
    if m:  # "what happened in the first minute?": from the start of memory
        return (start_of_memory, start_of_memory + _amount(m.group(1)) * UNITS[m.group(2)])
    m = re.search(number + r' ' + unit + r' ago', q)
    if m:
        at = now - _amount(m.group(1)) * UNITS[m.group(2)]
        slack = max(30.0, 0.3 * (now - at))
        return (at - slack, at + slack)
    at = clock_time(q, now)
    if at is not None:
        return (at - CLOCK_SLACK_S, at + CLOCK_SLACK_S)
    if re.search(r'\b(at|in) the (start|beginning)\b|\bfirst (saw|thing)', q):
        return (start_of_memory, start_of_memory + max(20.0, 0.1 * (now - start_of_memory)))
    if asks_now(q):
        return (now - NOW_S, now + 1.0)
    if re.search(r'\brecently\b', q):
        return (now - 600.0, now + 1.0)
    return None


# "what do you see right now?", "is the cat still there?": what is in view now
_NOW = re.compile(r'\b(?:just now|right now|currently|at the moment|now)\b', re.IGNORECASE)
_STILL = re.compile(r'\b(?:is|are|do you|can you)\b[^?.!]*\b(still)\b', re.IGNORECASE)


def asks_now(question: str) -> bool:
    return bool(_NOW.search(question) or _STILL.search(question))


def without_now(question: str) -> str:
    """'where is the cat now?' -> 'where is the cat?': the same question of any time."""
    still = _STILL.search(question)
    if still:
        question = question[:still.start(1)] + question[still.end(1):]
    return re.sub(r'\s+([?.!,])', r'\1', ' '.join(_NOW.sub(' ', question).split()))


CLOCK_SLACK_S = 60.0  # "at 10:05": the minute asked, give or take a minute
_CLOCK = re.compile(r'\b(?:at|around|about|by|near|since|before|after)\s+(?:about\s+)?'
                    r'(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\s*(?:'
                    r'seconds?|minutes?|hours?|sec|min|people|persons|cars|things|times)\b)')


def clock_time(question: str, now: float) -> Optional[float]:
    """The latest time not after `now` (give or take the slack) whose clock reads what the
    question names ("at 10:05", "around 3 pm", "at 01:14:30"), on the same clock as `clock`
    (UTC of the robot's time); None when the question names no clock time. A bare number
    ("at 3") needs am/pm to be a time."""
    m = _CLOCK.search(question.lower())
    if not m or (m.group(2) is None and m.group(4) is None):
        return None
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    half = (m.group(4) or '')[:1]
    if half == 'p' and hour < 12:
        hour += 12
    elif half == 'a' and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    day = now - now % 86400
    at = day + hour * 3600 + minute * 60 + second
    return at - 86400 if at > now + CLOCK_SLACK_S else at


def without_time(question: str) -> str:
    """The question with its time phrase taken out ('what did you see in the last 30 seconds'
    -> 'what did you see'), so the phrase's words are not taken for things to look for."""
    q = question.lower()
    number = r'(?:\d+(?:\.\d+)?|' + '|'.join(map(re.escape, NUMBER_WORDS)) + ')'
    unit = r'(?:second|sec|minute|min|hour|hr|day)s?'
    for pattern in (rf'\b(?:(?:in|during|over|within|for) )?the (?:last|past) (?:{number} )?'
                    rf'{unit}\b', rf'\b(?:in|during|within|for) the first (?:{number} )?{unit}\b',
                    rf'\b{number} {unit} ago\b', r'\b(?:at|in) the (?:start|beginning)\b',
                    r'\b(?:just now|right now|currently|at the moment|recently|today)\b',
                    r'\bhow long ago\b'):
        q = re.sub(pattern, ' ', q)
    q = _CLOCK.sub(lambda m: m.group(0) if m.group(2) is None and m.group(4) is None else ' ',
                   q)
    return ' '.join(q.split())


def _amount(text: Optional[str]) -> float:
    if not text:
        return 1.0
    return float(text) if text[0].isdigit() else float(NUMBER_WORDS[text])
