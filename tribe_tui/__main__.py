"""`python -m tribe_tui` and the `tribe-tui` console script."""

import gc
import sys


def main() -> None:
    if sys.argv[1:3] == ["ssh", "authorized-keys"]:
        # sshd's AuthorizedKeysCommand, once per offered key: straight to a small module that
        # loads no CLI, ORM or UI (tribe_tui.authorized_keys).
        from tribe_tui.authorized_keys import main as authorized_keys

        sys.exit(authorized_keys(sys.argv[3:]))
    gc.disable()  # until the TUI's first frame, or for the whole of a command (see tribe_tui.garbage_collector)
    from tribe_tui.cli import run

    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
