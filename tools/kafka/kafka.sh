#!/usr/bin/env bash
# Provisions and runs a real single-node Apache Kafka (KRaft) from Maven Central's jars.
#   kafka.sh provision   download the broker's jars (cached in ~/.m2) into .kafka/libs
#   kafka.sh start       provision, format once, start in the background, wait until it answers
#   kafka.sh stop        stop the broker this script started
#   kafka.sh status      exit 0 when the broker port answers
#   kafka.sh reset       stop and delete the broker's data
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
home="${KAFKA_HOME_DIR:-$root/.kafka}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
libs="$home/libs"
data="$home/data"
pidfile="$home/broker.pid"
log="$home/broker.log"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"

say() { echo "kafka: $*" >&2; }

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

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
  sed -e "s:@DATA@:$data:" -e "s:@PORT@:$port:g" -e "s:@CONTROLLER_PORT@:$controller_port:g" \
    "$here/server.properties.template" >"$home/server.properties"
  if [ ! -f "$data/meta.properties" ]; then
    local id
    id="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    java -Dlog4j2.configurationFile="$here/log4j2.properties" -cp "$libs/*" kafka.tools.StorageTool format \
      -t "$id" -c "$home/server.properties" --ignore-formatted >"$home/format.log" 2>&1 \
      || { say "format failed, see $home/format.log"; exit 1; }
  fi
}

start() {
  mkdir -p "$home"
  if answers; then say "a broker already answers on 127.0.0.1:$port"; return 0; fi
  provision
  configure
  say "starting Kafka $version on 127.0.0.1:$port (log $log)"
  # setsid: the broker outlives this script; npm start / .ci/run stop it with `kafka.sh stop`.
  setsid java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$here/log4j2.properties" \
    -cp "$libs/*" kafka.Kafka "$home/server.properties" >"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for _ in $(seq 1 240); do
    if grep -q "Kafka Server started" "$log" 2>/dev/null || grep -q "\[KafkaRaftServer nodeId=1\] Kafka Server started" "$log" 2>/dev/null; then
      answers && { say "ready"; return 0; }
    fi
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { say "the broker exited; last lines of $log:"; tail -20 "$log" >&2; exit 1; }
    sleep 0.25
  done
  say "the broker did not answer within 60 s; see $log"; exit 1
}

stop() {
  [ -f "$pidfile" ] || return 0
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$pidfile"
}

case "${1:-start}" in
  provision) mkdir -p "$home"; provision ;;
  start) start ;;
  stop) stop ;;
  status) answers ;;
  reset) stop; rm -rf "$data" ;;
  *) say "usage: kafka.sh provision|start|stop|status|reset"; exit 2 ;;
esac
