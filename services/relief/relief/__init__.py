"""The relief service: Relief: hardship files, cards, grants."""
