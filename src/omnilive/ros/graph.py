"""The omnilive node graph, declared once.

`launch/bringup.launch.py` (ros2 launch, on a ROS install) and `omnilive run` (plain processes,
where ros2 launch is missing) both build their nodes from `nodes()`, so the two cannot drift
apart.
Plain data: no rclpy or launch import.
"""
from __future__ import annotations

import dataclasses
import os

from omnilive.paths import config_file

PACKAGE = 'omnilive'
# Exit code of a node that cannot start because of its configuration or a missing/damaged model or
# database (sysexits' EX_CONFIG): supervisors do not restart it, since a restart cannot help.
EXIT_CONFIG = 78

# Launch arguments: name -> (default, description). Topic arguments remap the absolute input names.
ARGUMENTS = {
    'profile': ('cpu', 'parameter profile in config/: cpu (default models) or gpu'),
    'namespace': ('omnilive', 'namespace of every omnilive node, topic, service and action'),
    'use_sim_time': ('false', 'use /clock (true when replaying bags)'),
    'camera_topic': ('/camera/image_raw', 'sensor_msgs/Image input'),
    'camera_compressed_topic': ('/camera/image_raw/compressed',
                                'sensor_msgs/CompressedImage input'),
    'audio_topic': ('/audio/audio', 'audio_common_msgs/AudioData input'),
    'audio_stamped_topic': ('/audio/audio_stamped', 'audio_common_msgs/AudioDataStamped input'),
    'audio_info_topic': ('/audio/audio_info', 'audio_common_msgs/AudioInfo input'),
    'odom_topic': ('/odom', 'nav_msgs/Odometry input (optional robot pose)'),
    'params_file': ('', 'a parameter file applied over the profile (its values win; empty: '
                    'none)'),
    'log_level': ('info', 'log level of every node: debug, info, warn, error or fatal'),
    'autostart': ('true', 'configure and activate the (lifecycle) nodes at start; false: leave '
                  'them unconfigured for a lifecycle manager'),
    'only': ('', 'comma-separated node names to start (empty: all)'),
    'respawn': ('true', 'restart a node that crashes (never one that cannot be configured: '
                'exit code 78)'),
    'respawn_delay': ('2.0', 'seconds before a crashed node is restarted'),
}
LOG_LEVELS = ('debug', 'info', 'warn', 'error', 'fatal')
FASTDDS_PROFILE_VARIABLE = 'FASTDDS_DEFAULT_PROFILES_FILE'


def fastdds_profile():
    """config/fastdds.xml: Fast DDS with a shared-memory segment sized for raw camera frames."""
    from omnilive.paths import share_dir
    return share_dir() / 'config' / 'fastdds.xml'


def node_environment(environ=None) -> dict:
    """What the nodes' environment adds, the same under launch and `omnilive run`: the DDS
    profile, unless the user configured Fast DDS already; and OpenMP threads that sleep rather
    than spin while they wait, unless the user set a policy. llama.cpp and CTranslate2
    (Whisper) run their threads under OpenMP, whose default spin at every barrier burns the
    cores the other nodes need: on 2 contended cores, beside perception's vision, the LLM
    evaluated its prompt 7.6x faster with passive waits and perception analysed 2x the frames;
    with nothing else running the two policies are within 20 % (tools/llm_contention.py,
    docs/benchmarks.md section 1)."""
    environ = os.environ if environ is None else environ
    return {FASTDDS_PROFILE_VARIABLE: environ.get(FASTDDS_PROFILE_VARIABLE) or
            str(fastdds_profile()),
            'OMP_WAIT_POLICY': environ.get('OMP_WAIT_POLICY') or 'PASSIVE'}


def should_respawn(respawn: bool, exit_code: int) -> bool:
    """Whether a node that exited with `exit_code` is restarted (launch and `omnilive run`):
    after a crash yes; after a configuration or model error (EXIT_CONFIG) never, since a
    restart cannot help."""
    return respawn and exit_code != EXIT_CONFIG

# Input remappings of the perception node: its absolute default name -> the argument that sets it.
PERCEPTION_INPUTS = {
    '/camera/image_raw': 'camera_topic',
    '/camera/image_raw/compressed': 'camera_compressed_topic',
    '/audio/audio': 'audio_topic',
    '/audio/audio_stamped': 'audio_stamped_topic',
    '/audio/audio_info': 'audio_info_topic',
    '/odom': 'odom_topic',
}


@dataclasses.dataclass(frozen=True)
class NodeSpec:
    executable: str
    name: str
    parameters_file: str
    parameters: dict
    remappings: tuple[tuple[str, str], ...]
    namespace: str
    respawn: bool
    respawn_delay: float
    extra_parameters_file: str = ''   # the params_file argument, over parameters_file
    log_level: str = 'info'

    @property
    def parameter_files(self) -> list[str]:
        return [self.parameters_file] + ([self.extra_parameters_file]
                                         if self.extra_parameters_file else [])

    def ros_args(self) -> list[str]:
        """The `--ros-args ...` of this node as a process (what ros2 launch passes too)."""
        args = ['--ros-args', '-r', f'__node:={self.name}', '-r', f'__ns:=/{self.namespace}',
                '--log-level', self.log_level]
        for path in self.parameter_files:
            args += ['--params-file', path]
        for key, value in self.parameters.items():
            args += ['-p', f'{key}:={_param_text(value)}']
        for src, dst in self.remappings:
            args += ['-r', f'{src}:={dst}']
        return args


def _param_text(value) -> str:
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


def _truthy(text: str) -> bool:
    return str(text).strip().lower() in ('1', 'true', 'yes', 'on')


def resolve(overrides: dict | None = None) -> dict:
    """Argument values: defaults with `overrides` applied; unknown names are an error."""
    values = {name: default for name, (default, _) in ARGUMENTS.items()}
    for key, value in (overrides or {}).items():
        if key not in values:
            raise KeyError(f'unknown graph argument {key!r}; known: {sorted(values)}')
        values[key] = str(value)
    return values


def nodes(overrides: dict | None = None, parameters: dict | None = None,
          only=None) -> list[NodeSpec]:
    """The graph's nodes for these argument values (`overrides`), with extra parameters per node
    (`parameters`: node name -> {name: value}, over the config file's) and only the nodes named
    in `only` when given."""
    if only is None and resolve(overrides)['only'].strip():
        only = [n.strip() for n in resolve(overrides)['only'].split(',') if n.strip()]
    unknown = (set(parameters or {}) | set(only or ())) - set(NODE_NAMES)
    if unknown:
        raise KeyError(f'unknown node(s) {sorted(unknown)}; the graph has {list(NODE_NAMES)}')
    specs = _nodes(overrides)
    return [dataclasses.replace(s, parameters={**s.parameters,
                                               **(parameters or {}).get(s.name, {})})
            for s in specs if only is None or s.name in only]


NODE_NAMES = ('memory', 'reasoning', 'tts', 'perception')


def parse_node_params(texts: list[str]) -> dict[str, dict]:
    """`--param NODE:NAME=VALUE` options -> {node: {name: value}}, values read as YAML scalars.
    ValueError names the malformed option."""
    import yaml
    parameters: dict = {}
    for text in texts:
        node, _, assignment = text.partition(':')
        key, eq, value = assignment.partition('=')
        if node not in NODE_NAMES or not eq or not key or not value:
            raise ValueError(f'--param {text!r}: expected NODE:NAME=VALUE with NODE one of '
                             f'{list(NODE_NAMES)}')
        parameters.setdefault(node, {})[key] = yaml.safe_load(value)
    return parameters


def _nodes(overrides: dict | None = None) -> list[NodeSpec]:
    args = resolve(overrides)
    params_file = str(config_file(args['profile']))
    extra = os.path.abspath(os.path.expanduser(args['params_file'])) if args['params_file'] \
        else ''
    if extra and not os.path.isfile(extra):
        raise FileNotFoundError(f'params_file {extra} does not exist')
    level = args['log_level'].strip().lower()
    if level not in LOG_LEVELS:
        raise KeyError(f'log_level {level!r}: expected one of {list(LOG_LEVELS)}')
    common = dict(parameters_file=params_file,
                  parameters={'use_sim_time': _truthy(args['use_sim_time']),
                              'autostart': _truthy(args['autostart'])},
                  namespace=args['namespace'].strip('/'),
                  respawn=_truthy(args['respawn']),
                  respawn_delay=float(args['respawn_delay']),
                  extra_parameters_file=extra, log_level=level)
    perception_remaps = tuple((src, args[arg]) for src, arg in PERCEPTION_INPUTS.items()
                              if args[arg] != src)
    return [
        NodeSpec('memory_node', 'memory', remappings=(), **common),
        NodeSpec('reasoning_node', 'reasoning', remappings=(), **common),
        NodeSpec('tts_node', 'tts', remappings=(), **common),
        NodeSpec('perception_node', 'perception', remappings=perception_remaps, **common),
    ]
