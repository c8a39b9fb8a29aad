# Sourced by the launcher scripts and CI: sets JAVA_HOME to a JDK >= 21.
# The machine's default java may be older (17), so look for one ourselves.
# A JDK's major version from its release file (no JVM started: the CLI's start time counts every
# millisecond); from the JVM itself when the file is missing.
serval_java_major() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  fi
  echo "${v%%.*}"
}

serval_pick_jdk() {
  local candidates=()
  [ -n "${SERVAL_JAVA_HOME:-}" ] && candidates+=("$SERVAL_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/*25* /usr/lib/jvm/*21*)
  local home major
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    major=$(serval_java_major "$home")
    if [ "$major" -ge 21 ] 2>/dev/null; then
      echo "$home"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME=$(serval_pick_jdk); then
  echo "serval: no JDK 21 or newer found (looked at \$SERVAL_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm)." >&2
  echo "serval: install one (Temurin 25 is what Serval is tested on) and set SERVAL_JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# ONNX Runtime loads native code (JDK 22+ asks for consent); JBoss threads resets thread locals.
SERVAL_JVM_FLAGS="--enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED"
# protobuf and Netty still use sun.misc.Unsafe memory access, which JDK 24+ warns about on stderr
# (the option exists from JDK 23; older JDKs would refuse to start with it).
serval_jdk_major=$(serval_java_major "$JAVA_HOME")
if [ "$serval_jdk_major" -ge 23 ] 2>/dev/null; then
  SERVAL_JVM_FLAGS="$SERVAL_JVM_FLAGS --sun-misc-unsafe-memory-access=allow"
fi
