"""The one way a file's size is written, on the screens and in the forms (issue 19)."""
from __future__ import annotations

__all__ = ["format_filesize"]


def format_filesize(size: int) -> str:
    """532バイト below 1KB; above, KB or MB to one decimal (1KB = 1,024 バイト) with the exact count
    of bytes, which a receipt is checked against: 12.3KB（12,629バイト）."""
    if size < 1024:
        return f"{size:,}バイト"
    if size < 1024 * 1024:
        return f"{size / 1024:,.1f}KB（{size:,}バイト）"
    return f"{size / (1024 * 1024):,.1f}MB（{size:,}バイト）"
