"""The import contract of src/omnilive, read from the source with `ast` (nothing is imported):

(a) layers among the command packages: `eval` and `bench` may import `bags`; `bags` imports
    neither; `eval` and `bench` never import each other. Inside `bench`, the figure modules
    import only the shared ones (report, stream, nodes) and lower packages, never each other
    or the command (main); the shared ones import no figure module.
(b) rclpy and ROS message packages are imported only by the ROS layer (omnilive.ros), the bag
    player and recorder, and the runners named below: logic stays testable without ROS.
(c) the library packages never import omnilive.ros: nodes adapt the library, not the reverse.

Every import counts, also one inside a function. A rule with no violation in the tree is still
checked against a planted violation (test_each_rule_catches_a_planted_import).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / 'src' / 'omnilive'

COMMANDS = ('bags', 'eval', 'bench')
MAY_IMPORT = {'bags': set(), 'eval': {'bags'}, 'bench': {'bags'}}
BENCH_FIGURES = ('asr', 'fleet', 'latency', 'memory', 'perception', 'retrieval', 'soak')
BENCH_SHARED = ('report', 'stream', 'nodes', 'corpus')
LIBRARY = ('audio', 'vision', 'memory', 'reasoning', 'speech', 'models')

# (b): where rclpy and message packages may be imported, beside omnilive/ros/
ROS_ALLOWED = {
    'bags/replay.py': 'publishes a bag\'s messages on their topics',
    'bags/record.py': 'subscribes to live topics to record them',
    # runners: they start a graph and talk to it as a ROS client
    'eval/session.py': 'starts the graph for an evaluation, subscribes to answers and speech',
    'eval/evaluate.py': 'replays a bag into the graph and reads goal statuses',
    'eval/demo.py': 'runs the graph on the demo bag and asks it questions',
    'bench/latency.py': 'starts the full graph, feeds it a live microphone and camera',
    'bench/perception.py': 'starts perception and memory and feeds them sensor streams',
    'bench/retrieval.py': 'starts the memory node and calls memory/retrieve',
    'bench/soak.py': 'starts the whole graph for hours and feeds it a stream',
}


def is_ros(module: str) -> bool:
    top = module.split('.')[0]
    return top in ('rclpy', 'builtin_interfaces') or top.endswith('_msgs')


def module_of(path: str) -> str:
    """'bench/latency.py' -> 'omnilive.bench.latency'; a package's __init__ -> the package."""
    parts = ['omnilive'] + path[:-3].split('/')
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def imported(path: str, source: str) -> list[tuple[int, str]]:
    """(line, module) of every import in the file; `from a import b` gives 'a.b' (b may be a
    submodule), relative imports resolved."""
    package = module_of(path).split('.')
    if not path.endswith('__init__.py'):
        package = package[:-1]
    found = []
    for node in ast.walk(ast.parse(source, path)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                base = '.'.join(package[:len(package) - node.level + 1] + ([base] if base else []))
            found += [(node.lineno, f'{base}.{alias.name}') for alias in node.names]
    return found


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + '.')


def violations(files: dict[str, str]) -> list[str]:
    """Every broken rule in `files` (path under src/omnilive -> source), one line each."""
    out = []
    for path, source in sorted(files.items()):
        parts = path.split('/')
        top = parts[0] if len(parts) > 1 else ''
        name = parts[1][:-3] if len(parts) == 2 else ''
        for line, module in imported(path, source):
            where = f'{path}:{line} imports {module}'
            # (a) sideways between bags, eval and bench
            for other in COMMANDS:
                if top in COMMANDS and other != top and other not in MAY_IMPORT[top] \
                        and within(module, f'omnilive.{other}'):
                    out.append(f'{where}: {top} may import only {sorted(MAY_IMPORT[top])} '
                               f'of {list(COMMANDS)}')
            # (a) between the modules of bench
            if top == 'bench' and within(module, 'omnilive.bench') and module != 'omnilive.bench':
                target = module.split('.')[2]
                if name in BENCH_FIGURES and target not in BENCH_SHARED + (name,):
                    out.append(f'{where}: a figure module imports only bench.'
                               f'{{{",".join(BENCH_SHARED)}}}')
                if name in BENCH_SHARED and target not in BENCH_SHARED:
                    out.append(f'{where}: bench.{name} is shared by the figures and imports none')
            # (b) ROS only in the ROS layer, the bag player and recorder, and the runners
            if is_ros(module) and top != 'ros' and path not in ROS_ALLOWED:
                out.append(f'{where}: rclpy and message packages belong in omnilive.ros (or a '
                           'runner listed in tests/test_architecture.py)')
            # (c) the library does not depend on the ROS layer
            if top in LIBRARY and within(module, 'omnilive.ros'):
                out.append(f'{where}: library code must not import omnilive.ros')
    return out


def tree() -> dict[str, str]:
    return {p.relative_to(SRC).as_posix(): p.read_text() for p in SRC.rglob('*.py')}


def test_the_source_tree_keeps_the_import_contract():
    files = tree()
    assert len(files) > 50 and 'ros/harness.py' in files
    found = violations(files)
    if found:
        pytest.fail('imports that break the contract:\n' + '\n'.join(found), pytrace=False)


def test_every_allowed_ros_importer_exists():
    assert [p for p in ROS_ALLOWED if not (SRC / p).is_file()] == []


@pytest.mark.parametrize('path, source', [
    ('bags/make.py', 'from omnilive.eval import scoring'),
    ('bags/media.py', 'import omnilive.bench.report'),
    ('eval/scoring.py', 'from omnilive.bench.report import Section'),
    ('eval/demo.py', 'def f():\n    from omnilive.bench import stream\n'),
    ('bench/report.py', 'from omnilive.eval.scoring import Question'),
    ('bench/latency.py', 'from omnilive.bench.asr import asr_figures'),
    ('bench/soak.py', 'from . import retrieval'),
    ('bench/memory.py', 'from omnilive.bench import main'),
    ('bench/stream.py', 'from omnilive.bench.latency import speech_end'),
    ('memory/store.py', 'import rclpy'),
    ('bench/asr.py', 'from rclpy.qos import QoSProfile'),
    ('eval/scoring.py', 'from sensor_msgs.msg import Image'),
    ('cli.py', 'from builtin_interfaces.msg import Time'),
    ('bags/make.py', 'from omnilive_msgs.msg import MemoryItem'),
    ('vision/clips.py', 'from omnilive.ros.convert import to_time'),
    ('reasoning/answerer.py', 'from ..ros import graph'),
])
def test_each_rule_catches_a_planted_import(path, source):
    assert violations({path: source})


@pytest.mark.parametrize('path, source', [
    ('eval/evaluate.py', 'from omnilive.bags.replay import read_bag'),
    ('bench/main.py', 'from omnilive.bench.latency import latency_figures'),
    ('bench/latency.py', 'from omnilive.bench.stream import VOICES\nfrom . import report'),
    ('bench/soak.py', 'from omnilive.bags import media\nfrom omnilive.ros.harness import isolate'),
    ('ros/feeder.py', 'import rclpy\nfrom sensor_msgs.msg import Image'),
    ('bags/replay.py', 'from rclpy.qos import QoSProfile'),
    ('memory/store.py', 'from omnilive.util import params\nimport numpy'),
])
def test_allowed_imports_pass(path, source):
    assert violations({path: source}) == []


def test_nodes_stay_thin_adapters():
    """A node declares, converts, hands work to the library and publishes: a node file that
    grows past 300 lines is growing logic that belongs in a plain module."""
    long = {path.name: n for path in sorted((SRC / 'ros').glob('*_node.py'))
            if (n := len(path.read_text().splitlines())) > 300}
    assert len(list((SRC / 'ros').glob('*_node.py'))) == 4
    assert long == {}
