"""`python -m tribe_tui` and the `tribe-tui` console script."""

import gc
import sys


def main() -> None:
    gc.disable()  # until the TUI's first frame, or for the whole of a command (see tribe_tui.heap)
    from tribe_tui.cli import run

    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
