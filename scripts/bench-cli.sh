#!/usr/bin/env bash
# The CLI's start time against a running platform, beside curl fetching the same management
# endpoint (the floor: a process that only does the HTTP call). Prints hyperfine's table and the
# ratios, and writes the table to $OUT (default target/bench-cli.md).
#
#   scripts/bench-cli.sh                 # the platform of $SERVAL_HOME (default ~/.serval) if up,
#                                        # else one started here (serval up --port-offset 3000)
#   RUNS=30 OFFSET=4000 scripts/bench-cli.sh
#
# Needs hyperfine and curl. Results and the machine go in docs/benchmarks.md ("CLI start").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-20}"
out="${OUT:-$root/target/bench-cli.md}"
command -v hyperfine >/dev/null || { echo "bench-cli: hyperfine is not installed" >&2; exit 1; }
mkdir -p "$(dirname "$out")"

export SERVAL_HOME="${SERVAL_HOME:-$HOME/.serval}"
started=""
if ! "$root/serval" get >/dev/null 2>&1; then
  export SERVAL_HOME
  SERVAL_HOME="$(mktemp -d -t serval-bench-cli.XXXXXX)"
  echo "bench-cli: no platform in reach; starting one in $SERVAL_HOME" >&2
  "$root/serval" up --port-offset "${OFFSET:-3000}" >&2
  started=yes
fi
cleanup() {
  if [ -n "$started" ]; then
    "$root/serval" down >/dev/null 2>&1 || true
    rm -rf "$SERVAL_HOME"
  fi
}
trap cleanup EXIT

# the operator's address and token, as serval itself finds them
operator=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["ports"]; print("http://127.0.0.1:%d" % p["operatorHttp"])' "$SERVAL_HOME/platform.json" 2>/dev/null || echo "${SERVAL_URL:-http://127.0.0.1:8090}")
token="${SERVAL_TOKEN:-$(cat "$SERVAL_HOME/state/token")}"
header="$(mktemp)"
printf 'Authorization: Bearer %s\n' "$token" > "$header"
json="$(mktemp)"
trap 'cleanup; rm -f "$header" "$json"' EXIT

echo "bench-cli: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $("$root/serval" --version), operator $operator" >&2
hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$out" --export-json "$json" \
  -n "serval --help" "$root/serval --help" \
  -n "serval get" "$root/serval get" \
  -n "serval version" "$root/serval version" \
  -n "curl GET /v1/apis" "curl -s -o /dev/null -H @$header $operator/v1/apis"

python3 - "$json" <<'PY'
import json, statistics, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
floor = statistics.median(results["curl GET /v1/apis"]["times"])
for name, r in results.items():
    p50 = statistics.median(r["times"])
    print(f"{name:20s} p50 {p50 * 1000:7.1f} ms   user {r['user'] * 1000:6.1f} ms   {p50 / floor:5.1f}x curl")
PY
echo "bench-cli: table in $out" >&2
