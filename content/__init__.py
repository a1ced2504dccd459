"""twitchcheck's content: data files, and the loader that validates them."""

from .loader import Content, ContentError, Topic, default_directory, load_content

__all__ = ["Content", "ContentError", "Topic", "default_directory", "load_content"]
