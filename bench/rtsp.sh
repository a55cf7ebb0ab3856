#!/usr/bin/env bash
# RTSP fan-out against the WebSocket path, in the same run: one relay process (the flags relay-cli/README.md
# recommends), one simulated camera pushing the same 800x600 ~35 KB frames at 30 fps, then either 100 WebSocket
# viewers or 100 RTSP clients (RTP interleaved on the RTSP connection, as NVRs do), one after the other, ROUNDS times.
# Both are measured by `camrelay bench` (relay-cli): the relay's CPU seconds per GB delivered and per frame delivered,
# and the latency from the camera sending a frame to a viewer reading its last byte (WebSocket: the whole message;
# RTSP: the packet with the marker bit), p50/p99 over all viewers and at the probe: the viewer connected last, so
# last in the relay's fan-out order.
#
#   bench/rtsp.sh                                   # 2 rounds of 30 s each (about 3 minutes)
#   ROUNDS=1 SECONDS_PER_RUN=3 VIEWERS=10 WARMUP_SECONDS=2 bench/rtsp.sh   # a smoke run
#   TABLES=optimal bench/rtsp.sh                    # ffmpeg's default optimal Huffman tables: RTSP re-codes each frame
#
# TABLES=default (the default) makes frames with the standard Huffman tables, as ESP32 cameras send them (passed
# through untouched); TABLES=optimal adds the relay's lossless re-coding (once per frame, whatever the viewers).
# Writes one JSON line per run to target/bench/rtsp-results.jsonl and prints a Markdown table for the README.
# The harness runs on the same machine and reads both kinds of viewers the same way, with a few selector threads (as
# many as the WebSocket viewers' event loops): they compete with the relay for the cores, which shows in the latency
# more than in the relay's CPU. (A thread per RTSP viewer would make the relay pay a thread wake-up in each write.)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/target/bench
JAR=$ROOT/relay-cli/target/camrelay.jar
ROUNDS=${ROUNDS:-2}
VIEWERS=${VIEWERS:-100}
FPS=${FPS:-30}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
TABLES=${TABLES:-default}
BASE_PORT=${BASE_PORT:-3008}
RTSP_PORT=${RTSP_PORT:-8554}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC -Xms32m -Xmx256m -XX:TieredStopAtLevel=1"}
TCP_PORT=$BASE_PORT
WS_PORT=$((BASE_PORT + 1))
HTTP_PORT=$((BASE_PORT + 2))
case "$TABLES" in default|optimal) ;; *) echo "TABLES must be default or optimal" >&2; exit 2 ;; esac
mkdir -p "$WORK"

if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -B -ntp -q -pl relay-cli -am package -DskipTests)
fi
FRAMES=$WORK/rtsp-frames-$TABLES
if [ ! -d "$FRAMES" ]; then
  mkdir -p "$FRAMES"
  ffmpeg -loglevel error -f lavfi -i testsrc2=size=800x600:rate=30 -frames:v 60 -c:v mjpeg -q:v 4 \
    -huffman "$TABLES" "$FRAMES/f%03d.jpg"
fi

# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" --bind 127.0.0.1 --tcp-port "$TCP_PORT" --ws-port "$WS_PORT" --http-port "$HTTP_PORT" \
  --rtsp-port "$RTSP_PORT" -q --max-connections-per-ip 2000 >"$WORK/rtsp-relay.log" 2>&1 &
RELAY_PID=$!
trap 'kill "$RELAY_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$RTSP_PORT") 2>/dev/null && break; sleep 0.1; done

bench() {  # $1 ws|rtsp, $2 seconds, rest: more bench flags; prints the JSON line
  local kind=$1 secs=$2; shift 2
  local viewers=(--ws "ws://127.0.0.1:$WS_PORT/")
  [ "$kind" = rtsp ] && viewers=(--rtsp "rtsp://127.0.0.1:$RTSP_PORT/default")
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" bench -q --json --tcp "127.0.0.1:$TCP_PORT" "${viewers[@]}" --mode stream \
    --fps "$FPS" --seconds "$secs" --viewers "$VIEWERS" --frames "$FRAMES" --pid "$RELAY_PID" "$@" | grep '^{' | tail -1
}

RESULTS=$WORK/rtsp-results.jsonl
: > "$RESULTS"
if [ "$WARMUP_SECONDS" -gt 0 ]; then  # compiles both paths' hot code before anything is measured
  bench ws "$WARMUP_SECONDS" >/dev/null
  bench rtsp "$WARMUP_SECONDS" >/dev/null
fi
for round in $(seq 1 "$ROUNDS"); do
  for kind in ws rtsp; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    out=$(bench "$kind" "$SECONDS_PER_RUN")
    echo "{\"round\":$round,\"protocol\":\"$kind\",\"tables\":\"$TABLES\",\"load1\":$load,\"result\":$out}" | tee -a "$RESULTS"
  done
done

python3 - "$RESULTS" <<'EOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
def f(x, fmt="%.1f"):
    return "-" if x is None else fmt % x
print()
print("| round | viewers | protocol | Huffman tables | load | fps/viewer | delivered | relay CPU s | CPU s/GB (vs WebSocket) | CPU us/frame (vs WebSocket) | latency p50 ms | p99 ms | probe p50 ms | probe p99 ms |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
ws = {}
def vs(value, base, fmt):
    if value is None:
        return "-"
    return fmt % value + (" (%.2fx)" % (value / base) if base else "")
for r in rows:
    res = r["result"]
    per_gb, per_frame = res.get("relay_cpu_s_per_gb"), res.get("relay_cpu_us_per_frame")
    if r["protocol"] == "ws":
        ws[r["round"]] = (per_gb, per_frame)
    base = ws.get(r["round"], (None, None)) if r["protocol"] == "rtsp" else (None, None)
    lat, probe = res.get("lat_ms", {}), res.get("last_viewer_lat_ms", {})
    print("| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        r["round"], res["viewers_connected"], "RTSP (TCP)" if r["protocol"] == "rtsp" else "WebSocket",
        r["tables"], r["load1"], f(res.get("delivered_fps_per_viewer")),
        "-" if res.get("delivered") is None else "%.1f%%" % (100 * res["delivered"]), f(res.get("relay_cpu_s"), "%.2f"),
        vs(per_gb, base[0], "%.1f"), vs(per_frame, base[1], "%.0f"), f(lat.get("p50")), f(lat.get("p99")),
        f(probe.get("p50")), f(probe.get("p99"))))
EOF
