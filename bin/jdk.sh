# Sourced by bin/run-local, bin/benchmark and .ci/run: exports JAVA_HOME as a JDK 21+, keeping
# the caller's JAVA_HOME when it is one, else the newest under /usr/lib/jvm.
java_major() { "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]; exit}'; }

if [ -z "${JAVA_HOME:-}" ] || ! [ "$(java_major "$JAVA_HOME" 2>/dev/null)" -ge 21 ] 2>/dev/null; then
  JAVA_HOME=""
  for candidate in $(ls -d /usr/lib/jvm/*/ /Library/Java/JavaVirtualMachines/*/Contents/Home/ 2>/dev/null | sort -V -r); do
    candidate="${candidate%/}"
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 21 ]; then
      JAVA_HOME="$candidate"
      break
    fi
  done
fi
if [ -z "$JAVA_HOME" ]; then
  echo "No JDK 21+ found: set JAVA_HOME to one" >&2
  exit 1
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
export AXONIQ_UPDATE_CHECKER_DISABLED=true
