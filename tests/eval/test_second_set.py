"""A short slice of the second public set end to end: the first 40 s of the errands scene (a note,
a conversation, two men with a basketball) replayed through the whole graph, the set's own
questions about that slice asked at its end and scored by the strict scorer, with both
baselines and the figures per kind in the report."""
import json
import os
import sys
from pathlib import Path

import pytest
import yaml

from omnilive.bags.make import bundled_script, cut_script, make_bag

pytestmark = [pytest.mark.ros, pytest.mark.models, pytest.mark.slow]
QUESTIONS = Path(__file__).parents[1] / 'data' / 'errands_questions.yaml'
OMNILIVE = os.path.join(os.path.dirname(sys.executable), 'omnilive')
SLICE_S = 40.0
# the set's questions whose answers the first 40 s settle (asked at the slice's end)
SLICE_IDS = ('early-alarm-not-yet', 'note-spare-key', 'note-pot-colour', 'said-table-day',
             'said-table-time', 'count-table-people', 'order-first', 'position-basketball',
             'count-basketball-people', 'never-dog', 'never-siren', 'colour-shirt-unknown')


def test_a_slice_of_the_second_set_is_scored_per_kind(tmp_path):
    import subprocess
    bag = tmp_path / 'errands'
    make_bag(cut_script(bundled_script('errands'), SLICE_S), bag)
    entries = {q['id']: q for q in yaml.safe_load(QUESTIONS.read_text())['questions']}
    asked = [dict(entries[i], at=min(entries[i]['at'], SLICE_S + 1.0)) for i in SLICE_IDS]
    questions = tmp_path / 'slice.yaml'
    questions.write_text(yaml.safe_dump({'questions': asked}))
    out = tmp_path / 'eval'
    done = subprocess.run([OMNILIVE, 'eval', str(bag), str(questions), '--out', str(out),
                           '--no-progress'], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((out / 'report.json').read_text())
    s = report['summary']
    rows = [(q['id'], q['answer'], q['reason']) for q in report['questions']]
    assert s['n'] == len(SLICE_IDS) and s['ended_early'] is None
    assert {'note', 'speech', 'count', 'order', 'attribute', 'negative'} <= set(s['per_tag'])
    assert s['accuracy'] >= 0.5, rows
    # a regression guard, above both baselines by what this slice showed in a clean clone
    # (0.58 against 0.42); the full-set targets are measured by `omnilive eval`
    assert s['accuracy'] >= max(s['baselines'].values()) + 0.1, (s['baselines'], rows)
    # the note from the first seconds is answered, under the strict scorer
    by_id = {q['id']: q for q in report['questions']}
    assert by_id['note-spare-key']['passed'], by_id['note-spare-key']
