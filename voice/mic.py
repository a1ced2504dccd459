"""The microphone: a 16 kHz mono stream, fed to the recognizer as it arrives.

pocketsphinx's Endpointer (WebRTC voice activity detection) decides when
speech starts and when it has ended, so the user simply stops talking.
"""

from __future__ import annotations

import time
from typing import Any

from .asr import Heard, Recognizer
from .audio import RATE, AudioError

END_WINDOW = 0.6  # seconds of quiet that end an utterance: long enough for a pause to think
MAX_UTTERANCE = 20.0  # seconds; a stuck microphone must not hold the turn forever


def open_microphone() -> Any:
    """An open input stream, or AudioError saying why there is none."""
    try:
        import sounddevice as sd
    except OSError as exc:  # "PortAudio library not found"
        raise AudioError(f"the microphone cannot be used: {exc} (install libportaudio2)") from None
    try:
        devices = sd.query_devices()
    except Exception as exc:
        raise AudioError(f"the microphone cannot be used: {exc}") from None
    if not any(d.get("max_input_channels", 0) > 0 for d in devices):
        raise AudioError("no microphone (audio input device) was found")
    from pocketsphinx import Endpointer

    frames = Endpointer(window=END_WINDOW, sample_rate=RATE).frame_bytes // 2
    try:
        stream = sd.RawInputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=frames)
        stream.start()
    except Exception as exc:  # PortAudioError: busy, unplugged, no permission
        raise AudioError(f"the microphone could not be opened: {exc}") from None
    return stream


def listen(stream: Any, rec: Recognizer, silence_timeout: float) -> Heard | None:
    """One utterance from the stream, or None after ``silence_timeout`` seconds with no speech.

    Audio is fed to the recognizer while the user speaks, so little is left
    to do when they stop.
    """
    from pocketsphinx import Endpointer

    ep = Endpointer(window=END_WINDOW, sample_rate=RATE)
    waited = time.monotonic()
    started = False
    spoken = 0.0
    while True:
        frame, _overflowed = stream.read(ep.frame_bytes // 2)
        speech = ep.process(bytes(frame))
        if speech is not None:
            if not started:
                rec.start()
                started = True
            rec.feed(speech)
            spoken += ep.frame_length
        if started and (not ep.in_speech or spoken > MAX_UTTERANCE):
            return rec.finish()
        if not started and time.monotonic() - waited > silence_timeout:
            return None
