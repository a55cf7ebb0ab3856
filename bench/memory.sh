#!/usr/bin/env bash
# The relay's resident memory (RSS) idle, with 200 WebSocket viewers of one 30 fps camera, and with 200 cameras
# (5 fps each, one viewer each), with plain `java -jar` and with the flags relay-cli/README.md recommends.
#
#   bench/memory.sh              # about 3 minutes; needs node, ffmpeg and ../shared/bench (like compare.sh)
#
# Prints one JSON line per run (peak and final RSS in MB, sampled every 200 ms) and a Markdown table at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/target/bench
JAR=$ROOT/relay-cli/target/camrelay.jar
RECOMMENDED=${RECOMMENDED:-"-XX:+UseSerialGC -Xms32m -Xmx256m -XX:TieredStopAtLevel=1"}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
CAMRELAY_OPTS="--bind 127.0.0.1 --tcp-port 3008 --ws-port 3009 --http-port 3010 -q --max-connections-per-ip 2000 --max-cameras 1000"
"$ROOT/bench/prepare.sh"
cp "$ROOT/bench/many-cameras.mjs" "$WORK/peer/"

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

measure() {  # $1 label, $2 flags label, $3 java flags, $4... the load command (run in the peer folder)
  local label=$1 flags_label=$2 flags=$3; shift 3
  # shellcheck disable=SC2086
  java $flags -jar "$JAR" $CAMRELAY_OPTS >"$WORK/memory-relay.log" 2>&1 &
  local pid=$! peak=0
  for _ in $(seq 1 150); do (exec 3<>/dev/tcp/127.0.0.1/3009) 2>/dev/null && break; sleep 0.1; done
  sleep 2
  local start; start=$(rss_mb "$pid")
  (cd "$WORK/peer" && "$@" >/dev/null 2>&1) &
  local load=$!
  while kill -0 "$load" 2>/dev/null; do
    local now; now=$(rss_mb "$pid")
    peak=$(awk -v a="$peak" -v b="$now" 'BEGIN{print (b>a)?b:a}')
    sleep 0.2
  done
  local end; end=$(rss_mb "$pid")
  peak=$(awk -v a="$peak" -v b="$end" 'BEGIN{print (b>a)?b:a}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "{\"scenario\":\"$label\",\"flags\":\"$flags_label\",\"rss_mb_start\":$start,\"rss_mb_peak\":$peak,\"rss_mb_end\":$end}"
}

run_all() {  # $1 flags label, $2 java flags
  measure idle "$1" "$2" sleep "$SECONDS_PER_RUN"
  measure "200 viewers x 30 fps" "$1" "$2" node bench.mjs --tcp 127.0.0.1:3008 --ws ws://127.0.0.1:3009/ \
    --mode conn --fps 30 --seconds "$SECONDS_PER_RUN" --viewers 200
  measure "200 cameras x 5 fps, 1 viewer each" "$1" "$2" node many-cameras.mjs --ws ws://127.0.0.1:3009 \
    --frames frames --cameras 200 --fps 5 --seconds "$SECONDS_PER_RUN" --viewers 1
}

RESULTS=$WORK/memory.jsonl
{ run_all "plain java -jar" ""; run_all "$RECOMMENDED" "$RECOMMENDED"; } | tee "$RESULTS"
echo
echo "| scenario | JVM flags | RSS MB at start | RSS MB peak | RSS MB at end |"
echo "|---|---|---|---|---|"
python3 -c '
import json,sys
for l in open(sys.argv[1]):
    r=json.loads(l); print("| %s | %s | %s | %s | %s |" % (r["scenario"], r["flags"] or "(none)", r["rss_mb_start"], r["rss_mb_peak"], r["rss_mb_end"]))
' "$RESULTS"
