#!/usr/bin/env bash
# Set up everything twitchcheck needs, idempotently: Debian packages (when
# missing), a local virtual environment in .venv, and the package itself.
# Usage: scripts/setup.sh [run|test]
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

# Debian packages needed. Running needs speech out (espeak-ng for pyttsx3,
# aplay to play it), PortAudio for the microphone and Speex's echo canceller
# to hear the user over its own voice; the tests also make
# speech with espeak-ng and flite.
wanted=(python3 python3-venv python3-pip espeak-ng libespeak-ng1 alsa-utils libportaudio2 libspeexdsp1)
[ "$mode" = test ] && wanted+=(flite)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${wanted[@]}"; do
    # A python found on PATH (pyenv, a container image) is as good as Debian's.
    case "$pkg" in
      python3) command -v python3 >/dev/null 2>&1 && continue ;;
      python3-venv) python3 -c 'import venv, ensurepip' >/dev/null 2>&1 && continue ;;
      python3-pip) python3 -m pip --version >/dev/null 2>&1 && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "twitchcheck setup: installing Debian packages: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    $sudo apt-get update >/dev/null
    $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

extras="."
[ "$mode" = test ] && extras=".[test]"
stamp=".venv/.installed-$mode-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -x .venv/bin/python ]; then
  echo "twitchcheck setup: creating .venv" >&2
  python3 -m venv .venv
fi
if [ ! -f "$stamp" ]; then
  echo "twitchcheck setup: installing twitchcheck into .venv ($mode)" >&2
  log=.venv/setup.log
  if ! .venv/bin/python -m pip install --disable-pip-version-check -e "$extras" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "twitchcheck setup: installing the Python packages failed; the whole log is in $log" >&2
    exit 1
  fi
  rm -f .venv/.installed-"$mode"-*
  touch "$stamp"
  # the vocabulary compiled once now and kept (intents/compiled.py), so the first check-in starts as
  # soon as later ones; if it cannot be kept, it is compiled at each start instead
  .venv/bin/twitchcheck parse "hello" >/dev/null 2>&1 || true
fi
