#!/bin/sh
# The image's entrypoint: sets the container defaults of the node's addresses (node-env.sh),
# builds the java command line and execs it, so the JVM is the container's main process and gets
# SIGTERM itself: a graceful leave (SIP drain, SMPP settle, shard hand-off, cluster leave), exit 0.
# A node downed by the split-brain resolver exits 1 and the engine restarts it.
#
#   entrypoint.sh [node] [node options]    a node (default); NODE_CONFIG adds --config FILE
#   entrypoint.sh smsc-sim|cpm-client|demo [options]   the jar's tools, e.g. the SMSC simulator
#
# Environment read here (every IPSMGW_* variable goes to the node, which refuses unknown ones):
#   JAVA_MAX_RAM_PERCENTAGE  heap ceiling as a share of the container's memory limit (75)
#   JAVA_OPTS                further JVM options, split at spaces ("")
#   NODE_CONFIG              the node's overlay file (--config), e.g. a mounted ConfigMap ("")
#   POD_IP                   this container's address, else `hostname -i` (see node-env.sh)
set -eu

here=$(dirname "$0")
. "$here/node-env.sh"

: "${JAVA_MAX_RAM_PERCENTAGE:=75}"
: "${JAVA_OPTS:=}"
: "${NODE_CONFIG:=}"

case "${1:-node}" in
  smsc-sim|cpm-client|demo)
    ;;
  node|-*)
    [ "${1:-}" = node ] && shift
    ipsmgw_env_defaults
    if [ -n "$NODE_CONFIG" ]; then
      set -- node --config "$NODE_CONFIG" "$@"
    else
      set -- node "$@"
    fi
    ;;
  *)
    echo "ipsmgw-entrypoint: unknown command '$1' (node, smsc-sim, cpm-client or demo)" >&2
    exit 2
    ;;
esac

# JAVA_OPTS is a list of options: split at spaces, never glob-expanded.
set -f
# -XX:MaxRAMPercentage sizes the heap from the container's memory limit (the JVM reads the
# cgroup), not the host's memory; ExitOnOutOfMemoryError lets the engine restart a node rather
# than keep a broken one.
exec java -XX:MaxRAMPercentage="$JAVA_MAX_RAM_PERCENTAGE" -XX:+ExitOnOutOfMemoryError \
  $JAVA_OPTS -jar /opt/ipsmgw/ipsmgw.jar "$@"
