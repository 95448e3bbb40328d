"""`python -m tribe_tui` and the `tribe-tui` console script."""

import sys


def main() -> None:
    import gc

    # Start-up (imports, building the app) makes ~100,000 objects that live as long as the process;
    # collecting them again and again costs 10-30 ms before the first frame (issue #6). The TUI
    # turns collection back on after its first frame, with those objects frozen out of it; other
    # commands turn it back on before they start their work (cli.run).
    gc.disable()
    from tribe_tui.cli import run

    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
