"""`omnilive bench` smoke test: the library figures (vector index, memory growth) at tiny sizes
produce bench.json and the Markdown table with every figure beside its baseline. No timing
assertions: speed is what the benchmark reports, not what a test checks."""
import json

import pytest

from omnilive.bench import main as bench
from omnilive.bench.report import markdown

pytestmark = pytest.mark.models


def test_library_figures_at_tiny_sizes(tmp_path):
    report = bench.run(['retrieval', 'memory'], 'tiny', tmp_path, log=lambda *a: None,
                       command='omnilive bench --tiny')
    saved = json.loads((tmp_path / 'bench.json').read_text())
    assert saved['sections'].keys() == {'retrieval', 'memory'}
    assert saved['machine']['cores'] >= 1
    for key, section in saved['sections'].items():
        assert not section['error'], section.get('details', {}).get('traceback')
        assert section['figures'], key
        for figure in section['figures']:
            assert figure['value'] is not None and figure['baseline_name'], figure
            assert set(figure) >= {'name', 'value', 'unit', 'baseline', 'ratio', 'target', 'met'}
    names = [f['name'] for f in saved['sections']['retrieval']['figures']]
    assert any('recall@10' in n for n in names) and any('p50' in n for n in names)
    recall = next(f for f in saved['sections']['retrieval']['figures'] if 'recall' in f['name'])
    assert recall['value'] == pytest.approx(1.0)  # 2k vectors: the store's index is exact
    memory = {f['name'].strip(): f for f in saved['sections']['memory']['figures']}
    per_hour = memory['bytes per hour of stream, all included']
    assert per_hour['baseline_name'] == 'uncompressed' and per_hour['ratio'] < 1.0
    assert 0 <= memory['planted-fact accuracy (50 facts, top 5)']['value'] <= 100

    text = markdown(report)
    assert text.startswith('# Benchmarks')
    assert 'omnilive bench --tiny' in text
    assert '| figure | value | baseline | ratio | target | met |' in text
    assert '## 3. Retrieval at scale' in text and '## 4. Memory growth' in text


def test_param_overrides_reach_both_latency_runs_but_not_what_defines_the_baseline():
    from omnilive.bench.latency import BASELINE, OURS, run_params
    overrides = {'reasoning': {'llm.model': 'qwen2.5-coder-0.5b', 'direct_answers': True}}
    baseline, ours = run_params(BASELINE, overrides), run_params(OURS, overrides)
    assert baseline['reasoning']['llm.model'] == ours['reasoning']['llm.model'] == \
        'qwen2.5-coder-0.5b'
    assert baseline['reasoning']['direct_answers'] is False  # still the sequential flow
    assert baseline['perception']['asr.window_s'] == 30.0
    assert overrides['reasoning']['direct_answers'] is True  # the caller's dict is not changed


def test_a_malformed_param_is_refused_before_anything_runs(tmp_path, capsys):
    with pytest.raises(SystemExit):
        bench.main(['--only', 'latency', '--param', 'reasoning:llm.model', '--out',
                    str(tmp_path), '--doc', '-'])
    assert 'NODE:NAME=VALUE' in capsys.readouterr().err
    assert not (tmp_path / 'bench.json').exists()
