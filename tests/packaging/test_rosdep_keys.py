"""Every dependency of the package manifests resolves on a robot: `rosdep install` stops at the
first key it does not know. The keys are checked against a snapshot of ros/rosdistro's key list
(tests/data/rosdep_keys.txt, source and date beside it) and this workspace's own packages."""
import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = [ROOT / 'package.xml', ROOT / 'msg' / 'package.xml',
             *sorted((ROOT / 'compat').glob('*/package.xml'))]
DEPEND_TAGS = ('depend', 'build_depend', 'buildtool_depend', 'build_export_depend',
               'buildtool_export_depend', 'exec_depend', 'test_depend', 'doc_depend')
# setup.py's libraries that package.xml provides through a rosdep key (apt or rosdep's pip)
KEY_OF_LIBRARY = {
    'numpy': 'python3-numpy', 'scipy': 'python3-scipy', 'opencv-python-headless': 'python3-opencv',
    'pyyaml': 'python3-yaml', 'tqdm': 'python3-tqdm', 'matplotlib': 'python3-matplotlib',
    'faiss-cpu': 'python3-faiss', 'rosbags': 'python3-rosbags-pip',
    'onnxruntime': 'python3-onnxruntime-pip', 'transformers': 'python3-transformers-pip',
    'silero-vad': 'python3-silero-vad-pip',
}


def rosdistro_keys() -> set[str]:
    lines = (ROOT / 'tests' / 'data' / 'rosdep_keys.txt').read_text().splitlines()
    return {line.strip() for line in lines if line.strip()}


def workspace_packages() -> set[str]:
    return {ET.parse(m).getroot().findtext('name') for m in MANIFESTS}


def dependencies(manifest: Path) -> list[tuple[str, str]]:
    root = ET.parse(manifest).getroot()
    return [(el.tag, el.text.strip()) for tag in DEPEND_TAGS for el in root.iter(tag)]


def requirement_name(spec: str) -> str:
    return re.split(r'[<>=!~\[; ]', spec.strip(), maxsplit=1)[0].lower()


def setup_install_requires() -> list[str]:
    tree = ast.parse((ROOT / 'setup.py').read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
                getattr(t, 'id', None) == 'INSTALL_REQUIRES' for t in node.targets):
            return [requirement_name(ast.literal_eval(e)) for e in node.value.elts]
    raise AssertionError('setup.py defines no INSTALL_REQUIRES')


def robot_requirements() -> set[str]:
    text = (ROOT / 'scripts' / 'requirements-robot.txt').read_text()
    return {requirement_name(line) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith('#')}


def test_snapshot_is_the_documented_one():
    keys = rosdistro_keys()
    source = (ROOT / 'tests' / 'data' / 'rosdep_keys.txt.source').read_text()
    assert f'({len(keys)} names' in source
    # spot checks of what the snapshot must and must not hold (rosdistro's real spelling)
    assert {'rclpy', 'python3-faiss', 'espeak', 'audio_common_msgs', 'vision_msgs'} <= keys
    assert not {'ament_python', 'python3-faiss-pip', 'espeak-ng'} & keys


def test_every_dependency_key_resolves():
    keys, ours = rosdistro_keys(), workspace_packages()
    assert len(MANIFESTS) >= 3   # package.xml, msg/ and at least compat/audio_common_msgs
    unknown = [f'{m.relative_to(ROOT)}: <{tag}>{key}' for m in MANIFESTS
               for tag, key in dependencies(m) if key not in keys and key not in ours]
    assert not unknown, 'rosdep cannot resolve: ' + ', '.join(unknown)


def test_ament_python_package_has_its_build_type_and_no_fake_buildtool():
    root = ET.parse(ROOT / 'package.xml').getroot()
    assert root.findtext('export/build_type') == 'ament_python'
    assert 'ament_python' not in [el.text for el in root.iter('buildtool_depend')]


def test_every_library_is_installed_by_rosdep_or_the_robot_requirements():
    declared = {key for _, key in dependencies(ROOT / 'package.xml')}
    robot = robot_requirements()
    missing = []
    for lib in setup_install_requires():
        key = KEY_OF_LIBRARY.get(lib)
        if (key is None or key not in declared) and lib not in robot:
            missing.append(lib)
    assert not missing, f'neither a package.xml key nor in requirements-robot.txt: {missing}'
    # and nothing pip-installed on the robot that rosdep already installs from apt
    assert not robot & set(KEY_OF_LIBRARY), robot & set(KEY_OF_LIBRARY)
