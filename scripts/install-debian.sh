#!/usr/bin/env bash
# Install the system packages Footprint needs on Debian (bookworm or later), only if missing.
#   scripts/install-debian.sh         make + python3 venv support (enough to run the dashboard)
#   scripts/install-debian.sh --test  also Debian's chromium, for the browser tests
# Python packages are installed by `make` into .venv from requirements*.txt.
set -euo pipefail
want=()
command -v make >/dev/null || want+=(make)
python3 -c 'import ensurepip, venv' 2>/dev/null || want+=(python3-venv)
if [ "${1:-}" = "--test" ]; then
  command -v chromium >/dev/null || want+=(chromium)
fi
[ ${#want[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${want[@]}"
