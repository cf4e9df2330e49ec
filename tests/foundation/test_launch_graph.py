"""bringup.launch.py and `omnilive run` start the same graph.

ROS 2 `launch` is not installable on these machines, so the launch file is executed against
minimal recording stand-ins of the launch classes it uses (argument declaration, opaque
function, launch configuration, description, Node, the exit handler and its actions): what it
would hand to launch_ros is compared with the declared graph and with `omnilive run`'s process
commands, and its exit handler is called as launch would call it.
"""
import ast
import importlib.util
import os
import sys
import types
from pathlib import Path

import pytest

from omnilive.ros import graph
from omnilive.ros.graph import EXIT_CONFIG
from omnilive.ros.supervisor import Supervisor

LAUNCH_FILE = Path(__file__).resolve().parents[2] / 'launch' / 'bringup.launch.py'


class Recorded:
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


class LaunchConfiguration:
    def __init__(self, name):
        self.name = name

    def perform(self, context):
        return context[self.name]


@pytest.fixture
def launch_stand_ins(monkeypatch):
    modules = {name: types.ModuleType(name) for name in
               ['launch', 'launch.actions', 'launch.event_handlers', 'launch.substitutions',
                'launch_ros', 'launch_ros.actions']}
    modules['launch'].LaunchDescription = lambda entities: list(entities)
    for name in ('DeclareLaunchArgument', 'OpaqueFunction', 'LogInfo', 'RegisterEventHandler',
                 'TimerAction'):
        setattr(modules['launch.actions'], name, type(name, (Recorded,), {}))
    modules['launch.event_handlers'].OnProcessExit = type('OnProcessExit', (Recorded,), {})
    modules['launch.substitutions'].LaunchConfiguration = LaunchConfiguration
    modules['launch_ros.actions'].Node = type('Node', (Recorded,), {})
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    spec = importlib.util.spec_from_file_location('bringup_launch', LAUNCH_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def launched_nodes(launch_module, overrides):
    entities = launch_module.generate_launch_description()
    declared = {e.kwargs['name'] if 'name' in e.kwargs else e.args[0]: e.kwargs['default_value']
                for e in entities if type(e).__name__ == 'DeclareLaunchArgument'}
    assert declared == {name: default for name, (default, _) in graph.ARGUMENTS.items()}
    [opaque] = [e for e in entities if type(e).__name__ == 'OpaqueFunction']
    context = {**declared, **overrides}
    actions = opaque.kwargs['function'](context)
    nodes = [a for a in actions if type(a).__name__ == 'Node']
    handlers = [a for a in actions if type(a).__name__ == 'RegisterEventHandler']
    assert len(nodes) == len(handlers)
    for node, handler in zip(nodes, handlers):
        [on_exit] = handler.args
        assert on_exit.kwargs['target_action'] is node
        node.on_exit = on_exit.kwargs['on_exit']
    return nodes


@pytest.mark.parametrize('overrides', [
    {},
    {'profile': 'gpu', 'namespace': 'robot1', 'use_sim_time': 'true',
     'camera_topic': '/front/image_raw', 'audio_topic': '/mic/audio', 'respawn': 'false',
     'log_level': 'debug', 'autostart': 'false', 'only': 'memory,reasoning',
     'params_file': str(Path(__file__).resolve().parents[2] / 'config' / 'cpu.yaml')},
])
def test_launch_file_matches_declared_graph_and_run(launch_stand_ins, overrides):
    nodes = launched_nodes(launch_stand_ins, overrides)
    specs = graph.nodes(overrides)
    assert len(nodes) == len(specs) == (2 if 'only' in overrides else 4)
    for node, spec in zip(nodes, specs):
        kw = node.kwargs
        assert kw['package'] == 'omnilive'
        assert (kw['executable'], kw['name'], kw['namespace']) == \
            (spec.executable, spec.name, spec.namespace)
        assert kw['parameters'] == [*spec.parameter_files, spec.parameters]
        assert kw['remappings'] == list(spec.remappings)
        assert kw['ros_arguments'] == ['--log-level', overrides.get('log_level', 'info')]
        assert kw['respawn'] is False   # launch's respawn ignores exit codes: the handler does
        # the same DDS profile as `omnilive run` (graph.node_environment)
        assert kw['additional_env'] == graph.node_environment()
        assert kw['additional_env']['FASTDDS_DEFAULT_PROFILES_FILE'] == \
            Supervisor([spec]).env['FASTDDS_DEFAULT_PROFILES_FILE']
        # omnilive run passes exactly these as --ros-args to the same executable.
        command = Supervisor([spec]).command(spec)
        assert Path(command[0]).name == kw['executable']
        ros_args = command[1:]
        files = [ros_args[i + 1] for i, a in enumerate(ros_args) if a == '--params-file']
        assert files == kw['parameters'][:-1]
        assert ros_args[ros_args.index('--log-level') + 1] == kw['ros_arguments'][1]
        for src, dst in kw['remappings']:
            assert f'{src}:={dst}' in ros_args
        for key, value in kw['parameters'][-1].items():
            assert f'{key}:={str(value).lower()}' in ros_args
        assert f'__node:={kw["name"]}' in ros_args and f'__ns:=/{kw["namespace"]}' in ros_args


class Context:
    is_shutdown = False


@pytest.mark.parametrize('respawn', ['true', 'false'])
def test_launch_restarts_a_crashed_node_but_not_a_configuration_error(launch_stand_ins, respawn):
    [memory, *_] = launched_nodes(launch_stand_ins, {'respawn': respawn})
    crashed = memory.on_exit(types.SimpleNamespace(returncode=-11), Context())
    if respawn == 'true':
        log, timer = crashed
        assert 'restarting' in log.kwargs['msg'] and timer.kwargs['period'] == 2.0
        node, handler = timer.kwargs['actions']   # a new node, restarted after the next crash too
        assert node.kwargs['name'] == 'memory' and node is not memory
        assert handler.args[0].kwargs['target_action'] is node
    else:
        assert [type(a).__name__ for a in crashed] == ['LogInfo']
    [log] = memory.on_exit(types.SimpleNamespace(returncode=EXIT_CONFIG), Context())
    assert 'configuration or model error: not restarted' in log.kwargs['msg']
    Context.is_shutdown = True   # launch is stopping: whatever the exit, no restart
    try:
        assert [type(a).__name__ for a in memory.on_exit(
            types.SimpleNamespace(returncode=-2), Context())] == ['LogInfo']
    finally:
        Context.is_shutdown = False


def test_remappings_and_profiles():
    specs = {s.name: s for s in graph.nodes({'camera_topic': '/front/image_raw',
                                             'profile': 'gpu', 'use_sim_time': 'true'})}
    assert specs['perception'].remappings == (('/camera/image_raw', '/front/image_raw'),)
    assert all(s.parameters_file.endswith('config/gpu.yaml') for s in specs.values())
    assert all(s.parameters == {'use_sim_time': True, 'autostart': True}
               for s in specs.values())
    assert {s.executable for s in specs.values()} == \
        {'perception_node', 'memory_node', 'reasoning_node', 'tts_node'}
    with pytest.raises(KeyError, match='unknown graph argument'):
        graph.nodes({'camera': '/x'})
    with pytest.raises(FileNotFoundError, match='no config profile'):
        graph.nodes({'profile': 'tpu'})
    with pytest.raises(FileNotFoundError, match='params_file'):
        graph.nodes({'params_file': '/nowhere/params.yaml'})
    with pytest.raises(KeyError, match='log_level'):
        graph.nodes({'log_level': 'loud'})


def test_launch_file_uses_only_the_documented_launch_api():
    tree = ast.parse(LAUNCH_FILE.read_text())
    imported = {(node.module, alias.name) for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert imported == {('launch', 'LaunchDescription'),
                        ('launch.actions', 'DeclareLaunchArgument'),
                        ('launch.actions', 'OpaqueFunction'),
                        ('launch.actions', 'LogInfo'),
                        ('launch.actions', 'RegisterEventHandler'),
                        ('launch.actions', 'TimerAction'),
                        ('launch.event_handlers', 'OnProcessExit'),
                        ('launch.substitutions', 'LaunchConfiguration'),
                        ('launch_ros.actions', 'Node'),
                        ('omnilive.ros', 'graph')}


def test_entry_points_exist_for_every_node():
    import re
    from omnilive.ros.entry import NODE_MODULES
    setup_py = (Path(__file__).resolve().parents[2] / 'setup.py').read_text()
    scripts = dict(re.findall(r"'(\w+) = omnilive\.ros\.entry:(\w+)'", setup_py))
    for spec in graph.nodes():
        assert scripts[spec.executable] == spec.name
        assert importlib.util.find_spec(NODE_MODULES[spec.name]) is not None, spec.name


@pytest.mark.parametrize('executable', ['perception_node', 'memory_node', 'reasoning_node',
                                        'tts_node'])
def test_node_without_interfaces_says_how_to_build_them(executable, tmp_path):
    """Hide omnilive_msgs from the interpreter: the node must exit with the configuration-error
    code (a supervisor does not restart it) and build instructions."""
    import subprocess
    hide = tmp_path / 'sitecustomize.py'
    hide.write_text("import sys\nsys.modules['omnilive_msgs'] = None\n")
    env = {**os.environ, 'PYTHONPATH': f'{tmp_path}{os.pathsep}{os.environ.get("PYTHONPATH", "")}'}
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), executable)],
                         env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == EXIT_CONFIG
    assert 'colcon build --base-paths' in run.stderr and 'scripts/setup.sh' in run.stderr
    assert 'Traceback' not in run.stderr
