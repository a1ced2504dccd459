"""pocketsphinx, the light fallback recognizer, with what it needs: the
template grammar, the free-phone verifier, the denoiser and the noise gate."""

from .recognizer import PocketsphinxRecognizer, SphinxTuning

__all__ = ["PocketsphinxRecognizer", "SphinxTuning"]
