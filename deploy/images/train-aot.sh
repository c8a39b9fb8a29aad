#!/usr/bin/env bash
# Trains the predictor image's AOT cache (JDK 25, JEP 483/514/515) in the image's own layout and
# writes the predictor's base image: Serval's base plus one layer with /opt/serval/app.aot, ONNX
# Runtime's native libraries (/opt/serval/onnxruntime-native, loaded in place instead of copied to
# /tmp at every start) and the example models (/opt/serval/models, MODEL_FILE's directory). Jib then builds the predictor image on it (predictor-service/pom.xml,
# profile images).
#
# A cache is only used by the same JVM, with the same class path at the same paths, with the same
# file sizes and times. So the training runs the packaged predictor in a container on the base's
# root file system (the image's jlink runtime at /opt/java), with the application laid out at
# /opt/serval as Jib lays it out (file times the epoch, as Jib writes them), serving the example
# model, and stops it after 20 inferences; the JVM writes the cache as it exits.
#
# Usage: train-aot.sh BASE_DIR QUARKUS_APP MODEL_FILE OUTPUT_TAR
#   BASE_DIR: build-base.sh's output (serval-base.tar, rootfs/)
set -euo pipefail
base="$(cd "$1" && pwd)" app="$2" model="$(realpath "$3")" out="$4"
here="$(cd "$(dirname "$0")" && pwd)"
podman="$here/podman.sh"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1796083200}"
# the JVM options of the image's entry point (predictor-service/pom.xml, quarkus.jib.jvm-entrypoint)
# without -XX:AOTCache: a cache trained under other options may be refused
# (comma-separated, the java executable first)
IFS=, read -r -a jvm_line <<<"${SERVAL_IMAGE_JVM_FLAGS:?the images profile sets SERVAL_IMAGE_JVM_FLAGS}"
java="${jvm_line[0]}"
jvm_flags=("${jvm_line[@]:1}")

[ -f "$base/serval-base.tar" ] && [ -d "$base/rootfs/opt/java" ] \
  || { echo "train-aot: no base image in $base (run deploy/images/base/build-base.sh)" >&2; exit 1; }
[ -f "$model" ] || { echo "train-aot: no model at $model" >&2; exit 1; }
t0=$(date +%s)
work="$(mktemp -d "${TMPDIR:-/tmp}/serval-aot.XXXXXX")"
name="serval-aot-train-$$"
cleanup() {
  "$podman" rm -f "$name" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

stage="$work/opt/serval"
mkdir -p "$stage"
cp -a "$app/lib" "$app/app" "$app/quarkus" "$app/quarkus-run.jar" "$stage/"
find "$stage" -exec touch -h -d @0 {} +
native="$work/native/opt/serval/onnxruntime-native"
mkdir -p "$native"
unzip -q -j -o "$stage"/lib/main/com.microsoft.onnxruntime.onnxruntime*.jar 'ai/onnxruntime/native/linux-x64/*' -d "$native"
chmod 0777 "$stage"   # the training JVM runs as the image's user (10001) and writes app.aot here

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
grpc=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$podman" run -d --name "$name" --read-only --tmpfs /tmp --user 10001:10001 \
  --network host -v "$stage:/opt/serval" -v "$native:/opt/serval/onnxruntime-native:ro" \
  -v "$(dirname "$model"):/models:ro" -w /opt/serval --rootfs "$base/rootfs" \
  "$java" "${jvm_flags[@]}" -XX:AOTCacheOutput=/opt/serval/app.aot \
  -Dserval.predictor.model.uri="file:///models/$(basename "$model")" -Dserval.predictor.model.name=training \
  -Dserval.predictor.model-fetch.file-roots=/models \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -Dquarkus.grpc.server.host=127.0.0.1 \
  -Dquarkus.grpc.server.port="$grpc" -jar /opt/serval/quarkus-run.jar >/dev/null

url="http://127.0.0.1:$port"
for _ in $(seq 1 1800); do
  curl -fsS -o /dev/null "$url/v2/health/ready" 2>/dev/null && break
  [ "$("$podman" inspect -f '{{.State.Running}}' "$name")" = true ] || break
  sleep 0.1
done
curl -fsS -o /dev/null "$url/v2/health/ready" || { "$podman" logs "$name" | tail -30 >&2; echo "train-aot: the predictor did not get ready" >&2; exit 1; }
body='{"inputs":[{"name":"input_ids","datatype":"INT64","shape":[1,8],"data":[101,7592,2088,2003,1037,3231,102,0]},{"name":"attention_mask","datatype":"INT64","shape":[1,8],"data":[1,1,1,1,1,1,1,0]},{"name":"token_type_ids","datatype":"INT64","shape":[1,8],"data":[0,0,0,0,0,0,0,0]}]}'
for _ in $(seq 1 20); do
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "$body" "$url/v2/models/training/infer"
done
for p in /v2/models/training /v2/health/live /q/metrics; do curl -sS -o /dev/null "$url$p"; done
# SIGTERM: a normal exit, at which the JVM writes the cache
"$podman" stop -t 120 "$name" >/dev/null
[ -f "$stage/app.aot" ] || { "$podman" logs "$name" | tail -30 >&2; echo "train-aot: no cache written" >&2; exit 1; }

# the predictor's base: Serval's base plus the layer with the cache and the native libraries
layer_root="$work/layer"
mkdir -p "$layer_root/opt/serval"
cp "$stage/app.aot" "$layer_root/opt/serval/app.aot"
cp -a "$native" "$layer_root/opt/serval/onnxruntime-native"
# the example models (MODEL's directory), as the chart's examples name them: file:models/... from
# the working directory /opt/serval
cp -a "$(dirname "$model")" "$layer_root/opt/serval/models"
chmod -R a+rX,go-w "$layer_root"
mkdir -p "$(dirname "$out")"
python3 "$here/add-layer.py" "$base/serval-base.tar" "$layer_root" "$out" \
  "deploy/images/train-aot.sh: AOT cache of the predictor and ONNX Runtime's native libraries"
echo "train-aot: $out (cache $(du -m "$stage/app.aot" | cut -f1) MiB, $(($(date +%s) - t0)) s)"
