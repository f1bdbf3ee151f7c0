"""Chinese in matplotlib under the family names analysts type.

Debian's fonts-noto-cjk ships one collection (.ttc) per style holding the
JP, KR, SC, TC and HK faces of Noto Sans CJK; matplotlib reads only a
collection's first face and files it as "Noto Sans CJK JP", so "Noto Sans
CJK SC" -- the usual name for Simplified Chinese -- is not found and Chinese
is drawn as boxes.  Every face of the collection holds every CJK ideograph,
so the other regions' names can be the same file.
"""
from __future__ import annotations

import copy
import glob
import os
import re
from typing import Any, List

_REGIONS = ("SC", "TC", "HK", "JP", "KR")
# Noto's families and Adobe's names for the same fonts (Source Han)
_FAMILY = re.compile(r"^(Noto (?:Sans|Serif) CJK|Source Han (?:Sans|Serif)) "
                     r"(SC|TC|HK|JP|KR|K)$")
_PLACES = ("/usr/share/fonts", "/usr/local/share/fonts",
           "~/.local/share/fonts", "~/.fonts")


def _collections() -> List[str]:
    """The CJK font files on this machine (fonts-noto-cjk and the like)."""
    found: List[str] = []
    for place in _PLACES:
        root = os.path.expanduser(place)
        for pattern in ("**/Noto*CJK*.tt[cf]", "**/Noto*CJK*.otf",
                        "**/SourceHan*.tt[cf]", "**/SourceHan*.otf"):
            found += glob.glob(os.path.join(root, pattern), recursive=True)
    return sorted(set(found))


def cjk_fonts(manager: Any = None) -> List[str]:
    """Makes matplotlib draw Chinese under the usual family names -- "Noto
    Sans CJK SC" (and TC, HK, JP, KR; Serif; Source Han Sans SC ...): the
    CJK fonts on this machine are registered, also when matplotlib's font
    cache was made before they were installed, and each family gets its
    other regions' names.  Returns the CJK family names matplotlib now
    knows, sorted ([] without CJK fonts)."""
    if manager is None:
        from matplotlib import font_manager  # type: ignore[import]
        manager = font_manager.fontManager
    known = {entry.fname for entry in manager.ttflist}
    for path in _collections():
        if path not in known:
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue  # a broken or unreadable file: the others still count
    # a region's own face, where matplotlib has one, is not shadowed; a
    # second call finds the names there and adds nothing
    names = {e.name for e in manager.ttflist}
    for entry in list(manager.ttflist):
        m = _FAMILY.match(entry.name)
        if m is None:
            continue
        for name in (f"{m.group(1)} {region}" for region in _REGIONS):
            if name not in names:
                alias = copy.copy(entry)
                alias.name = name
                manager.ttflist.append(alias)
    manager._findfont_cached.cache_clear()
    return sorted({e.name for e in manager.ttflist if _FAMILY.match(e.name)})
