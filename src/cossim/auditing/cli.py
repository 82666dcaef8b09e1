"""``python -m cossim audit FILE`` (or ``cossim audit FILE``): the audit from the command line.

Prints the human report to stdout, writes ``--json`` (every summary number, for scripts) and
``--plot`` (a PNG). A file that cannot be read is refused with exit status 2 and a message that
names the file and what was expected.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .files import EmbeddingFileError, load_embeddings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``cossim audit``."""
    parser.add_argument("file", type=Path,
                        help=".npz (item embeddings under items, item_embeddings, B or Q; optional user "
                             "embeddings under users, user_embeddings or P), .npy or .csv (item embeddings, "
                             "one row each)")
    parser.add_argument("--users", type=Path, default=None, help=".npy or .csv of user embeddings, one row each")
    parser.add_argument("--items-key", default=None, help="key of the item embeddings in the .npz")
    parser.add_argument("--users-key", default=None, help="key of the user embeddings in the .npz")
    parser.add_argument("--draws", type=int, default=20, help="number of random D (default 20)")
    parser.add_argument("--log-sd", type=float, default=1.0,
                        help="standard deviation of log d_i of the random D (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random D and samples (default 0)")
    parser.add_argument("--neighbours", type=int, default=10, help="k of the top-k neighbourhoods (default 10)")
    parser.add_argument("--queries", type=int, default=100,
                        help="query items (and users) sampled for the neighbourhoods (default 100)")
    parser.add_argument("--pairs", type=int, default=20_000,
                        help="pairs sampled for the rank correlation (default 20000)")
    parser.add_argument("--json", type=Path, default=None, help="write the summary numbers to this JSON file")
    parser.add_argument("--plot", type=Path, default=None, help="write the figure to this PNG file")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def run(args: argparse.Namespace) -> int:
    """Run the audit for parsed arguments; 0 on success, 2 for a bad file or option."""
    from .core import audit

    try:
        items, users = load_embeddings(args.file, args.users, args.items_key, args.users_key)
        result = audit(items, users, draws=args.draws, log_sd=args.log_sd, seed=args.seed,
                       neighbours=args.neighbours, queries=args.queries, pairs=args.pairs,
                       progress=not args.no_progress)
    except (EmbeddingFileError, ValueError) as error:
        print(f"cossim audit: error: {error}", file=sys.stderr)
        return 2
    print(f"{args.file}:")
    print(result.summary())
    if args.json is not None:
        from ..io import save_json

        save_json(args.json, {"file": str(args.file), **result.to_dict()})
        print(f"\nwrote {args.json}")
    if args.plot is not None:
        from .plot import save_audit_plot

        save_audit_plot(result, args.plot)
        print(f"wrote {args.plot}")
    return 0 if result.predictions.invariant else 1
