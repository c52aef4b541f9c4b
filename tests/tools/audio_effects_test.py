#!/usr/bin/python3
"""cqtcnn_train.audio_effects's simulated rooms, measured from their impulse responses: the direct
sound comes first at unit level, the same seed gives the same room, and each band's level falls
at the rate its RT60 says (60 dB per RT60). The diffuse room's bands all fall alike; the damped
room's high band falls faster than its low band, and it has early reflections before its tail.

  audio_effects_test.py <path-to-cqtcnn> <source-dir>"""
import numpy as np
from scipy.signal import butter, sosfilt

import tool_harness
from tool_harness import check

from cqtcnn_train import audio_effects as fx  # noqa: E402

RATE = 8000


def band_drop_db(ir, low_hz, high_hz, start_s, end_s):
    """How many dB the band's energy (over 20 ms, after a 4th-order Butterworth band-pass whose own
    ringing lasts a few ms) falls from start_s to end_s."""
    band = sosfilt(butter(4, [low_hz, high_hz], btype="bandpass", fs=RATE, output="sos"), ir)

    def energy(at_s):
        i = int(at_s * RATE)
        return np.sum(band[i: i + int(0.02 * RATE)] ** 2)

    return 10 * np.log10(energy(start_s) / energy(end_s))


for name, make in (("diffuse", fx.room_impulse_response), ("damped", fx.damped_room_impulse_response)):
    low_drops, high_drops = [], []
    for seed in range(8):
        rt60 = 0.6
        ir = make(np.random.default_rng(seed), RATE, rt60)
        again = make(np.random.default_rng(seed), RATE, rt60)
        check(f"{name} seed {seed}: the same seed, the same room", np.array_equal(ir, again))
        check(f"{name} seed {seed}: direct sound first, at 1", ir[0] == 1.0 and np.max(np.abs(ir[1:])) < 1.0,
              f"ir[0] {ir[0]}, largest after it {np.max(np.abs(ir[1:])):.3f}")
        # Between 0.1 and 0.4 s the low band (100-500 Hz, where both rooms decay at rt60) falls
        # 60 dB x 0.3 / 0.6 = 30 dB.
        low_drops.append(band_drop_db(ir, 100, 500, 0.1, 0.4))
        high_drops.append(band_drop_db(ir, 3500, 3900, 0.1, 0.4))
    low, high = np.mean(low_drops), np.mean(high_drops)
    check(f"{name}: the low band falls 30 dB in 0.3 s (mean of 8 rooms)", abs(low - 30) < 5, f"{low:.1f} dB")
    if name == "diffuse":
        check("diffuse: the high band falls as fast as the low one", abs(high - low) < 5, f"{high:.1f} dB")
    else:
        # The top band's RT60 is rt60 / (1 + damping), damping 0.3-3.0: it falls 39-120 dB.
        check("damped: the high band falls faster than the low one", high > low + 10, f"{high:.1f} dB")

# The damped room's early reflections: discrete taps of 0.2-0.7 (less the later they come) within
# 40 ms stand out above the diffuse tail, which alone reaches about 0.1 there.
def early_peak(make):
    return np.mean([np.max(np.abs(make(np.random.default_rng(seed), RATE, 0.6)[1: int(0.04 * RATE)]))
                    for seed in range(8)])


damped, diffuse = early_peak(fx.damped_room_impulse_response), early_peak(fx.room_impulse_response)
check("damped: early reflections stand out in the first 40 ms", damped > 1.5 * diffuse,
      f"mean largest sample {damped:.2f}, diffuse room's {diffuse:.2f}")

tool_harness.finish()
