"""What the sources say about the franchise that several test files check: its six works in story order."""

from __future__ import annotations

STORY_ORDER = [
    "wgd:the-continental",
    "wgd:john-wick",
    "wgd:john-wick-chapter-2",
    "wgd:parabellum",
    "wgd:ballerina",
    "wgd:john-wick-chapter-4",
]
"""The Continental is a prequel; Ballerina is set between Parabellum and Chapter 4."""
