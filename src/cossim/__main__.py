"""``python -m cossim <command>`` (also the console script ``cossim``).

Commands
--------
audit FILE
    How much of the cosine similarity of the embeddings in FILE is left free by their
    predictions (random diagonal rescalings D, docs/audit.md).
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command; returns the exit status."""
    from .auditing.cli import add_arguments, run

    parser = argparse.ArgumentParser(prog="cossim", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add_arguments(commands.add_parser(
        "audit", help="how arbitrary are the cosine similarities of my embeddings?",
        description="Draw random invertible diagonal D, keep the predictions P B^T fixed (P D, B D^-1) and "
                    "measure how far the cosine neighbourhoods move. See docs/audit.md.",
    ))
    args = parser.parse_args(argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
