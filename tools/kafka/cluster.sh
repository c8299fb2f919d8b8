#!/usr/bin/env bash
# Three KRaft nodes from the same jars as the single broker (npm run kafka -- cluster):
#   kafka.sh cluster [N]          start the three nodes (or node N only), wait until each answers
#   kafka.sh cluster-stop [N]     stop the three nodes (or node N only)
#   kafka.sh cluster-status       one line per node; exit 0 when all three answer
# Each node is a combined broker + controller (tools/kafka/kafka.sh with node settings): three JVMs, not six,
# on a developer machine, and losing any one node still leaves a controller quorum (2 of 3) and two in-sync
# replicas, enough for min.insync.replicas=2. Topics default to replication factor 3; the services need
# KAFKA_REPLICATION_FACTOR=3 and KAFKA_BROKERS set to the three addresses this prints.
# Ports: brokers KAFKA_CLUSTER_PORT, +1, +2 (default 29092); controllers the next three. Data: .kafka/cluster/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
base="${KAFKA_CLUSTER_PORT:-29092}"
home="${KAFKA_CLUSTER_DIR:-$root/.kafka/cluster}"
libs="${KAFKA_LIBS_DIR:-${KAFKA_HOME_DIR:-$root/.kafka}/libs}"
nodes=(1 2 3)
voters="1@127.0.0.1:$((base + 3)),2@127.0.0.1:$((base + 4)),3@127.0.0.1:$((base + 5))"
brokers="127.0.0.1:$base,127.0.0.1:$((base + 1)),127.0.0.1:$((base + 2))"

say() { echo "kafka cluster: $*" >&2; }

# Runs kafka.sh <command> as node $1 of the cluster.
node() {
  local n="$1"; shift
  KAFKA_HOME_DIR="$home/node-$n" KAFKA_LIBS_DIR="$libs" KAFKA_NODE_ID="$n" KAFKA_QUORUM_VOTERS="$voters" \
    KAFKA_CLUSTER_ID="$(cat "$home/cluster.id")" KAFKA_REPLICATION_FACTOR=3 \
    KAFKA_PORT=$((base + n - 1)) KAFKA_CONTROLLER_PORT=$((base + n + 2)) bash "$here/kafka.sh" "$@"
}

# Runs `node N command` for each given node at once; fails if any fails.
each() {
  local command="$1"; shift
  local pids=() n failed=0
  for n in "$@"; do node "$n" "$command" & pids+=($!); done
  for n in "${pids[@]}"; do wait "$n" || failed=1; done
  return $failed
}

start() {
  mkdir -p "$home"
  KAFKA_HOME_DIR="${KAFKA_HOME_DIR:-$root/.kafka}" KAFKA_LIBS_DIR="$libs" bash "$here/kafka.sh" provision
  # One cluster id for every node, chosen once (a UUID in Kafka's base64url form).
  [ -s "$home/cluster.id" ] || head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$home/cluster.id"
  # The nodes start together: a broker waits for a controller quorum, which needs two of the three.
  each start "$@" || { say "a node did not start; see $home/node-*/broker.log"; exit 1; }
  say "ready: KAFKA_BROKERS=$brokers KAFKA_REPLICATION_FACTOR=3"
}

stop() {
  [ -s "$home/cluster.id" ] || return 0
  each stop "$@"
}

status() {
  local n up=0
  for n in "${nodes[@]}"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$((base + n - 1))") 2>/dev/null; then up=$((up + 1)); echo "node $n 127.0.0.1:$((base + n - 1)) up"
    else echo "node $n 127.0.0.1:$((base + n - 1)) down"; fi
  done
  [ "$up" = 3 ]
}

command="$1"; shift
[ "$#" -gt 0 ] || set -- "${nodes[@]}"
for n in "$@"; do case "$n" in 1|2|3) ;; *) say "nodes are 1, 2 and 3, not $n"; exit 2 ;; esac; done
case "$command" in
  cluster) start "$@" ;;
  cluster-stop) stop "$@" ;;
  cluster-status) status ;;
esac
