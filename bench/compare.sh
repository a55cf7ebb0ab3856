#!/usr/bin/env bash
# Side-by-side load comparison: camrelay vs the Node relay users come from (../shared/bench/seed-relay.mjs),
# both driven by the same harness (../shared/bench/bench.mjs) on the same machine, one after the other.
#
#   bench/compare.sh                 # all scenarios (about 4 minutes)
#   SCENARIOS="fanout200 slowlink" bench/compare.sh
#
# Writes one JSON line per run to target/bench/results.jsonl and a Markdown table to target/bench/results.md.
# The slow-link scenario needs root (ip netns + tc); it is skipped with a message otherwise.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEER_SRC=${PEER_SRC:-$ROOT/../shared/bench}
WORK=$ROOT/target/bench
JAR=$ROOT/relay-cli/target/camrelay.jar
SCENARIOS=${SCENARIOS:-"fanout10 fanout200 fanout1000 flatout stalled slowlink idle1000"}
SLOW_SECONDS=${SLOW_SECONDS:-60}
mkdir -p "$WORK"

if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -B -ntp -q -pl relay-cli -am package -DskipTests)
fi
if [ ! -d "$WORK/peer/node_modules" ]; then
  rm -rf "$WORK/peer" && mkdir -p "$WORK/peer"
  cp "$PEER_SRC"/*.mjs "$PEER_SRC"/package*.json "$WORK/peer/"
  (cd "$WORK/peer" && npm ci --no-audit --no-fund --silent)
fi
if [ ! -d "$WORK/peer/frames" ]; then
  mkdir -p "$WORK/peer/frames"
  ffmpeg -loglevel error -f lavfi -i testsrc2=size=800x600:rate=30 -frames:v 60 -c:v mjpeg -q:v 4 "$WORK/peer/frames/f%03d.jpg"
fi
RESULTS=$WORK/results.jsonl
: > "$RESULTS"

NS=""          # set to a network namespace name to run inside it
in_ns() { if [ -n "$NS" ]; then ip netns exec "$NS" "$@"; else "$@"; fi; }

wait_port() {  # wait until something listens on 127.0.0.1:$1
  for _ in $(seq 1 100); do
    if in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}

RELAY_PID=""
start_relay() {  # $1 = camrelay | node
  case "$1" in
    camrelay) in_ns java -XX:+UseParallelGC -jar "$JAR" --bind 127.0.0.1 --tcp-port 3008 --ws-port 3009 --http-port 3010 -q \
                >"$WORK/relay-$1.log" 2>&1 & ;;
    node)     (cd "$WORK/peer" && in_ns node seed-relay.mjs >"$WORK/relay-$1.log" 2>&1) & ;;
  esac
  RELAY_PID=$!
  wait_port 3008; wait_port 3009
  # the pid that owns the sockets (in_ns / subshell wrappers exec, but be safe)
  local child; child=$(pgrep -P "$RELAY_PID" | head -1 || true)
  while [ -n "$child" ]; do RELAY_PID=$child; child=$(pgrep -P "$RELAY_PID" | head -1 || true); done
}
stop_relay() { kill "$RELAY_PID" 2>/dev/null || true; wait 2>/dev/null || true; sleep 0.5; }

run() {  # $1 relay, $2 scenario label, rest: bench.mjs args
  local relay=$1 label=$2; shift 2
  start_relay "$relay"
  local out
  out=$(cd "$WORK/peer" && in_ns node bench.mjs --tcp 127.0.0.1:3008 --ws ws://127.0.0.1:3009/ --pid "$RELAY_PID" "$@" | tail -1)
  stop_relay
  echo "{\"relay\":\"$relay\",\"scenario\":\"$label\",\"result\":$out}" | tee -a "$RESULTS"
}

for s in $SCENARIOS; do
  case "$s" in
    fanout10|fanout200|fanout1000)
      n=${s#fanout}
      run node "$s" --mode conn --fps 30 --seconds 10 --viewers "$n"
      run camrelay "$s" --mode conn --fps 30 --seconds 10 --viewers "$n"
      run camrelay "$s-stream" --mode stream --fps 30 --seconds 10 --viewers "$n" ;;
    flatout)
      run node "$s" --mode conn --fps 0 --seconds 10 --viewers 10
      run camrelay "$s" --mode conn --fps 0 --seconds 10 --viewers 10
      run camrelay "$s-stream" --mode stream --fps 0 --seconds 10 --viewers 10 ;;
    stalled)   # one viewer stops reading; the other 49 must keep the full rate, relay memory must stay flat
      run node "$s" --mode conn --fps 30 --seconds 20 --viewers 50 --slow 1
      run camrelay "$s" --mode conn --fps 30 --seconds 20 --viewers 50 --slow 1 ;;
    idle1000)  # 1,000 connected viewers, a 1 fps camera: the memory cost of a viewer
      run node "$s" --mode conn --fps 1 --seconds 10 --viewers 1000
      run camrelay "$s" --mode conn --fps 1 --seconds 10 --viewers 1000 ;;
    slowlink)  # one viewer on a link at half the stream's bitrate, shaped with tc in a namespace of our own
      if [ "$(id -u)" != 0 ] || ! command -v tc >/dev/null; then echo "slowlink: skipped (needs root and tc)" >&2; continue; fi
      avg=$(du -cb "$WORK"/peer/frames/*.jpg | tail -1 | cut -f1); n=$(ls "$WORK"/peer/frames/*.jpg | wc -l)
      kbit=$(( avg / n * 30 * 8 / 2 / 1000 ))          # half of 30 fps x average frame size
      NS=camrelay-bench-$$
      ip netns add "$NS"; ip netns exec "$NS" ip link set lo up
      ip netns exec "$NS" tc qdisc add dev lo root handle 1: htb default 10
      ip netns exec "$NS" tc class add dev lo parent 1: classid 1:10 htb rate 20gbit
      ip netns exec "$NS" tc class add dev lo parent 1: classid 1:20 htb rate "${kbit}kbit" ceil "${kbit}kbit"
      ip netns exec "$NS" tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip dport 40000 0xffff flowid 1:20
      echo "slowlink: the slow viewer's link is shaped to ${kbit} kbit/s" >&2
      run node "$s" --mode conn --fps 30 --seconds "$SLOW_SECONDS" --viewers 10 --slow 1 --slow-port 40000
      run camrelay "$s" --mode conn --fps 30 --seconds "$SLOW_SECONDS" --viewers 10 --slow 1 --slow-port 40000
      ip netns del "$NS"; NS="" ;;
    *) echo "unknown scenario $s" >&2; exit 2 ;;
  esac
done

python3 "$ROOT/bench/table.py" "$RESULTS" > "$WORK/results.md"
cat "$WORK/results.md"
