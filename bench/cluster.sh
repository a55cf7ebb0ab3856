#!/usr/bin/env bash
# Two relay nodes joined through one nats-server on this machine (issue 12, "Measured"):
#
#   1. latency: a framed camera sends 30 fps x ~35 KB to node A; 50 viewers watch it on node B (remote); one probe
#      viewer on A (local) and one on B (remote) run in the camera's own process (`camrelay bench --probe`), so the
#      two latencies share one clock: remote p50/p99 minus local p50/p99 is what crossing the bus costs.
#   2. bus bytes: nats-server's /varz in/out bytes over run 1, per frame sent and per interested node (node B).
#   3. capacity: for each total of STEPS viewers, one node (camera and viewers on A) against two (camera on A, half
#      the viewers on A, half on B); a step "serves" its viewers when each gets >= 95% of the frames and p99 latency
#      stays under LAT_LIMIT_MS. Both setups share this machine's cores with the bench clients.
#
#   bench/cluster.sh                                            # about 4 minutes
#   RUN_SECONDS=5 WARMUP_SECONDS=2 STEPS="20 40" STEP_SECONDS=4 bench/cluster.sh   # a smoke run (under a minute)
#
# Writes one JSON line per run to target/bench/cluster/results.jsonl and prints the Markdown rows for the README's
# "Running more than one relay" results table (bench/cluster_table.py). Needs nats-server (Debian: nats-server),
# ffmpeg (the frames), python3, ss; builds relay-cli/target/camrelay.jar if missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/target/bench/cluster
JAR=$ROOT/relay-cli/target/camrelay.jar
NATS_SERVER=${NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
RUN_SECONDS=${RUN_SECONDS:-30}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
REMOTE_VIEWERS=${REMOTE_VIEWERS:-50}
FPS=${FPS:-30}
STEPS=${STEPS:-"100 200 400 800"}
STEP_SECONDS=${STEP_SECONDS:-10}
LAT_LIMIT_MS=${LAT_LIMIT_MS:-200}
PORT_BASE=${PORT_BASE:-14000}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC -Xms32m -Xmx256m -XX:TieredStopAtLevel=1"}
NATS_PORT=$((PORT_BASE + 222)); NATS_MONITOR=$((PORT_BASE + 822))
A_TCP=$((PORT_BASE + 8)); A_WS=$((PORT_BASE + 9)); A_HTTP=$((PORT_BASE + 10))
B_TCP=$((PORT_BASE + 108)); B_WS=$((PORT_BASE + 109)); B_HTTP=$((PORT_BASE + 110))
RESULTS=$WORK/results.jsonl
mkdir -p "$WORK"
: > "$RESULTS"

if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -B -ntp -q -pl relay-cli -am package -DskipTests)
fi
FRAMES=$ROOT/target/bench/peer/frames   # bench/prepare.sh's 800x600 ~35 KB frames, made here if missing
if [ ! -d "$FRAMES" ]; then
  FRAMES=$WORK/frames
  if [ ! -d "$FRAMES" ]; then
    mkdir -p "$FRAMES"
    ffmpeg -loglevel error -f lavfi -i testsrc2=size=800x600:rate=30 -frames:v 60 -c:v mjpeg -q:v 4 "$FRAMES/f%03d.jpg"
  fi
fi

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_port() {  # until something listens on 127.0.0.1:$1
  for _ in $(seq 1 300); do
    if bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}

wait_viewers() {  # until $2 WebSocket connections are established to port $1
  for _ in $(seq 1 300); do
    [ "$(ss -tnH state established "( sport = :$1 )" | wc -l)" -ge "$2" ] && return 0
    sleep 0.1
  done
  echo "fewer than $2 viewers on port $1" >&2; return 1
}

# --- NATS: one server, max_payload raised above the default 1 MB as the README's config does -------------------
cat > "$WORK/nats.conf" <<EOF
listen: "127.0.0.1:$NATS_PORT"
http: "127.0.0.1:$NATS_MONITOR"
max_payload: 8MB
EOF
"$NATS_SERVER" -c "$WORK/nats.conf" > "$WORK/nats.log" 2>&1 &
PIDS+=($!)
wait_port "$NATS_PORT"

node() {  # $1 name, $2 tcp, $3 ws, $4 http
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" -q --bind 127.0.0.1 --tcp-port "$2" --ws-port "$3" --http-port "$4" --rtsp-port -1 \
    --status-interval 0 --max-connections 5000 --max-connections-per-ip 5000 \
    --cluster "nats://127.0.0.1:$NATS_PORT" --cluster-name camrelay-bench --node-name "node-$1" > "$WORK/node-$1.log" 2>&1 &
  PIDS+=($!)
}
node a "$A_TCP" "$A_WS" "$A_HTTP"
node b "$B_TCP" "$B_WS" "$B_HTTP"
for p in "$A_TCP" "$A_WS" "$B_TCP" "$B_WS"; do
  wait_port "$p" || { tail -5 "$WORK"/node-*.log >&2; exit 1; }
done

bench() {  # `camrelay bench` in its own JVM, its JSON line on stdout
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" bench -q --json --frames "$FRAMES" --fps "$FPS" "$@" | grep '^{' | tail -1
}
varz() {  # nats-server's /varz on one line
  curl -fsS "http://127.0.0.1:$NATS_MONITOR/varz" | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)))'
}
load1() { cut -d' ' -f1 /proc/loadavg; }

# --- 1 + 2: latency of a remote viewer against a local one, bus bytes ------------------------------------------
latency_run() {  # $1 label, $2 seconds: camera on A, REMOTE_VIEWERS on B, probes on A and B
  local cam="lat-$1" load before after remote main
  load=$(load1)
  bench --viewer-only --viewers "$REMOTE_VIEWERS" --ws "ws://127.0.0.1:$B_WS/cam/$cam" --seconds "$(($2 + 5))" \
    > "$WORK/remote-$1.json" &
  local r=$!
  wait_viewers "$B_WS" "$REMOTE_VIEWERS"
  before=$(varz)
  main=$(bench --mode framed --camera-id "$cam" --tcp "127.0.0.1:$A_TCP" --viewers 0 --seconds "$2" \
    --probe "ws://127.0.0.1:$A_WS/cam/$cam" --probe "ws://127.0.0.1:$B_WS/cam/$cam")
  after=$(varz)
  wait "$r" || true
  remote=$(tail -1 "$WORK/remote-$1.json"); remote=${remote:-null}
  echo "{\"run\":\"latency-$1\",\"load1\":$load,\"remote_viewers\":$REMOTE_VIEWERS,\"camera\":$main,\"remote\":$remote,\"varz_before\":$before,\"varz_after\":$after}" >> "$RESULTS"
}
[ "$WARMUP_SECONDS" -gt 0 ] && latency_run warmup "$WARMUP_SECONDS"
latency_run measured "$RUN_SECONDS"

# --- 3: viewers served by one node against two -----------------------------------------------------------------
for n in $STEPS; do
  load=$(load1)
  one=$(bench --mode framed --camera-id "one-$n" --tcp "127.0.0.1:$A_TCP" --viewers "$n" \
    --ws "ws://127.0.0.1:$A_WS/cam/one-$n" --seconds "$STEP_SECONDS")
  echo "{\"run\":\"capacity\",\"nodes\":1,\"viewers\":$n,\"load1\":$load,\"parts\":[$one]}" >> "$RESULTS"
  half=$((n / 2))
  load=$(load1)
  bench --viewer-only --viewers "$((n - half))" --ws "ws://127.0.0.1:$B_WS/cam/two-$n" \
    --seconds "$((STEP_SECONDS + 5))" > "$WORK/two-$n-b.json" &
  b=$!
  wait_viewers "$B_WS" "$((n - half))"
  a=$(bench --mode framed --camera-id "two-$n" --tcp "127.0.0.1:$A_TCP" --viewers "$half" \
    --ws "ws://127.0.0.1:$A_WS/cam/two-$n" --seconds "$STEP_SECONDS")
  wait "$b" || true
  bpart=$(tail -1 "$WORK/two-$n-b.json"); bpart=${bpart:-null}
  echo "{\"run\":\"capacity\",\"nodes\":2,\"viewers\":$n,\"load1\":$load,\"parts\":[$a,$bpart]}" >> "$RESULTS"
done

python3 "$ROOT/bench/cluster_table.py" --fps "$FPS" --lat-limit "$LAT_LIMIT_MS" "$RESULTS" | tee "$WORK/results.md"
