"""``python -m cossim <command>`` (also the console script ``cossim``).

Commands
--------
audit FILE
    How much of the cosine similarity of the embeddings in FILE is left free by their
    predictions (random diagonal rescalings D, docs/audit.md).
spectrum DATA [--rank K]
    The singular values of the interaction matrix in DATA (an own-data file or an interactions
    .npz), how many dimensions Eq. 2 keeps at each lambda, and the lambdas the rule of
    docs/own_data.md suggests.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command; returns the exit status."""
    from .auditing import cli as audit
    from .data import spectrum_report as spectrum

    parser = argparse.ArgumentParser(prog="cossim", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    audit.add_arguments(commands.add_parser(
        "audit", help="how arbitrary are the cosine similarities of my embeddings?",
        description="Draw random invertible diagonal D, keep the predictions P B^T fixed (P D, B D^-1) and "
                    "measure how far the cosine neighbourhoods move. See docs/audit.md.",
    ))
    spectrum.add_arguments(commands.add_parser(
        "spectrum", help="singular values of my data and the lambdas suggested for them",
        description="Print the singular values of X, how many dimensions Eq. 2 keeps at each lambda, and the "
                    "suggested model.eq1_lambda and model.eq2_lambda. See docs/own_data.md.",
    ))
    args = parser.parse_args(argv)
    return (spectrum.run if args.command == "spectrum" else audit.run)(args)


if __name__ == "__main__":
    sys.exit(main())
