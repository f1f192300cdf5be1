"""Build the JOB-monitor results site. See README.md, or run `python build.py --help`."""

import sys

from jobmonitor.cli import main

if __name__ == "__main__":
    sys.exit(main())
