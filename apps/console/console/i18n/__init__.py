"""The console's one catalogue of Chinese words: labels for code values, messages for errors."""

from .errors import ERROR_MESSAGES, FAMILIES, chinese_message, message_for
from .labels import LABELS, label

__all__ = ["ERROR_MESSAGES", "FAMILIES", "LABELS", "chinese_message", "label", "message_for"]
