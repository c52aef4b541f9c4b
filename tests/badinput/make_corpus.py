#!/usr/bin/python3
"""Writes the bad-input corpus for tests/cli/badinput.sh into a folder, with manifest.tsv.

Only the Python standard library: every file is made here (headers written with struct), so
no binary is committed. Each case declares, once, what a user should get:
  ok      processed, with finite output (a classify row; a finite spectrogram NPY)
  error   a one-line error naming the file, exit code 1
  error2  exit code 2 (a parameter that can never work for this file, e.g. CQT bins above
          the file's Nyquist frequency)
  none    (classify only) a folder argument that holds no audio gives no row
The two expectation columns are for `cqtcnn classify` (built-in 8 kHz model) and
`cqtcnn spectrogram` (librosa defaults but 60 bins, at the file's own rate). An expectation
ending in "~" is what a user should get but the program does not do yet (a known deviation,
described by the third column and listed in docs/security.md): the test then only checks that
the program does not crash, and prints what it does instead.

Malformed models go to OUT_DIR/models/ with models.tsv: each is checked with `cqtcnn inspect`,
expecting "ok" (exit 0) or "error2" (one line naming the file, exit 2). They cover the recurrent
layers (gru, map_to_sequence, time_pool, sequence_to_map): wrong weight sizes, hidden size 0,
NaN weights, an input size that does not match, a map where a sequence belongs.

Usage: make_corpus.py OUT_DIR
"""
import base64
import copy
import json
import math
import os
import random
import struct
import sys

PCM, IEEE_FLOAT = 1, 3


def wav(frames, rate=8000, channels=1, bits=16, fmt=PCM, data_size=None, riff_size=None):
    """A canonical 44-byte-header WAV around raw little-endian frame bytes."""
    block_align = channels * bits // 8
    size = len(frames) if data_size is None else data_size
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + size if riff_size is None else riff_size,
                         b"WAVE", b"fmt ", 16, fmt, channels, rate, rate * block_align, block_align,
                         bits, b"data", size)
    return header + frames


def tone(n, rate, freq=440.0, amp=0.5):
    return [amp * math.sin(2 * math.pi * freq * i / rate) for i in range(n)]


def pcm16(samples):
    return struct.pack("<%dh" % len(samples), *(int(round(s * 32767)) for s in samples))


def pcm_int(samples, bits):
    """Signed little-endian PCM of 8 (unsigned, as WAV stores it), 24 or 32 bits."""
    peak = (1 << (bits - 1)) - 1
    if bits == 8:
        return bytes(int(round(s * 127)) + 128 for s in samples)
    width = bits // 8
    return b"".join(int(round(s * peak)).to_bytes(width, "little", signed=True) for s in samples)


def low_noise_pcm16(n):
    """n samples of quiet white noise (|x| < 2^-8) quickly: random int8 sign-extended to 16 bits."""
    low = os.urandom(n)
    high = low.translate(bytes(0 if b < 128 else 255 for b in range(256)))
    out = bytearray(2 * n)
    out[0::2], out[1::2] = low, high
    return bytes(out)


# ---- FLAC (verbatim subframes: valid, uncompressed; FLAC format spec, xiph.org) -------------

class Bits:
    def __init__(self):
        self.value, self.count = 0, 0

    def put(self, value, width):
        self.value = (self.value << width) | (value & ((1 << width) - 1))
        self.count += width

    def bytes(self):
        pad = (-self.count) % 8
        return (self.value << pad).to_bytes((self.count + pad) // 8, "big")


def crc(data, poly, width):
    top, mask, c = 1 << (width - 1), (1 << width) - 1, 0
    for byte in data:
        c ^= byte << (width - 8)
        for _ in range(8):
            c = ((c << 1) ^ poly) & mask if c & top else (c << 1) & mask
    return c


def flac(samples16, rate=8000, total_samples=None, block=4096):
    info = Bits()
    info.put(block, 16), info.put(block, 16), info.put(0, 24), info.put(0, 24)
    info.put(rate, 20), info.put(0, 3), info.put(15, 5)
    info.put(len(samples16) if total_samples is None else total_samples, 36)
    info.put(0, 128)  # MD5 unknown
    out = b"fLaC" + bytes([0x80]) + (34).to_bytes(3, "big") + info.bytes()
    for number, start in enumerate(range(0, len(samples16), block)):
        chunk = samples16[start:start + block]
        head = Bits()
        head.put(0b11111111111110, 14), head.put(0, 2)
        head.put(0b0111, 4), head.put(0, 4), head.put(0, 4), head.put(0, 3), head.put(0, 1)
        head.put(number, 8)  # UTF-8 coded frame number: one byte below 128
        head.put(len(chunk) - 1, 16)
        header = head.bytes()
        header += bytes([crc(header, 0x07, 8)])
        body = Bits()
        body.put(0, 1), body.put(1, 6), body.put(0, 1)  # VERBATIM, no wasted bits
        for s in chunk:
            body.put(s, 16)
        frame = header + body.bytes()
        out += frame + crc(frame, 0x8005, 16).to_bytes(2, "big")
    return out


PNG = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sIIBBBBB", 13, b"IHDR", 1, 1, 8, 0, 0, 0, 0) +
       b"\x3a\x7e\x9b\x55" + bytes.fromhex("0000000a49444154789c63600000000200015f9e1a1c") +
       bytes.fromhex("0000000049454e44ae426082"))


def cases():
    """(file name, bytes or None for a folder, classify, spectrogram[, known deviation])."""
    rate = 8000
    good = pcm16(tone(rate // 2, rate))
    good_wav = wav(good, rate)
    random.seed(6)
    noise = bytes(random.getrandbits(8) for _ in range(4096))
    yield "empty.wav", b"", "error", "error"
    yield "truncated_riff.wav", good_wav[:12], "error", "error"
    yield "truncated_fmt.wav", good_wav[:30], "error", "error"
    yield "header_only.wav", good_wav[:44], "error", "error"
    yield "no_data_chunk.wav", good_wav[:36], "error", "error"
    # The header claims 2^31 frames (data size 2^32 - 2 bytes) but 0.5 s follows: libsndfile
    # reads what is there, as soundfile/librosa would.
    yield "claims_2e31_frames.wav", wav(good, rate, data_size=0xFFFFFFFE, riff_size=0xFFFFFFFF), "ok", "ok"
    yield "rate_0hz.wav", wav(good, 0), "error", "error"
    yield "channels_0.wav", wav(good, rate, channels=0), "error", "error"
    yield "bits_0.wav", wav(good, rate, bits=0), "error", "error"
    yield "fmt_size_huge.wav", good_wav[:16] + struct.pack("<I", 0xFFFFFFF0) + good_wav[20:], "error", "error"
    yield "random.wav", noise, "error", "error"
    yield "random.flac", noise, "error", "error"
    mpg123 = "libmpg123 prints 'Note: ...' lines on stderr and libsndfile says 'File does not exist'"
    yield "random.mp3", noise, "error", "error~", mpg123
    yield "image.wav", PNG, "error", "error"
    yield "text.flac", b"This is not audio.\nJust some text.\n", "error", "error"
    yield "model.mp3", b'{"format": "cqtcnn-model", "layers": []}\n', "error", "error~", mpg123
    yield "flac_magic_only.flac", b"fLaC" + noise[:100], "error", "error"
    yield "x.wav", None, "none", "error"
    yield "ünïcödé 数字.wav", good_wav, "ok", "ok"
    yield "with  spaces and 'quotes'.wav", good_wav, "ok", "ok"
    yield "wav_named.mp3", good_wav, "ok", "ok"
    yield "silence.wav", wav(bytes(2 * rate), rate), "ok", "ok"
    yield "one_sample.wav", wav(pcm16([0.5]), rate), "ok", "ok"
    yield "short_10ms.wav", wav(pcm16(tone(rate // 100, rate)), rate), "ok", "ok"
    yield "long_10min_noise.wav", wav(low_noise_pcm16(600 * rate), rate), "ok", "ok"
    yield "pcm8.wav", wav(pcm_int(tone(rate // 2, rate), 8), rate, bits=8), "ok", "ok"
    yield "pcm24.wav", wav(pcm_int(tone(rate // 2, rate), 24), rate, bits=24), "ok", "ok"
    yield "pcm32.wav", wav(pcm_int(tone(rate // 2, rate), 32), rate, bits=32), "ok", "ok"
    samples = tone(rate // 2, rate)
    yield "float32.wav", wav(struct.pack("<%df" % len(samples), *samples), rate, bits=32, fmt=IEEE_FLOAT), "ok", "ok"
    yield "float64.wav", wav(struct.pack("<%dd" % len(samples), *samples), rate, bits=64, fmt=IEEE_FLOAT), "ok", "ok"
    with_nan = samples[:100] + [float("nan")] + samples[101:]
    yield "float32_nan.wav", wav(struct.pack("<%df" % len(with_nan), *with_nan), rate, bits=32, fmt=IEEE_FLOAT), "error", "error"
    with_inf = samples[:100] + [float("inf")] + samples[101:]
    yield "float32_inf.wav", wav(struct.pack("<%df" % len(with_inf), *with_inf), rate, bits=32, fmt=IEEE_FLOAT), "error", "error"
    loud = [s * 1e30 for s in samples]
    yield "float32_1e30.wav", wav(struct.pack("<%df" % len(loud), *loud), rate, bits=32, fmt=IEEE_FLOAT), "error", "error"
    six = pcm16([s for s in tone(rate // 2, rate) for _ in range(6)])
    yield "six_channels.wav", wav(six, rate, channels=6), "ok", "ok"
    yield "rate_192k.wav", wav(pcm16(tone(192000 // 2, 192000)), 192000), "ok", "ok"
    # 1 Hz: 4 samples are 4 seconds. The model's 8 kHz would mean 8000x upsampling of
    # something that cannot be audio; librosa's default CQT at 1 Hz has no valid bins.
    # Rates below 100 Hz are refused when the file is opened.
    yield "rate_1hz.wav", wav(pcm16([0.1, -0.2, 0.3, -0.4]), 1), "error", "error"
    g16 = [int(round(s * 32767)) for s in tone(rate // 2, rate)]
    yield "valid.flac", flac(g16, rate), "ok", "ok"
    # Cut inside a frame: libsndfile's FLAC decoder loses sync and reports it.
    yield "truncated.flac", flac(g16, rate, block=1024)[:3000], "error", "error"
    yield "flac_claims_2e36_frames.flac", flac(g16, rate, total_samples=(1 << 36) - 1), "ok", "ok"


# ---- models --------------------------------------------------------------------------------

def numbers(count, scale=0.1):
    return [round(scale * math.sin(1.7 * i + 0.3), 6) for i in range(count)]


def crnn_model():
    """A valid CRNN: conv 1->2 3x3 on 1x4x5 -> map 2x2x3 -> 3 steps of 4 features -> gru(4 -> 3),
    final state -> dense(3 -> 2)."""
    gru_weights = {}
    for suffix in ("_l0",):
        gru_weights["weight_ih" + suffix] = numbers(9 * 4)
        gru_weights["weight_hh" + suffix] = numbers(9 * 3)
        gru_weights["bias_ih" + suffix] = numbers(9)
        gru_weights["bias_hh" + suffix] = numbers(9)
    return {
        "format": "cqtcnn-model", "version": 1, "labels": ["a", "b"], "input_shape": [1, 4, 5],
        "layers": [
            {"type": "conv2d", "in_channels": 1, "out_channels": 2, "kernel_size": 3,
             "weights": {"weight": numbers(18), "bias": numbers(2)}},
            {"type": "map_to_sequence"},
            {"type": "gru", "input_size": 4, "hidden_size": 3, "return": "last", "weights": gru_weights},
            {"type": "dense", "in_features": 3, "out_features": 2,
             "weights": {"weight": numbers(6), "bias": numbers(2)}},
        ],
    }


def model_cases():
    """(file name, model text, expectation): the valid CRNN and malformed variants of it."""
    good = crnn_model()
    yield "crnn_valid.json", json.dumps(good), "ok"

    def variant(name, change):
        m = copy.deepcopy(good)
        change(m["layers"])
        return name, json.dumps(m), "error2"

    gru = 2
    nan_then_ones = {"shape": [9, 3], "data_b64": base64.b64encode(
        struct.pack("<27f", float("nan"), *([1.0] * 26))).decode("ascii")}
    yield variant("gru_weight_ih_one_short.json", lambda l: l[gru]["weights"]["weight_ih_l0"].pop())
    yield variant("gru_weight_hh_wrong_shape.json", lambda l: l[gru]["weights"].update(
        weight_hh_l0={"shape": [3, 9], "data": numbers(27)}))
    yield variant("gru_bias_missing.json", lambda l: l[gru]["weights"].pop("bias_hh_l0"))
    yield variant("gru_hidden_0.json", lambda l: l[gru].update(hidden_size=0))
    yield variant("gru_hidden_huge.json", lambda l: l[gru].update(hidden_size=1 << 20))
    yield variant("gru_num_layers_0.json", lambda l: l[gru].update(num_layers=0))
    yield variant("gru_nan_weight.json", lambda l: l[gru]["weights"].update(weight_hh_l0=nan_then_ones))
    yield variant("gru_weight_beyond_float32.json", lambda l: l[gru]["weights"]["bias_ih_l0"].__setitem__(0, 1e39))
    yield variant("gru_input_size_differs_from_its_weight.json", lambda l: l[gru].update(input_size=5))
    # A consistent gru of input size 5 after a sequence of 4 features: refused by shape inference.
    yield variant("gru_input_size_mismatch.json", lambda l: (l[gru].update(input_size=5),
                                                            l[gru]["weights"].update(weight_ih_l0=numbers(45))))
    yield variant("gru_on_a_map.json", lambda l: l.pop(1))
    yield variant("gru_bidirectional_without_reverse.json", lambda l: l[gru].update(bidirectional=True))
    yield variant("gru_second_layer_without_weights.json", lambda l: l[gru].update(num_layers=2))
    yield variant("gru_unknown_return.json", lambda l: l[gru].update({"return": "first"}))
    yield variant("gru_return_missing.json", lambda l: l[gru].pop("return"))
    yield variant("gru_extra_weight.json", lambda l: l[gru]["weights"].update(weight_ih_l1=numbers(36)))
    yield variant("gru_unknown_field.json", lambda l: l[gru].update(batch_first=True))
    yield variant("time_pool_unknown_mode.json", lambda l: l.insert(3, {"type": "time_pool", "mode": "median"}))
    yield variant("time_pool_on_a_map.json",
                  lambda l: l.__setitem__(slice(1, 4), [{"type": "time_pool", "mode": "max"}]))
    yield variant("sequence_to_map_channels_do_not_divide.json",
                  lambda l: l.insert(2, {"type": "sequence_to_map", "channels": 3}))
    yield variant("dense_on_a_sequence.json", lambda l: l[gru].update({"return": "sequence"}))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "manifest.tsv"), "w", encoding="utf-8") as manifest:
        for name, data, *expect in cases():
            path = os.path.join(out, name)
            if data is None:
                os.makedirs(path, exist_ok=True)
            else:
                with open(path, "wb") as f:
                    f.write(data)
            manifest.write("\t".join([name] + expect) + "\n")
    models = os.path.join(out, "models")
    os.makedirs(models, exist_ok=True)
    with open(os.path.join(models, "models.tsv"), "w", encoding="utf-8") as manifest:
        for name, text, expect in model_cases():
            with open(os.path.join(models, name), "w", encoding="utf-8") as f:
                f.write(text)
            manifest.write(f"{name}\t{expect}\n")


if __name__ == "__main__":
    main()
