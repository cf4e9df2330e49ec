"""Parameters from config dataclasses: names, descriptors' data, validation, all-or-none
updates, and the nodes' configs against config/cpu.yaml and config/gpu.yaml."""
import dataclasses
from pathlib import Path

import pytest
import yaml

from omnilive.util.node_config import (MemoryConfig, PerceptionConfig, ReasoningConfig,
                                       TtsConfig)
from omnilive.util.params import group, param, param_specs, update

CONFIGS = {'perception': PerceptionConfig, 'memory': MemoryConfig,
           'reasoning': ReasoningConfig, 'tts': TtsConfig}
ROOT = Path(__file__).resolve().parents[2]


@dataclasses.dataclass
class Inner:
    rate: float = param(1.5, 'a rate', range=(0.1, 10.0))
    mode: str = param('auto', 'a mode', restart=True, choices=('auto', 'raw'))


@dataclasses.dataclass
class Outer:
    depth: int = param(8, 'a depth', restart=True, range=(1, 100))
    on: bool = param(True, 'a switch')
    inner: Inner = group(Inner)


def test_specs_flatten_groups_with_dotted_names():
    specs = {s.name: s for s in param_specs(Outer())}
    assert list(specs) == ['depth', 'on', 'inner.rate', 'inner.mode']
    assert specs['inner.rate'].path == ('inner', 'rate') and specs['inner.rate'].type is float
    assert specs['depth'].read_only and not specs['on'].read_only
    assert 'restart' in specs['inner.mode'].full_description
    assert 'auto, raw' in specs['inner.mode'].full_description


def test_update_checks_type_range_choices_and_read_only_all_or_none():
    cfg = Outer()
    specs = {s.name: s for s in param_specs(cfg)}
    assert update(cfg, specs, {'inner.rate': 3}) is None and cfg.inner.rate == 3.0
    assert isinstance(cfg.inner.rate, float)
    assert 'within' in update(cfg, specs, {'inner.rate': 50.0})
    assert 'must be a bool' in update(cfg, specs, {'on': 'yes'})
    assert 'read-only' in update(cfg, specs, {'depth': 4})
    assert 'one of' in update(cfg, specs, {'inner.mode': 'x'}, at_start=True)
    assert update(cfg, specs, {'depth': 4, 'inner.mode': 'raw'}, at_start=True) is None
    # one bad value refuses the whole change
    assert update(cfg, specs, {'on': False, 'inner.rate': -1.0}) is not None
    assert cfg.on is True and cfg.inner.rate == 3.0
    assert 'not a parameter' in update(cfg, specs, {'nope': 1})


@pytest.mark.parametrize('node', sorted(CONFIGS))
def test_defaults_are_valid_and_described(node):
    for spec in param_specs(CONFIGS[node]()):
        assert spec.description and spec.check(spec.default) is None, spec.name
        assert spec.type in (bool, int, float, str), spec.name


@pytest.mark.parametrize('profile', ['cpu', 'gpu'])
@pytest.mark.parametrize('node', sorted(CONFIGS))
def test_profile_files_name_only_declared_parameters_with_valid_values(profile, node):
    values = yaml.safe_load((ROOT / 'config' / f'{profile}.yaml').read_text())[
        f'/**/{node}']['ros__parameters']
    specs = {s.name: s for s in param_specs(CONFIGS[node]())}
    assert sorted(set(values) - set(specs)) == []
    for name, value in values.items():
        assert specs[name].check(value) is None, (name, value)
    if profile == 'cpu':  # the dataclasses' defaults are the CPU profile's values
        assert {n: v for n, v in values.items() if specs[n].default != v} == {}
