#!/usr/bin/env bash
# What recording costs: the same load on a fresh relay twice, without and with --record-dir, one after the other.
# Load: CAMERAS cameras at FPS with ~35 KB frames (800x600, bench/prepare.sh), one WebSocket viewer each:
# CAMERAS-1 of them from many-cameras.mjs (WebSocket ingest), one from `camrelay bench` (raw TCP, tagged frames), which
# measures its viewer's latency and the relay's CPU (--pid). Recording goes to RECORD_DIR (default: target/bench/rec,
# the disk the repository is on).
#
#   bench/record.sh                    # 10 cameras x 30 fps, 30 s each run
#   CAMERAS=5 FPS=15 RUN_SECONDS=60 bench/record.sh
#
# Prints one JSON line per run (bench's fields, plus the recorder's metrics) and appends them to
# target/bench/record.jsonl.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/target/bench
JAR=$ROOT/relay-cli/target/camrelay.jar
CAMERAS=${CAMERAS:-10}
FPS=${FPS:-30}
RUN_SECONDS=${RUN_SECONDS:-30}
RECORD_DIR=${RECORD_DIR:-$WORK/rec}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC -Xms32m -Xmx256m -XX:TieredStopAtLevel=1"}
PORTS=(4108 4109 4110)
"$ROOT/bench/prepare.sh"
OUT=$WORK/record.jsonl

wait_port() {
  for _ in $(seq 1 150); do
    if bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}

for mode in off on; do
  rm -rf "$RECORD_DIR"
  load=$(cut -d' ' -f1 /proc/loadavg)
  extra=()
  if [ "$mode" = on ]; then extra=(--record-dir "$RECORD_DIR"); fi
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" --bind 127.0.0.1 --tcp-port "${PORTS[0]}" --ws-port "${PORTS[1]}" \
    --http-port "${PORTS[2]}" --rtsp-port -1 --status-interval 0 -q "${extra[@]}" > "$WORK/record-relay-$mode.log" 2>&1 &
  relay=$!
  trap 'kill $relay 2>/dev/null || true' EXIT
  wait_port "${PORTS[2]}"
  cp "$ROOT/bench/many-cameras.mjs" "$WORK/peer/"  # node resolves its `ws` import next to the script
  (cd "$WORK/peer" && node many-cameras.mjs --ws "ws://127.0.0.1:${PORTS[1]}" --frames frames \
    --cameras $((CAMERAS - 1)) --fps "$FPS" --seconds $((RUN_SECONDS + 3)) --viewers 1 > "$WORK/record-many-$mode.json") &
  many=$!
  sleep 2  # the other cameras first, so bench measures under the full load
  bench=$(java -jar "$JAR" bench --mode stream --frames "$WORK/peer/frames" --fps "$FPS" --seconds "$RUN_SECONDS" \
    --viewers 1 --tcp "127.0.0.1:${PORTS[0]}" --ws "ws://127.0.0.1:${PORTS[1]}/" --pid "$relay" --json)
  wait "$many"
  metrics=$(curl -s "http://127.0.0.1:${PORTS[2]}/metrics" | { grep '^camrelay_record_' || true; } \
    | awk '{printf "%s\"%s\":%s", (n++ ? "," : ""), $1, $2}')
  kill "$relay"; wait "$relay" || true
  line="{\"recording\":\"$mode\",\"load1\":$load,\"cameras\":$CAMERAS,\"fps\":$FPS,\"bench\":$bench,\"many\":$(cat "$WORK/record-many-$mode.json"),\"recorder\":{${metrics}}}"
  echo "$line" | tee -a "$OUT"
done
du -sh "$RECORD_DIR"
