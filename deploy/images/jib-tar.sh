#!/usr/bin/env bash
# Jib's "docker" for the images profile: no daemon, the image is written as a tarball.
# Quarkus's Jib extension hands a built image (when not pushing) to a Docker CLI: `docker info` for
# the platform, then the image as a docker-archive tarball on the standard input of `docker load`.
# This stands in for that CLI (quarkus.jib.docker-executable-name) and writes the tarball to
# $SERVAL_IMAGE_TAR (quarkus.jib.docker-environment.SERVAL_IMAGE_TAR), for `podman load`,
# `skopeo copy docker-archive:...` or any registry push. Nothing else is supported.
set -euo pipefail
case "${1:-}" in
  info)
    echo '{"OSType":"linux","Architecture":"x86_64"}'
    ;;
  load)
    : "${SERVAL_IMAGE_TAR:?SERVAL_IMAGE_TAR is not set}"
    mkdir -p "$(dirname "$SERVAL_IMAGE_TAR")"
    cat >"$SERVAL_IMAGE_TAR.part"
    mv "$SERVAL_IMAGE_TAR.part" "$SERVAL_IMAGE_TAR"
    echo "Loaded image: written to $SERVAL_IMAGE_TAR"
    ;;
  *)
    echo "jib-tar.sh: '$*' is not supported (the images profile writes tarballs only)" >&2
    exit 1
    ;;
esac
