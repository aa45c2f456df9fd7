"""Text that real titles and names carry and that a careless parser mangles."""

from __future__ import annotations

# CJK, Arabic and Hebrew (right to left, with a right-to-left mark), Devanagari, Thai,
# Cyrillic, Greek, an emoji ZWJ sequence with a skin tone, a flag, combining marks, and a
# NUL: JSON may carry \u0000 and DuckDB keeps it, so every source loads it as sent.
EVERY_SCRIPT = (
    "設計レビュー 回顧 검토 · مراجعة التصميم \u200f· סקירת עיצוב · डिज़ाइन समीक्षा · ทบทวนการออกแบบ · "
    "Обзор · Ανασκόπηση · 👩🏽‍💻🚀🇧🇷 · Zalgo e\u0301\u0302\u0323 n\u0303 · nul\u0000byte"
)


def huge_title(prefix: str = "Huge title ") -> str:
    """A million characters (about 1.4 MB as UTF-8), multi-byte ones included, with a recognisable start."""
    return prefix + ("Ünïcödé 設計 " * 100_000)[: 1_000_000 - len(prefix)]
