#!/usr/bin/env bash
# Provisions and runs a real Apache Kafka (KRaft) node from Maven Central's jars.
#   kafka.sh provision     download the broker's jars (cached in ~/.m2) into .kafka/libs
#   kafka.sh start         provision, format once, start in the background, wait until it answers
#   kafka.sh stop          stop the broker this script started
#   kafka.sh status        exit 0 when the broker port answers
#   kafka.sh reset         stop and delete the broker's data
#   kafka.sh wait          return once no start or stop of this script is in progress
#   kafka.sh cluster ...   three brokers instead of one (tools/kafka/cluster.sh: cluster, cluster-stop, cluster-status)
# One node by default. tools/kafka/cluster.sh runs this script once per cluster node, setting KAFKA_NODE_ID,
# KAFKA_QUORUM_VOTERS, KAFKA_CLUSTER_ID, KAFKA_LIBS_DIR and KAFKA_REPLICATION_FACTOR.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
case "${1:-}" in cluster|cluster-stop|cluster-status) exec bash "$here/cluster.sh" "$@" ;; esac
home="${KAFKA_HOME_DIR:-$root/.kafka}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
node_id="${KAFKA_NODE_ID:-1}"
voters="${KAFKA_QUORUM_VOTERS:-$node_id@127.0.0.1:$controller_port}"
replication="${KAFKA_REPLICATION_FACTOR:-1}"
# With three replicas an acknowledged write is on two of them: one broker may die without losing it.
min_isr=$([ "$replication" -ge 3 ] && echo 2 || echo 1)
libs="${KAFKA_LIBS_DIR:-$home/libs}"
data="$home/data"
pidfile="$home/broker.pid"
lockfile="$home/broker.lock"
log="$home/broker.log"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"

say() { echo "kafka: $*" >&2; }

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

# start, stop and reset run one at a time per home: `npm start` right after Ctrl-C must not start a broker
# while the previous one is still shutting down (its data folder is locked) nor have that stop delete the new
# broker's pid file. The lock is released when this script exits; the broker itself never holds it (9>&-).
exclusive() {
  mkdir -p "$home"
  exec 9>"$lockfile"
  flock -w 120 9 || { say "another kafka.sh start/stop on $home has not finished within 120 s"; exit 1; }
}

provision() {
  if [ -f "$libs/.version" ] && [ "$(cat "$libs/.version")" = "$version" ]; then return 0; fi
  command -v mvn >/dev/null || { say "Maven (mvn) is needed to fetch the broker; install it (apt-get install maven)"; exit 1; }
  say "fetching Apache Kafka $version from Maven Central (cached in ~/.m2)"
  rm -rf "$libs" && mkdir -p "$libs"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" >"$home/mvn.log" 2>&1 \
    || { say "mvn failed, see $home/mvn.log"; tail -5 "$home/mvn.log" >&2; exit 1; }
  echo "$version" >"$libs/.version"
}

configure() {
  mkdir -p "$data"
  sed -e "s|@DATA@|$data|" -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$controller_port|g" \
    -e "s|@NODE_ID@|$node_id|g" -e "s|@VOTERS@|$voters|g" -e "s|@REPLICATION@|$replication|g" -e "s|@MIN_ISR@|$min_isr|g" \
    "$here/server.properties.template" >"$home/server.properties"
  if [ ! -f "$data/meta.properties" ]; then
    local id="${KAFKA_CLUSTER_ID:-}"
    [ -n "$id" ] || id="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    java -Dlog4j2.configurationFile="$here/log4j2.properties" -cp "$libs/*" kafka.tools.StorageTool format \
      -t "$id" -c "$home/server.properties" --ignore-formatted >"$home/format.log" 2>&1 \
      || { say "format failed, see $home/format.log"; exit 1; }
  fi
}

start() {
  exclusive
  if answers; then say "a broker already answers on 127.0.0.1:$port"; return 0; fi
  provision
  configure
  say "starting Kafka $version node $node_id on 127.0.0.1:$port (log $log)"
  # setsid: the broker outlives this script; npm start / .ci/run stop it with `kafka.sh stop`.
  # KAFKA_JVM_OPTS: more JVM flags (the restart test's -XX:TieredStopAtLevel=1 starts the JVM sooner).
  # shellcheck disable=SC2086
  setsid java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent ${KAFKA_JVM_OPTS:-} \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$here/log4j2.properties" \
    -cp "$libs/*" kafka.Kafka "$home/server.properties" >"$log" 2>&1 </dev/null 9>&- &
  local pid=$!
  echo "$pid" >"$pidfile"
  for _ in $(seq 1 240); do
    if grep -q "Kafka Server started" "$log" 2>/dev/null; then
      answers && { say "ready"; return 0; }
    fi
    kill -0 "$pid" 2>/dev/null || { say "the broker exited; last lines of $log:"; tail -20 "$log" >&2; exit 1; }
    sleep 0.25
  done
  say "the broker did not answer within 60 s; see $log"; exit 1
}

stop() {
  exclusive
  [ -f "$pidfile" ] || return 0
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid"
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
  fi
  # Only the pid file of the broker this call stopped: never one a later start has written.
  [ "$(cat "$pidfile" 2>/dev/null)" = "$pid" ] && rm -f "$pidfile"
  return 0
}

case "${1:-start}" in
  provision) mkdir -p "$home"; provision ;;
  start) start ;;
  stop) stop ;;
  status) answers ;;
  reset) stop; rm -rf "$data" ;;
  wait) exclusive ;;
  *) say "usage: kafka.sh provision|start|stop|status|reset|wait|cluster|cluster-stop|cluster-status"; exit 2 ;;
esac
