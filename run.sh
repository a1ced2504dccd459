#!/usr/bin/env bash
# The main job: set up (first time only), then start the voice check-in.
# Extra arguments go to `twitchcheck`, e.g. ./run.sh parse "my eye twitches"; options alone
# (./run.sh --no-journal) go to the check-in. Files it writes (a journal export) land where you are.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/scripts/setup.sh" run
if [ $# -eq 0 ] || [[ "$1" == -* && "$1" != "-h" && "$1" != "--help" ]]; then set -- talk "$@"; fi
exec "$here/.venv/bin/twitchcheck" "$@"
