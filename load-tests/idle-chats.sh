#!/usr/bin/env bash
# load-tests/idle-chats.sh [--count N] [--warm W] [--xmx SIZE] [--workers K] [--per-connection C] [--probe-xmx SIZE] [--no-bind] [--top T] [--idle S] [-Dipsmgw.key=value ...]
#
# What one idle chat costs in a node's heap (issue #13: 100,000 idle chats within 2 GiB). Starts
# the SMSC simulator and one node as run.sh does (embedded H2 in a temporary directory, every
# port a free 127.0.0.1 port, default-invitation ACCEPT), then runs IdleChatsProbe (node
# project, src/test/java/org/ipsmgw/load/): W warm-up chats, a class histogram of the node
# (jcmd GC.class_histogram, a full GC first), N more chats (INVITE/200/ACK, MSRP connected and
# bound, then silent), a second histogram; prints the live heap per chat, the extrapolation to
# 100k and the classes that grew most, per chat. Stops everything it started. Loopback only.
# Defaults: --count 2000 --warm 300 --xmx 2g --workers 8 --top 40. --no-bind: SIP only (no MSRP
# connection), to tell the media's share. --idle S: each histogram S seconds after its set-up, so
# entities that stop when idle (ipsmgw.subscriber.passivate-after, e.g. with
# -Dipsmgw.subscriber.passivate-after=5s) have; default 0. --per-connection C: up to C chats
# bound on one MSRP connection (RFC 4975 lets sessions share one, as a CPM server in front of many
# users does), so that counts past the open-files limit (one socket per connection in the node
# and in the probe) can run; default 1, a connection per chat. --probe-xmx: the probe's heap
# (it keeps every chat's SIP dialog), default 1g. Extra -D flags go to the node.
# Exit: 0 measured; 1 a failure; 2 bad usage.
set -euo pipefail

usage() {
  echo "usage: load-tests/idle-chats.sh [--count N] [--warm W] [--xmx SIZE] [--workers K]" \
    "[--per-connection C] [--probe-xmx SIZE] [--no-bind] [--top T] [--idle S]" \
    "[-Dipsmgw.key=value ...]" >&2
  exit 2
}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
count=2000
warm=300
xmx=2g
workers=8
per_connection=1
probe_xmx=1g
bind=yes
top=40
idle=0
node_extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --count) [ $# -ge 2 ] || usage; count="$2"; shift 2 ;;
    --warm) [ $# -ge 2 ] || usage; warm="$2"; shift 2 ;;
    --xmx) [ $# -ge 2 ] || usage; xmx="$2"; shift 2 ;;
    --workers) [ $# -ge 2 ] || usage; workers="$2"; shift 2 ;;
    --per-connection) [ $# -ge 2 ] || usage; per_connection="$2"; shift 2 ;;
    --probe-xmx) [ $# -ge 2 ] || usage; probe_xmx="$2"; shift 2 ;;
    --no-bind) bind=no; shift ;;
    --top) [ $# -ge 2 ] || usage; top="$2"; shift 2 ;;
    --idle) [ $# -ge 2 ] || usage; idle="$2"; shift 2 ;;
    -D*=*) node_extra+=("$1"); shift ;;
    *) echo "idle-chats.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$idle" =~ ^[0-9]+$ ]] && [ "$idle" -le 3600 ] || usage
[[ "$xmx" =~ ^[0-9]+[mMgG]$ ]] && [[ "$probe_xmx" =~ ^[0-9]+[mMgG]$ ]] || usage
for n in "$count" "$warm" "$workers" "$per_connection"; do
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 200000 ] || usage
done

work="$(mktemp -d "${TMPDIR:-/tmp}/ipsmgw-idle.XXXXXX")"
pids=()
stop_all() {
  local code=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$code" = 0 ]; then rm -rf "$work"; else rm -rf "$work/db"; echo "logs in $work" >&2; fi
  exit "$code"
}
trap stop_all EXIT
trap 'exit 1' INT TERM

# IDLE_JAR: another build of the node to measure (e.g. a copy of the jar before a change).
jar="${IDLE_JAR:-$root/target/ipsmgw.jar}"
build() {
  (cd "$root" && { [ -f "$jar" ] || mvn -B -q "$@" package -DskipTests; } \
    && mvn -B -q "$@" test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/idle-cp.txt -Dmdep.includeScope=test) >> "$work/build.log" 2>&1
}
# Offline first; a Maven repository without the dependency plugin yet (a fresh machine) gets
# it once, online.
build -o || { echo "idle-chats.sh: offline build failed; trying once with downloads"; build; } \
  || { tail -30 "$work/build.log"; echo "idle-chats.sh: build failed" >&2; exit 1; }
cp="$root/target/test-classes:$root/target/classes:$(cat "$root/target/idle-cp.txt")"

read -r smpp control sip msrp admin cluster <<< "$(java -cp "$cp" org.ipsmgw.load.IdleChatsProbe ports 6)"
java -Xmx256m -jar "$jar" smsc-sim --host 127.0.0.1 --port "$smpp" --control-port "$control" \
  < /dev/null > "$work/smsc-sim.log" 2>&1 &
pids+=($!)
IPSMGW_SIP_PORT="$sip" IPSMGW_MSRP_PORT="$msrp" IPSMGW_SMSC_HOST=127.0.0.1 \
IPSMGW_SMSC_PORT="$smpp" IPSMGW_ADMIN_PORT="$admin" IPSMGW_CLUSTER_HOST=127.0.0.1 \
IPSMGW_CLUSTER_PORT="$cluster" IPSMGW_DB_URL="jdbc:h2:file:$work/db/ipsmgw" \
  java -Xms512m -Xmx"$xmx" -XX:+UseG1GC -Dipsmgw.policy.default-invitation=ACCEPT \
  "${node_extra[@]}" -jar "$jar" node < /dev/null > "$work/node.log" 2>&1 &
node=$!
pids+=("$node")
ready=0
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$admin/ready" > /dev/null 2>&1; then ready=1; break; fi
  kill -0 "$node" 2>/dev/null || break
  sleep 0.5
done
[ "$ready" = 1 ] || { tail -30 "$work/node.log" >&2; echo "idle-chats.sh: node not ready" >&2; exit 1; }
echo "idle-chats.sh: node pid $node (-Xmx$xmx ${node_extra[*]}), sip $sip msrp $msrp," \
  "$warm warm-up + $count idle chats, up to $per_connection per MSRP connection"
ulimit -n 65536 2>/dev/null || true
java -Xss256k -Xmx"$probe_xmx" -cp "$cp" org.ipsmgw.load.IdleChatsProbe --sip-port "$sip" \
  --node-pid "$node" --count "$count" --warm "$warm" --workers "$workers" \
  --per-connection "$per_connection" \
  --bind "$bind" --top "$top" --idle "$idle"
