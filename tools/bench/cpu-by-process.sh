#!/bin/bash
# tools/bench/cpu-by-process.sh SECONDS: CPU seconds each part of the platform (services, Postgres, Kafka, the load
# generator) used over the next SECONDS, from /proc/<pid>/stat; run it beside `npm run bench` during E.
snap() { for p in /proc/[0-9]*; do pid=${p#/proc/}; [ -r $p/stat ] || continue; read -r line < $p/stat 2>/dev/null || continue; rest=${line##*) }; set -- $rest; t=$(( ${12} + ${13} )); cmd=$(tr '\0' ' ' < $p/cmdline 2>/dev/null | cut -c1-200); tag=other; case "$cmd" in *intake/src/main*) tag=intake;; *investigation/src/main*) tag=investigation;; *refund/src/main*) tag=refund;; *notification/src/main*) tag=notification;; *kafka.Kafka*|*java*) tag=kafka;; *postgres*) tag=postgres;; *bench/run.ts*) tag=bench-client;; esac; echo "$pid $tag $t"; done; }
a=$(mktemp); b=$(mktemp); trap 'rm -f "$a" "$b"' EXIT
snap > "$a"; sleep "${1:?seconds}"; snap > "$b"
join <(sort "$a") <(sort "$b") | awk '{d=$5-$3; s[$2]+=d} END {for (k in s) printf "%s %.1f\n", k, s[k]/100}' | sort -k2 -nr
