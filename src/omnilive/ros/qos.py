"""QoS used across the graph: best-effort for raw sensors, reliable depth 10 for derived topics."""
from rclpy.qos import (DurabilityPolicy, HistoryPolicy, QoSProfile, ReliabilityPolicy,
                       qos_profile_sensor_data)

SENSOR = qos_profile_sensor_data
# Sensor QoS (best effort, volatile) with a deeper queue for 50 Hz audio: bursts of delivery
# (seen with Fast DDS when images share the process) must not overwrite unread chunks.
SENSOR_AUDIO = QoSProfile(depth=200, reliability=ReliabilityPolicy.BEST_EFFORT,
                          history=HistoryPolicy.KEEP_LAST, durability=DurabilityPolicy.VOLATILE)
# Perception's `lossless` (evaluation) mode: reliable sensor subscriptions, so a bag player that
# publishes reliably (omnilive eval, ros2 bag play) never loses a message to the transport.
LOSSLESS_AUDIO = QoSProfile(depth=1000, reliability=ReliabilityPolicy.RELIABLE,
                            history=HistoryPolicy.KEEP_LAST, durability=DurabilityPolicy.VOLATILE)
LOSSLESS_IMAGES = QoSProfile(depth=50, reliability=ReliabilityPolicy.RELIABLE,
                             history=HistoryPolicy.KEEP_LAST, durability=DurabilityPolicy.VOLATILE)
DERIVED = QoSProfile(depth=10, reliability=ReliabilityPolicy.RELIABLE,
                     history=HistoryPolicy.KEEP_LAST, durability=DurabilityPolicy.VOLATILE)
# AudioInfo is published once by most drivers: latch it.
LATCHED = QoSProfile(depth=1, reliability=ReliabilityPolicy.RELIABLE,
                     history=HistoryPolicy.KEEP_LAST, durability=DurabilityPolicy.TRANSIENT_LOCAL)
# Matches any publisher (volatile or transient-local, reliable or best effort), without history.
ANY_PUBLISHER = QoSProfile(depth=10, reliability=ReliabilityPolicy.BEST_EFFORT,
                           history=HistoryPolicy.KEEP_LAST, durability=DurabilityPolicy.VOLATILE)
# AudioInfo as drivers ship it: audio_common's audio_capture latches it (transient-local, depth 1,
# repeated every 5 s) in its current releases and publishes it volatile in others. A latched
# subscription never matches a volatile publisher, and DurabilityPolicy.BEST_AVAILABLE does not
# help: it is resolved once, against the publishers present when the subscription is created
# (none, when perception starts first: then it becomes transient-local). So AudioInfo is
# subscribed twice: latched (the history of a driver that published before us) and volatile
# (every publisher); a repeated AudioInfo changes nothing (omnilive.audio.input).
AUDIO_INFO = (LATCHED, ANY_PUBLISHER)
