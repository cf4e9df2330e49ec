"""Bring up omnilive: perception, memory, reasoning and TTS nodes.

    ros2 launch omnilive bringup.launch.py [profile:=gpu] [namespace:=omnilive] \
        [use_sim_time:=true] [camera_topic:=/my/camera/image_raw] [audio_topic:=/mic/audio] ...

The nodes, their parameter files and remappings come from omnilive.ros.graph, the same
declaration `omnilive run` uses where ros2 launch is not installed.
"""
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, OpaqueFunction
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node

from omnilive.ros import graph


def _nodes(context, *args, **kwargs):
    values = {name: LaunchConfiguration(name).perform(context) for name in graph.ARGUMENTS}
    return [
        Node(
            package=graph.PACKAGE,
            executable=spec.executable,
            name=spec.name,
            namespace=spec.namespace,
            parameters=[spec.parameters_file, spec.parameters],
            remappings=list(spec.remappings),
            respawn=spec.respawn,
            respawn_delay=spec.respawn_delay,
            output='screen',
            emulate_tty=True,
        )
        for spec in graph.nodes(values)
    ]


def generate_launch_description():
    arguments = [DeclareLaunchArgument(name, default_value=default, description=description)
                 for name, (default, description) in graph.ARGUMENTS.items()]
    return LaunchDescription(arguments + [OpaqueFunction(function=_nodes)])
