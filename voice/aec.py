"""Acoustic echo cancellation: the skill's own reply taken out of what the microphone hears.

Speex's echo canceller (libspeexdsp, Debian's libspeexdsp1) learns the path from the speaker to the
microphone and subtracts the reply from the microphone's signal, so that someone speaking over a
reply is heard without it.  This module is only the binding: frames in, frames out.  Without the
library the canceller is off and the echo is told apart by its sound and words alone (voice/echo.py,
voice/mic.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass

import numpy as np

SET_SAMPLING_RATE = 24  # SPEEX_ECHO_SET_SAMPLING_RATE in speex_echo.h
TAIL_S = 0.25  # the longest echo path learnt: speaker buffering plus a bedroom's reflections


def _library() -> ctypes.CDLL | None:
    for name in (ctypes.util.find_library("speexdsp"), "libspeexdsp.so.1"):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        lib.speex_echo_state_init.restype = ctypes.c_void_p
        lib.speex_echo_state_init.argtypes = [ctypes.c_int, ctypes.c_int]
        lib.speex_echo_state_destroy.argtypes = [ctypes.c_void_p]
        lib.speex_echo_ctl.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
        pcm = np.ctypeslib.ndpointer(dtype=np.int16, flags="C_CONTIGUOUS")
        lib.speex_echo_cancellation.argtypes = [ctypes.c_void_p, pcm, pcm, pcm]
        return lib
    return None


_LIB = _library()


def available() -> bool:
    return _LIB is not None


@dataclass
class EchoCanceller:
    """One echo canceller for a conversation: it stays trained on the room from reply to reply."""

    frame: int  # samples per frame, as the microphone delivers them
    rate: int = 16000

    def __post_init__(self) -> None:
        if _LIB is None:
            raise RuntimeError("libspeexdsp is not installed (Debian: libspeexdsp1)")
        self._state = _LIB.speex_echo_state_init(self.frame, int(TAIL_S * self.rate))
        rate = ctypes.c_int(self.rate)
        _LIB.speex_echo_ctl(self._state, SET_SAMPLING_RATE, ctypes.byref(rate))

    def cancel(self, heard: bytes, playing: np.ndarray) -> bytes:
        """One frame of the microphone with ``playing`` (the same moment of the reply) taken out."""
        mic = np.frombuffer(heard, dtype="<i2").astype(np.int16)
        ref = np.ascontiguousarray(playing, dtype=np.int16)
        if mic.size != self.frame or ref.size != self.frame:
            return heard
        out = np.empty(self.frame, dtype=np.int16)
        assert _LIB is not None
        _LIB.speex_echo_cancellation(self._state, np.ascontiguousarray(mic), ref, out)
        return out.astype("<i2").tobytes()

    def close(self) -> None:
        if self._state and _LIB is not None:
            _LIB.speex_echo_state_destroy(self._state)
            self._state = None

    def __del__(self) -> None:
        self.close()
