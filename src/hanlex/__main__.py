"""`python -m hanlex ...` runs the command line, as `hanlex ...` does."""
import sys

from .cli import main

sys.exit(main())
