"""Scene segmentation on real media, without ROS: cuts between sources within 1 s, none while
people walk through one scene, and clips never longer than max_frames."""
from omnilive.bags import media
from omnilive.vision.scenes import FrameSampler, SceneSegmenter, frame_features


def run(sources, fps=1.5):
    t0, times = 0.0, []
    for source, duration in sources:
        times += [(t0 + i / 10, f) for i, f in
                  enumerate(media.frames(source, 10, duration, (320, 240)))]
        t0 += duration
    sampler, segmenter = FrameSampler(fps), SceneSegmenter()
    cuts, splits, longest, length = [], [], 0, 0
    for t, frame in times:
        if not sampler.due(t):
            continue
        boundary = segmenter.push(frame_features(frame))
        if boundary is not None:
            (cuts if boundary.cut else splits).append(t)
            length = 0
        length += 1
        longest = max(longest, length)
    return cuts, splits, longest


def test_no_cut_while_people_walk():
    cuts, splits, longest = run([('opencv:data/vtest.avi', 60)])
    assert cuts == [] and splits and longest <= 16


def test_cuts_between_sources_within_a_second():
    sources = [('opencv:data/vtest.avi', 20), ('opencv:text/scenetext01.jpg', 8),
               ('skimage:coffee', 8), ('skimage:astronaut', 8), ('opencv:text/scenetext05.jpg', 8)]
    cuts, _, _ = run(sources)
    assert len(cuts) == 4
    for found, true in zip(cuts, [20, 28, 36, 44]):
        assert 0 <= found - true <= 1.0
