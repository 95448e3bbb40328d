"""`python -m tribe_tui` and the `tribe-tui` console script."""

import os
import sys


def main() -> None:
    import gc

    # Start-up (imports, building the app) makes ~100,000 objects that live as long as the process;
    # collecting them again and again costs 10-30 ms before the TUI's first frame and ~10 ms of a
    # command (issue #6). The TUI turns collection back on after its first frame, with those
    # objects frozen out of it. A command ends within a second and makes next to no cyclic
    # garbage (its peak memory is the same either way: 257 MB for `licences list --json` of
    # 100,000 licences, 41 MB for their `billing run`), so it runs without; `demo --licences`
    # turns it on for creating rows.
    gc.disable()
    # tribe-tui uses no pydantic plugins; without this, validating the first input scans every
    # installed distribution's entry points for them (~10 ms of `licences add`, issue #6).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from tribe_tui.cli import run

    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
