"""Bring up omnilive: perception, memory, reasoning and TTS nodes.

    ros2 launch omnilive bringup.launch.py [profile:=gpu] [params_file:=/my/params.yaml] \
        [namespace:=omnilive] [use_sim_time:=true] [log_level:=debug] [autostart:=false] \
        [only:=memory,reasoning] [camera_topic:=/my/camera/image_raw] [audio_topic:=/mic/audio] ...

The nodes, their parameter files, remappings, log level, environment (the Fast DDS profile, the
OpenMP wait policy) and respawn rule come from omnilive.ros.graph, the same declaration
`omnilive run` uses where ros2 launch is not installed. The nodes are lifecycle nodes brought to
active by their `autostart` parameter. A node that crashes is started again after respawn_delay;
one that exits with EXIT_CONFIG (78: a configuration or model error) is not, since a restart
cannot help.
"""
from launch import LaunchDescription
from launch.actions import (DeclareLaunchArgument, LogInfo, OpaqueFunction,
                            RegisterEventHandler, TimerAction)
from launch.event_handlers import OnProcessExit
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node

from omnilive.ros import graph


def _node(spec, environment):
    """The node of `spec` and the handler that restarts it after a crash (graph.should_respawn).
    Launch's own `respawn` restarts a node whatever its exit code, so it stays off."""
    node = Node(
        package=graph.PACKAGE,
        executable=spec.executable,
        name=spec.name,
        namespace=spec.namespace,
        parameters=[*spec.parameter_files, spec.parameters],
        remappings=list(spec.remappings),
        ros_arguments=['--log-level', spec.log_level],
        additional_env=environment,
        respawn=False,
        output='screen',
        emulate_tty=True,
    )

    def on_exit(event, context):
        if context.is_shutdown or not graph.should_respawn(spec.respawn, event.returncode):
            why = ('a configuration or model error: not restarted'
                   if event.returncode == graph.EXIT_CONFIG else 'not restarted')
            return [LogInfo(msg=f'{spec.name} exited (code {event.returncode}): {why}')]
        return [LogInfo(msg=f'{spec.name} exited (code {event.returncode}): restarting'),
                TimerAction(period=spec.respawn_delay, actions=_node(spec, environment))]
    return [node, RegisterEventHandler(OnProcessExit(target_action=node, on_exit=on_exit))]


def _nodes(context, *args, **kwargs):
    values = {name: LaunchConfiguration(name).perform(context) for name in graph.ARGUMENTS}
    environment = graph.node_environment()
    return [action for spec in graph.nodes(values) for action in _node(spec, environment)]


def generate_launch_description():
    arguments = [DeclareLaunchArgument(name, default_value=default, description=description)
                 for name, (default, description) in graph.ARGUMENTS.items()]
    return LaunchDescription(arguments + [OpaqueFunction(function=_nodes)])
