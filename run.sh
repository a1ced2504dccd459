#!/usr/bin/env bash
# The main job: set up (first time only), then start the voice check-in.
# Extra arguments go to `twitchcheck`, e.g. ./run.sh parse "my eye twitches".
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh run
if [ $# -eq 0 ]; then set -- talk; fi
exec .venv/bin/twitchcheck "$@"
