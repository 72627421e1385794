#!/usr/bin/env bash
# Installs what figures 4 and 7 of `npm run bench` compare against: Debian's LTTng (lttng-tools, the session daemon
# and the `lttng` command; liblttng-ust-dev, the C tracer's headers and library) and babeltrace2 (the CTF reader).
# Idempotent: does nothing when every package is already installed. Uses sudo when not run as root.
# Run: bash bench/scripts/install-lttng.sh
set -euo pipefail

PACKAGES=(lttng-tools liblttng-ust-dev babeltrace2 gcc)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-lttng: already installed: ${PACKAGES[*]}"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-lttng: apt-get not found (not a Debian-like system); cannot install ${missing[*]}" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
    echo "install-lttng: not root and no sudo; cannot install ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-lttng: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-lttng: done"
