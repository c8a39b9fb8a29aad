#!/usr/bin/env bash
# Screenshots of the dashboard's panels' queries (deploy/monitoring/serval-dashboard.json) on Prometheus's
# own graph page, against a running local platform under a bounded load (docs/observability.md).
#
#   ./serval up --example                          # the platform, with the API minilm
#   scripts/observability-screenshots.sh           # writes docs/observability/*.png
#
# Starts a Prometheus (Debian's `prometheus`) on a free loopback port with a temporary configuration
# that scrapes the platform every 2s (replicas through the operator's /v1/scrape-targets) and its
# data in a temporary directory; sends REST and gRPC requests to the API for LOAD_SECONDS; shoots
# each panel's queries with headless Chromium; stops Prometheus by its PID.
#
# Environment: SERVAL_HOME (default ~/.serval), PORT_OFFSET (the platform's --port-offset, default
# 0), API (default minilm), REQUEST (a V2 JSON request for it, default
# deploy/examples/minilm-request.json), LOAD_SECONDS (default 150), OUT (default docs/observability).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="${SERVAL_HOME:-$HOME/.serval}"
offset="${PORT_OFFSET:-0}"
api="${API:-minilm}"
request="${REQUEST:-$root/deploy/examples/minilm-request.json}"
load_seconds="${LOAD_SECONDS:-150}"
out="${OUT:-$root/docs/observability}"
router=$((8080 + offset)) operator=$((8090 + offset)) autoscaler=$((8070 + offset))
for tool in prometheus chromium curl python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install prometheus chromium curl python3)" >&2; exit 1; }
done
curl -sf "localhost:$router/v2/health/ready" >/dev/null \
  || { echo "no platform answers on localhost:$router: run ./serval up --example first" >&2; exit 1; }

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 2s, scrape_timeout: 2s, evaluation_interval: 2s}
scrape_configs:
  - {job_name: serval-router, metrics_path: /q/metrics, static_configs: [{targets: ["127.0.0.1:$router"]}]}
  - {job_name: serval-operator, metrics_path: /q/metrics, static_configs: [{targets: ["127.0.0.1:$operator"]}]}
  - {job_name: serval-autoscaler, metrics_path: /q/metrics, static_configs: [{targets: ["127.0.0.1:$autoscaler"]}]}
  - job_name: serval-predictor
    metrics_path: /q/metrics
    honor_labels: true
    http_sd_configs:
      - url: http://127.0.0.1:$operator/v1/scrape-targets
        refresh_interval: 5s
        authorization: {type: Bearer, credentials_file: $home/state/read-token}
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$port" --log.level=warn >"$work/prometheus.log" 2>&1 &
prom_pid=$!
load_pids=()
cleanup() {
  for p in "${load_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  kill "$prom_pid" 2>/dev/null || true
  wait "$prom_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 60); do curl -sf "127.0.0.1:$port/-/ready" >/dev/null && break; sleep 1; done
echo "prometheus pid $prom_pid on 127.0.0.1:$port; load on $api for ${load_seconds}s"

# Bounded load: REST in batches of 200 requests, 8 at a time, and gRPC through `serval predict --grpc`
# (plus a few requests the model refuses, for a 4xx line), until LOAD_SECONDS have passed.
end=$((SECONDS + load_seconds))
(
  while [ $SECONDS -lt $end ]; do
    curl -s --no-progress-meter --parallel --parallel-max 8 -o /dev/null \
      -H 'content-type: application/json' -d @"$request" \
      "localhost:$router/v2/models/$api/infer?request=[1-200]" || true
  done
) &
load_pids+=($!)
(
  while [ $SECONDS -lt $end ]; do
    "$root/serval" predict "$api" --grpc --file "$request" >/dev/null 2>&1 || true
    # an input the model does not have: the replica refuses it (400 / INVALID_ARGUMENT)
    curl -s -o /dev/null -H 'content-type: application/json' \
      -d '{"inputs":[{"name":"nope","datatype":"INT64","shape":[1,1],"data":[1]}]}' \
      "localhost:$router/v2/models/$api/infer" || true
  done
) &
load_pids+=($!)
wait "${load_pids[@]}" || true
load_pids=()

mkdir -p "$out"
# The dashboard's panels, variables substituted (API = $api, every revision, 30s rate windows): one
# picture per panel, its queries one under the other (g0, g1, ... on Prometheus's graph page).
python3 - "$root/deploy/monitoring/serval-dashboard.json" "$api" >"$work/panels.tsv" <<'PY'
import json, re, sys, urllib.parse
dash = json.load(open(sys.argv[1]))
for p in dash["panels"]:
    targets = p.get("targets", [])
    if not targets:
        continue
    params = []
    for i, t in enumerate(targets):
        expr = (t["expr"].replace("$__rate_interval", "30s")
                .replace("$api", sys.argv[2]).replace("$revision", ".*"))
        params.append("g%d.expr=%s&g%d.tab=0&g%d.range_input=5m" % (i, urllib.parse.quote(expr), i, i))
    name = re.sub(r"[^a-z0-9]+", "-", p["title"].lower()).strip("-")
    print("%s\t%d\t%s" % (name, len(targets), "&".join(params)))
PY
while IFS=$'\t' read -r name count query; do
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=20000 \
    --window-size=1400,$((260 + 700 * count)) --screenshot="$out/$name.png" \
    "http://127.0.0.1:$port/graph?$query" >/dev/null 2>&1
  echo "  $out/$name.png ($count queries)"
done <"$work/panels.tsv"
