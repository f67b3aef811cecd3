"""Bytes to text: BOMs first, then strict UTF-8, then charset detection. Never guess silently."""

from __future__ import annotations

import codecs

from ofsted_findings.errors import DecodeError, UnsupportedInput

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes."""
    if not data.strip():
        raise UnsupportedInput("empty file", stage="read")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise UnsupportedInput("binary data, not text", stage="decode")
    from charset_normalizer import from_bytes  # only for the rare file not in UTF-8 (~10 ms import)

    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("could not detect the text encoding", stage="decode")
    text = str(best)
    if _looks_binary(text):
        raise UnsupportedInput("binary data, not text", stage="decode")
    return text, best.encoding


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    odd = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or 0xE000 <= ord(c) < 0xF900)
    return odd > 0.05 * max(len(sample), 1)
