"""config/omnilive.rviz and config/omnilive.foxglove.json show only what the graph publishes or
subscribes to, with displays of the right message type. The graph's topics are read from the
code itself: every publisher and subscription the nodes under src/omnilive/ros create (their
topic argument resolved from literals and module constants such as
omnilive.ros.visualization.DETECTIONS_TOPIC) and the sensor inputs graph.PERCEPTION_INPUTS
declares, relative names under the launch namespace."""
import ast
import importlib
import json
from pathlib import Path

import yaml

from omnilive.ros import graph
from omnilive.ros import visualization as V

ROOT = Path(__file__).resolve().parents[2]
ROS = ROOT / 'src' / 'omnilive' / 'ros'
NOT_THE_GRAPH = {'feeder.py'}   # a robot's sensors played by benchmarks and tests
CALLS = {'create_publisher', 'create_lifecycle_publisher', 'publisher', 'create_subscription',
         'sub'}
NAMESPACE = graph.ARGUMENTS['namespace'][0]
RVIZ_TYPES = {'rviz_default_plugins/Image': {'Image'},
              'rviz_default_plugins/MarkerArray': {'MarkerArray'},
              'rviz_default_plugins/Marker': {'Marker'}}
FOXGLOVE_TYPES = {'Image': {'Image', 'CompressedImage'},
                  'DiagnosticSummary': {'DiagnosticArray'},
                  'DiagnosticStatusPanel': {'DiagnosticArray'},
                  '3D': {'MarkerArray', 'Marker'}}


def absolute(name: str) -> str:
    return name if name.startswith('/') else f'/{NAMESPACE}/{name}'


def _resolve(node: ast.AST, module):
    """The value of a literal, a module-level name or attribute chain; None if computed."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return getattr(module, node.id, None)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, module)
        return getattr(base, node.attr, None) if base is not None else None
    return None


def _type_name(node: ast.AST) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, 'id', '?')


def graph_topics() -> dict[str, set[str]]:
    """{absolute topic: message type names} of the nodes' publishers and subscriptions."""
    topics: dict[str, set[str]] = {}
    for path in sorted(ROS.glob('*.py')):
        if path.name in NOT_THE_GRAPH:
            continue
        module = importlib.import_module(f'omnilive.ros.{path.stem}')
        for call in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(call, ast.Call) and len(call.args) >= 2):
                continue
            func = call.func.attr if isinstance(call.func, ast.Attribute) else \
                getattr(call.func, 'id', '')
            topic = _resolve(call.args[1], module) if func in CALLS else None
            if isinstance(topic, str):
                topics.setdefault(absolute(topic), set()).add(_type_name(call.args[0]))
    for topic in graph.PERCEPTION_INPUTS:   # the camera topics are chosen per transport
        topics.setdefault(topic, set())
    return topics


def rviz_displays() -> list[tuple[str, str]]:
    """(display class, topic) of every display with a topic, groups included."""
    config = yaml.safe_load((ROOT / 'config' / 'omnilive.rviz').read_text())
    out = []

    def walk(displays):
        for d in displays or []:
            topic = (d.get('Topic') or {}).get('Value') if isinstance(d.get('Topic'), dict) \
                else d.get('Topic')
            if topic:
                out.append((d['Class'], topic))
            walk(d.get('Displays'))
    walk(config['Visualization Manager']['Displays'])
    return out


def foxglove_panels() -> list[tuple[str, str]]:
    """(panel type, topic) of every topic a panel of the layout shows."""
    layout = json.loads((ROOT / 'config' / 'omnilive.foxglove.json').read_text())
    out = []
    for panel_id, config in layout['configById'].items():
        kind = panel_id.split('!')[0]
        for key in ('topicPath', 'topicToRender'):
            if config.get(key):
                out.append((kind, '/' + config[key].lstrip('/').split('.')[0]))
        if (config.get('imageMode') or {}).get('imageTopic'):
            out.append((kind, config['imageMode']['imageTopic']))
        out += [(kind, topic) for topic, shown in (config.get('topics') or {}).items()
                if shown.get('visible', True)]
    return out, layout


def panels_in(tree) -> set[str]:
    if isinstance(tree, str):
        return {tree}
    return panels_in(tree['first']) | panels_in(tree['second'])


def test_the_graph_is_read_from_the_code():
    topics = graph_topics()
    # spot checks that the reading works: outputs of each node, inputs, diagnostics
    assert {'Utterance'} <= topics[absolute('utterances')]
    assert {'Answer'} <= topics[absolute('answers')]
    assert '/diagnostics' in topics and '/camera/image_raw' in topics
    assert absolute('tts') in topics and absolute('speaking') in topics


def test_rviz_config_shows_only_graph_topics_with_matching_displays():
    topics, displays = graph_topics(), rviz_displays()
    assert {t for _, t in displays} == {'/camera/image_raw', absolute(V.DEBUG_IMAGE_TOPIC),
                                        absolute(V.MEMORY_MARKERS_TOPIC)}
    for cls, topic in displays:
        assert topic in topics, f'RViz shows {topic}, which nothing in the graph publishes'
        assert cls in RVIZ_TYPES, cls
        assert not topics[topic] or topics[topic] & RVIZ_TYPES[cls], (cls, topic, topics[topic])


def test_foxglove_layout_shows_only_graph_topics_with_matching_panels():
    topics = graph_topics()
    panels, layout = foxglove_panels()
    shown = {t for _, t in panels}
    wanted = {'/camera/image_raw', '/diagnostics'} | {absolute(t) for t in (
        V.DEBUG_IMAGE_TOPIC, V.DETECTIONS_TOPIC, V.MEMORY_MARKERS_TOPIC, 'answers',
        'utterances')}
    assert wanted <= shown, wanted - shown
    for kind, topic in panels:
        assert topic in topics, f'Foxglove shows {topic}, which nothing in the graph publishes'
        if kind in FOXGLOVE_TYPES and topics[topic]:
            assert topics[topic] & FOXGLOVE_TYPES[kind], (kind, topic, topics[topic])
    # every configured panel is placed in the layout, and nothing else is
    assert panels_in(layout['layout']) == set(layout['configById'])
