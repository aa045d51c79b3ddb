"""Command line: ``python -m ssup.data generate --seed 2026 --out data``.

``generate`` writes the complete data set (every registered table plus README.md) for one seed.
The committed ``data/`` folder is ``--seed 2026``; give a cohort its own variant with another seed and
point ``SSUP_DATA_DIR`` at the folder.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ssup.config import data_dir


def main(argv: list[str] | None = None) -> int:
    from ssup.data.generate import DEFAULT_SEED, generate

    parser = argparse.ArgumentParser(prog="python -m ssup.data", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write the complete data set for one seed")
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    gen.add_argument("--out", type=Path, default=None, help="output folder (default: the data folder, "
                                                             f"currently {data_dir()})")
    gen.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)

    if args.command == "generate":
        out = args.out if args.out is not None else data_dir()
        started = time.perf_counter()
        frames = generate(out, seed=args.seed)
        elapsed = time.perf_counter() - started
        if not args.quiet:
            for name, frame in frames.items():
                print(f"{name + '.csv':<24} {len(frame):>7,} rows")
            print(f"{'README.md':<24}")
            print(f"seed {args.seed} -> {Path(out)} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
