"""The sandbox's "speech": a short WAV it synthesises itself for POST /voices/preview, and a
call's recording (the turns of its transcript, each in its speaker's voice).

Not speech, but shaped like it, and deterministic: one hum per word, whose pitch belongs to the
voice (a voice id always hums at the same pitch) and moves with the letters, with a short pause
between words. How long it lasts follows the text and the speed, so two previews can be told
apart by their duration alone; volume scales the loudness.
"""

from __future__ import annotations

import hashlib
import io
import math
import wave
from array import array

SAMPLE_RATE = 8000
SECONDS_PER_CHARACTER = 0.06
PAUSE_SECONDS = 0.08
LEAD_SECONDS = 0.15  # silence before the first word and after the last
TURN_SECONDS = 0.4  # between two turns of a conversation
PEAK = 12000  # of 32767: loud enough to hear, with room for volume 2.0


def base_pitch(voice_id: str) -> float:
    """The voice's own pitch, between 110 and 290 Hz."""
    digest = hashlib.sha256(voice_id.encode()).digest()
    return 110.0 + digest[0] * 180 / 255


def duration_seconds(text: str, speed: float) -> float:
    """How long the preview of `text` lasts at `speed`."""
    words = text.split() or [""]
    spoken = sum(len(word) for word in words) * SECONDS_PER_CHARACTER
    pauses = (len(words) - 1) * PAUSE_SECONDS
    return 2 * LEAD_SECONDS + (spoken + pauses) / speed


def synthesize(*, voice_id: str, text: str, speed: float = 1.0, volume: float = 1.0) -> bytes:
    """A mono 16-bit PCM WAV of `text` "spoken" by `voice_id`."""
    silence = _silence(LEAD_SECONDS)
    return _wav(silence + _spoken(voice_id, text, speed, volume) + silence)


def conversation(turns: list[tuple[str, str]], *, speed: float = 1.0) -> bytes:
    """A WAV of several voices taking turns: each (voice id, text) in order, with a short
    silence between turns, as a call's recording sounds."""
    samples = _silence(LEAD_SECONDS)
    for voice_id, text in turns:
        samples.extend(_spoken(voice_id, text, speed, 1.0))
        samples.extend(_silence(TURN_SECONDS))
    return _wav(samples)


def _silence(seconds: float) -> array:
    return array("h", bytes(2 * int(seconds * SAMPLE_RATE)))


def _spoken(voice_id: str, text: str, speed: float, volume: float) -> array:
    pitch = base_pitch(voice_id)
    samples = array("h")
    words = text.split() or [""]
    for index, word in enumerate(words):
        if index:
            samples.extend(_silence(PAUSE_SECONDS / speed))
        samples.extend(_hum(word, pitch, speed, volume))
    return samples


def _wav(samples: array) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def _hum(word: str, pitch: float, speed: float, volume: float) -> array:
    count = int(len(word) * SECONDS_PER_CHARACTER / speed * SAMPLE_RATE)
    out = array("h", bytes(2 * count))
    if not count:
        return out
    per_letter = max(1, count // len(word))
    amplitude = PEAK * min(max(volume, 0.0), 2.0) / 2.0 * 1.6
    phase = 0.0
    for i in range(count):
        letter = word[min(i // per_letter, len(word) - 1)]
        # The melody: each letter nudges the pitch by up to a fifth.
        frequency = pitch * (1 + (ord(letter) % 7) / 12)
        phase += 2 * math.pi * frequency / SAMPLE_RATE
        envelope = math.sin(math.pi * i / count)  # rises and falls over the word
        value = envelope * (math.sin(phase) + 0.3 * math.sin(2 * phase))
        out[i] = int(max(-32767, min(32767, amplitude * value)))
    return out
