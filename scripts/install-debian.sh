#!/usr/bin/env bash
# Install the system packages Footprint needs on Debian (bookworm or later), only if missing.
#   scripts/install-debian.sh         make + python3 venv support (enough to run the dashboard)
#   scripts/install-debian.sh --serve also Debian's nginx, for `make serve` (replicas behind nginx)
#   scripts/install-debian.sh --test  also chromium and nginx, for the browser and replica tests,
#                                     and LibreOffice Impress, which opens the decks in a test
# Python packages are installed by `make` into .venv from requirements*.txt.
set -euo pipefail
want=()
command -v make >/dev/null || want+=(make)
python3 -c 'import ensurepip, venv' 2>/dev/null || want+=(python3-venv)
if [ "${1:-}" = "--test" ]; then
  command -v chromium >/dev/null || want+=(chromium)
  command -v soffice >/dev/null || want+=(libreoffice-impress)
fi
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--serve" ]; then
  # /usr/sbin may not be on a user's PATH; the package only provides the binary here (serve.py
  # runs it as the current user with its own configuration, not as the system service).
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || want+=(nginx)
fi
[ ${#want[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${want[@]}"
