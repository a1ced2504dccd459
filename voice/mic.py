"""The microphone: a 16 kHz mono stream, fed to the recognizer as it arrives.

WebRTC voice activity detection (from pocketsphinx) and endpoint.Endpoint
decide when speech starts and when it has ended, so the user simply stops
talking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .asr import Heard, Recognizer
from .audio import RATE, AudioError
from .endpoint import FRAME, Endpoint

SHORT_TURN_S = 3.0  # a whole short answer is said well within this; longer turns wait out the pause


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
    frames = int(FRAME * RATE)
    try:
        stream = sd.RawInputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=frames)
        stream.start()
    except Exception as exc:  # PortAudioError: busy, unplugged, no permission
        raise AudioError(f"the microphone could not be opened: {exc}") from None
    return stream


def drain(stream: Any) -> None:
    """Drop what the microphone picked up while the skill was speaking: it
    would otherwise hear its own voice as the user's answer."""
    waiting = stream.read_available
    if waiting > 0:
        stream.read(waiting)


def listen(
    stream: Any, rec: Recognizer, silence_timeout: float, complete: Callable[[Heard], bool] | None = None
) -> Heard | None:
    """One utterance from the stream, or None after ``silence_timeout`` seconds with no speech.

    Audio is fed to the recognizer while the user speaks, so little is left
    to do when they stop.  A recognizer that can look at the turn so far
    (``peek``) is asked at each short pause; if ``complete`` finds what it
    heard a whole answer, the turn ends there.
    """
    peek = getattr(rec, "peek", None) if complete is not None else None
    from pocketsphinx import Vad

    vad = Vad(Vad.LOOSE, RATE, FRAME)
    ep = Endpoint()
    fed = False
    while not ep.ended:
        frame = bytes(stream.read(vad.frame_bytes // 2)[0])
        audio = ep.push(frame, vad.is_speech(frame))
        if audio:
            if not fed:
                rec.start()
                fed = True
            rec.feed(audio)
            if peek is not None and complete is not None and ep.pausing and ep.spoken <= SHORT_TURN_S:
                heard = peek()
                if complete(heard):
                    rec.start()  # the turn is over: nothing of it is left for the next
                    return heard
        elif ep.waited > silence_timeout:
            return None
    return rec.finish()
