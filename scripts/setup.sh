#!/usr/bin/env bash
# Installs what building and testing need, and only what is missing:
# Debian packages, then the test Python in .venv. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  cmake ninja-build ccache g++ pkg-config
  libboost-dev libboost-filesystem-dev libabsl-dev libprotobuf-dev protobuf-compiler
  libonnx-dev libspdlog-dev libgtest-dev libbenchmark-dev
  ocl-icd-opencl-dev opencl-headers pocl-opencl-icd
  python3-torch python3-torchvision python3-numpy python3-venv
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$pkg")
done

if ((${#missing[@]})); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  echo "setup: installing ${missing[*]}"
  # Refresh the package lists only when they are empty or the install fails.
  if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
    "${sudo[@]}" apt-get update
  fi
  if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
    "${sudo[@]}" apt-get update
    "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

# The venv is rebuilt only when tests/requirements.txt changed since.
REQS=tests/requirements.txt
STAMP=.venv/.requirements.sha256
want=$(sha256sum "$REQS" | cut -d' ' -f1)
if [[ ! -x .venv/bin/python || ! -f $STAMP || $(cat "$STAMP") != "$want" ]]; then
  echo "setup: creating .venv from $REQS"
  python3 -m venv .venv
  .venv/bin/python -m pip install --disable-pip-version-check -q -r "$REQS"
  echo "$want" >"$STAMP"
fi
echo "setup: done"
