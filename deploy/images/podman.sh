#!/usr/bin/env bash
# podman as it runs on the project's machines (docs/images.md): runc and cgroupfs, and no default
# ulimits (raising RLIMIT_NOFILE is not permitted here). Writes its containers.conf once.
set -euo pipefail
conf="${SERVAL_CONTAINERS_CONF:-${TMPDIR:-/tmp}/serval-containers.conf}"
if [ ! -f "$conf" ]; then
  printf '[containers]\ndefault_ulimits = []\n' >"$conf.$$"
  mv "$conf.$$" "$conf"
fi
CONTAINERS_CONF="$conf" exec podman --runtime runc --cgroup-manager cgroupfs "$@"
