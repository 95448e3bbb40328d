"""`python -m tribe_tui` and the `tribe-tui` console script."""

import sys


def main() -> None:
    from tribe_tui.cli import run

    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
