"""`python -m memray`, as src/memray/__main__.py: sys.exit(main()), so a SystemExit raised by the
profiled program (memray runs it in-process with runpy) reaches the interpreter unchanged."""
import sys

from memray.commands import main

if __name__ == "__main__":
    sys.exit(main())
