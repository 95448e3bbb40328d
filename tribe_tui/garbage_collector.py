"""The cyclic garbage collector during start-up, and after it.

Start-up (imports, building the app) makes ~100,000 objects that live as long as the process.
`tribe_tui.__main__` switches collection off while they are made; once the TUI has drawn its
first frame, `freeze()` moves everything alive out of the collector's full passes and switches
collection back on. Measured in interleaved rounds against the same build without it
(bench/RESULTS.md): the first frame is faster with it, and a full pass over those objects in the
middle of typing a filter is a visible stall. A command ends within a second and makes next to no
cyclic garbage, so it runs without collection; `demo --licences` switches it on to create rows.
"""

from __future__ import annotations

import gc


def freeze() -> None:
    """Leave everything alive now out of the cyclic GC's full passes; collect what is made later."""
    gc.freeze()
    gc.enable()
