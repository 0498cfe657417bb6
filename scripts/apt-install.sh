#!/usr/bin/env bash
# Install Debian packages that are missing (idempotent): scripts/apt-install.sh nginx wrk ...
# Uses sudo when not root; runs apt-get update only if the first install attempt fails.
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y -qq "${missing[@]}" \
  || { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}"; }
