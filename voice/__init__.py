"""The voice skill's edges: the conversation loop and the command line (audio to follow)."""
