#!/usr/bin/env bash
# Builds Serval's base image, the one every service image is built on (issue 15): Debian bookworm
# (debootstrap --variant=minbase) plus a Java runtime made with jlink from the build's JDK 25, a
# non-root user 10001, no package manager caches, docs or man pages. Written as a docker-archive
# tarball (manifest.json, config, one layer) that Jib takes as its base (tar://...), and kept as a
# root file system directory the predictor's AOT cache is trained in (deploy/images/train-aot.sh).
#
# No container registry is reachable from the build machines, so no base image can be pulled: this
# one is made from Debian's packages. Reproducible as far as Debian's archive allows: the file
# times are clamped to SOURCE_DATE_EPOCH, the tar archives are sorted and owner-free, and the
# exact package versions are written beside the tarball (packages.txt) and inside the image
# (/var/lib/dpkg/status). Pin DEBIAN_MIRROR to a snapshot.debian.org date for byte-identical
# packages where that host is reachable.
#
# Cached: skipped when its inputs (this script, the JDK's release file, the module list, the
# mirror, the suite) have not changed since the tarball was written. --force rebuilds.
#
# Usage: deploy/images/base/build-base.sh [--force]   (root, or fakeroot-free sudo; needs debootstrap)
# Output: target/images/base/serval-base.tar, rootfs/, packages.txt, size.txt (under the repo root)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="${SERVAL_BASE_OUT:-$root/target/images/base}"
suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# 2026-12-01T00:00:00Z: every file time in the image is clamped to it
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1796083200}"
image_name="${SERVAL_BASE_NAME:-serval/base:bookworm-jdk25}"
uid=10001
# The modules the four services need: a tested list (ImagesIT runs each image; a missing module
# fails a service's start). Generous on purpose: java.desktop for java.beans (Jackson, JBoss
# logging), java.sql and java.transaction.xa for JDBC (the router's store), jdk.unsupported for
# Netty, protobuf and ONNX Runtime, jdk.management for Micrometer's process metrics, jdk.jfr for
# recordings, jdk.crypto.cryptoki and java.security.* for TLS.
modules="java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,\
java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,\
java.xml,jdk.crypto.cryptoki,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs,\
jdk.charsets"

# the build's JDK: the one ./mvnw picks (scripts/jdk.sh)
# (the images profile passes Maven's own java.home; by hand, scripts/jdk.sh finds it as ./mvnw does)
if [ -z "${SERVAL_JAVA_HOME:-}" ]; then
  # shellcheck source=../../../scripts/jdk.sh
  . "$root/scripts/jdk.sh"
  SERVAL_JAVA_HOME="$JAVA_HOME"
fi
jdk="$SERVAL_JAVA_HOME"
[ -x "$jdk/bin/jlink" ] || { echo "build-base: no JDK with jlink (set SERVAL_JAVA_HOME)" >&2; exit 1; }

inputs="$( { sha256sum <"$0"; cat "$jdk/release"; echo "$modules $mirror $suite $SOURCE_DATE_EPOCH $image_name"; } | sha256sum | cut -d' ' -f1)"
if [ "${1:-}" != "--force" ] && [ -f "$out/serval-base.tar" ] && [ "$(cat "$out/inputs.sha256" 2>/dev/null)" = "$inputs" ]; then
  echo "build-base: $out/serval-base.tar is up to date ($(cat "$out/size.txt"))"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "build-base: debootstrap missing (apt-get install debootstrap)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "build-base: debootstrap needs root" >&2; exit 1; }

t0=$(date +%s)
rm -rf "$out"
mkdir -p "$out"
rootfs="$out/rootfs"
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$out/debootstrap.log" 2>&1 \
  || { tail -20 "$out/debootstrap.log" >&2; exit 1; }
chroot "$rootfs" dpkg-query -W -f '${Package} ${Version} ${Architecture}\n' | sort >"$out/packages.txt"

# the service user: no login shell, no home it can write outside the declared volumes
chroot "$rootfs" groupadd --gid "$uid" serval
chroot "$rootfs" useradd --uid "$uid" --gid "$uid" --no-create-home --home-dir /nonexistent \
  --shell /usr/sbin/nologin serval

# what a runtime image does not need: caches, logs, docs, man pages, locales, apt's lists
rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
  "$rootfs"/usr/share/locale/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old \
  "$rootfs"/var/cache/ldconfig/aux-cache "$rootfs"/etc/*- "$rootfs"/tmp/* "$rootfs"/dev/*
: >"$rootfs/etc/machine-id"
rm -f "$rootfs/etc/hostname" "$rootfs/etc/resolv.conf"
chmod 1777 "$rootfs/tmp"

# the Java runtime: jlink from the build's JDK, without debug symbols, man pages or headers
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --generate-cds-archive --output "$rootfs/opt/java"
# the model cache and other volumes mount here (declared in the chart and by ImagesIT)
mkdir -p "$rootfs/var/cache/serval"

# file times: everything newer than SOURCE_DATE_EPOCH is clamped to it (in the directory too, as
# the predictor's AOT cache is trained in it and checks the times of the files it was made from)
find "$rootfs" -newermt "@$SOURCE_DATE_EPOCH" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

tar_det() { tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --clamp-mtime --owner=0 --group=0 --numeric-owner \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime "$@"; }
work="$out/archive"
mkdir -p "$work"
tar_det -C "$rootfs" -cf "$work/layer.tar" .
diff_id="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
created="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"$created","config":{"User":"$uid:$uid","Env":["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},"history":[{"created":"$created","created_by":"deploy/images/base/build-base.sh ($suite minbase, jlink $(grep JAVA_RUNTIME_VERSION "$jdk/release" | cut -d'"' -f2))"}]}
JSON
config_id="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
mkdir -p "$work/$diff_id"
mv "$work/layer.tar" "$work/$diff_id/layer.tar"
mv "$work/config.json" "$work/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$config_id" "$image_name" "$diff_id" >"$work/manifest.json"
# the members by name, without a leading ./ (Jib refuses a member "./" as outside its destination)
tar_det -C "$work" -cf "$out/serval-base.tar" manifest.json "$config_id.json" "$diff_id/layer.tar"
rm -rf "$work"

size="$(du -m "$out/serval-base.tar" | cut -f1) MiB tarball (uncompressed), rootfs $(du -sm "$rootfs" | cut -f1) MiB, Java runtime $(du -sm "$rootfs/opt/java" | cut -f1) MiB"
echo "$size" >"$out/size.txt"
echo "$inputs" >"$out/inputs.sha256"
echo "build-base: $out/serval-base.tar ($size, sha256 $(sha256sum "$out/serval-base.tar" | cut -c1-16)..., $(($(date +%s) - t0)) s)"
