#!/usr/bin/env bash
# Side-by-side load comparison: camrelay vs the Node relay users come from (../shared/bench/seed-relay.mjs),
# both driven by the same harness (../shared/bench/bench.mjs) on the same machine, one after the other.
#
#   bench/compare.sh                 # all scenarios (about 20 minutes)
#   SCENARIOS="fanout200 slowlink" bench/compare.sh
#   RELAY_CPUS=0 SCENARIOS=probe200 bench/compare.sh   # the relay pinned to one core
#   RELAY_ARGS="--fan-out-threads 0" SCENARIOS=fanout200 bench/compare.sh   # more camrelay options
#   REPEAT=4 SCENARIOS="floor fanout200" bench/compare.sh   # the scenarios four times over, interleaved
#
# Every measured run gets a fresh relay process, warmed up the same way for every relay (WARMUP_SECONDS of
# 200 viewers at 30 fps, 3 s as fast as the relay takes frames, then one plain untagged JPEG so that the frame
# camrelay hands every new viewer at once is not a stale tagged one; bench.mjs counts it as "untagged").
# camrelay runs with the JVM flags relay-cli/README.md recommends (JAVA_OPTS).
#
# Writes one JSON line per run to target/bench/results.jsonl (with the 1-minute load average when the run started
# and the relay's user/system CPU split over the whole bench invocation) and a Markdown table to
# target/bench/results.md. The slow-link scenario needs root (ip netns + tc); it is skipped with a message otherwise.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/target/bench
JAR=$ROOT/relay-cli/target/camrelay.jar
SCENARIOS=${SCENARIOS:-"floor fanout10 fanout200 javabench200 probe200 trace200 fanout1000 flatout stalled slowlink idle1000"}
SLOW_SECONDS=${SLOW_SECONDS:-60}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC -Xms32m -Xmx256m -XX:TieredStopAtLevel=1"}
# All bench viewers come from 127.0.0.1: lift the per-address connection limit (default 250) for the 1,000-viewer runs.
CAMRELAY_OPTS="--bind 127.0.0.1 --tcp-port 3008 --ws-port 3009 --http-port 3010 -q --max-connections-per-ip 2000 ${RELAY_ARGS:-}"
mkdir -p "$WORK"

"$ROOT/bench/prepare.sh"
RESULTS=$WORK/results.jsonl
: > "$RESULTS"

NS=""          # set to a network namespace name to run inside it
# RELAY_CPUS=0 runs the relay on CPU 0 only (taskset), e.g. to show how the fan-out scales with cores.
PIN=${RELAY_CPUS:+taskset -c $RELAY_CPUS}
in_ns() { if [ -n "$NS" ]; then ip netns exec "$NS" "$@"; else "$@"; fi; }

wait_port() {  # wait until something listens on 127.0.0.1:$1
  for _ in $(seq 1 150); do
    if in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}

RELAY_PID=""
start_relay() {  # $1 = camrelay | node | bare
  case "$1" in
    # shellcheck disable=SC2086
    camrelay) in_ns $PIN java $JAVA_OPTS -jar "$JAR" $CAMRELAY_OPTS >"$WORK/relay-$1.log" 2>&1 & ;;
    node)     (cd "$WORK/peer" && in_ns $PIN node seed-relay.mjs >"$WORK/relay-$1.log" 2>&1) & ;;
    # the floor as a relay (bench/BareRelay.java): the least any relay can do, measured by the same harness
    # shellcheck disable=SC2086
    bare)     in_ns $PIN java $JAVA_OPTS "$ROOT/bench/BareRelay.java" --tcp-port 3008 --ws-port 3009 \
                >"$WORK/relay-$1.log" 2>&1 & ;;
  esac
  wait_port 3008; wait_port 3009
  # The process that owns the WebSocket listening socket is the relay (not a shell or `ip netns exec` around it).
  RELAY_PID=$(in_ns ss -ltnpH 'sport = :3009' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  local comm; comm=$(cat "/proc/$RELAY_PID/comm")
  case "$1:$comm" in
    camrelay:java|bare:java|node:node) ;;
    *) echo "port 3009 is owned by pid $RELAY_PID ($comm), not the $1 relay" >&2; exit 1 ;;
  esac
}
stop_relay() { kill "$RELAY_PID" 2>/dev/null || true; wait 2>/dev/null || true; sleep 0.5; }

bench() {  # bench.mjs against the running relay, its JSON line on stdout
  (cd "$WORK/peer" && in_ns node bench.mjs --tcp 127.0.0.1:3008 --ws ws://127.0.0.1:3009/ --pid "$RELAY_PID" "$@" | tail -1)
}

warmup() {  # the same for every relay; compiles camrelay's hot paths before the measured run
  [ "$WARMUP_SECONDS" -gt 0 ] || return 0
  bench --mode conn --fps 30 --seconds "$WARMUP_SECONDS" --viewers 200 >/dev/null
  bench --mode stream --fps 0 --seconds 3 --viewers 10 >/dev/null
  in_ns bash -c "cat '$WORK/peer/frames/f001.jpg' > /dev/tcp/127.0.0.1/3008"
  sleep 1
}

cpu_ticks() { awk '{print $14, $15}' "/proc/$RELAY_PID/stat"; }   # utime stime (1/100 s)

record() {  # $1 relay, $2 scenario, $3 harness, $4 load, $5/$6 ticks before/after, $7 result JSON
  local u0 s0 u1 s1; read -r u0 s0 <<<"$5"; read -r u1 s1 <<<"$6"
  echo "{\"relay\":\"$1\",\"scenario\":\"$2\",\"harness\":\"$3\",\"load1\":$4,\"relay_user_s_total\":$(awk "BEGIN{print ($u1-$u0)/100}"),\"relay_sys_s_total\":$(awk "BEGIN{print ($s1-$s0)/100}"),\"result\":$7}" | tee -a "$RESULTS"
}

run() {  # $1 relay, $2 scenario label, rest: bench.mjs args
  local relay=$1 label=$2; shift 2
  start_relay "$relay"
  warmup
  local load t0 t1 out
  load=$(cut -d' ' -f1 /proc/loadavg); t0=$(cpu_ticks)
  out=$(bench "$@")
  t1=$(cpu_ticks)
  stop_relay
  record "$relay" "$label" bench.mjs "$load" "$t0" "$t1" "$out"
}

run_javabench() {  # $1 relay, $2 scenario label, rest: `camrelay bench` args (relay-cli's own Java harness)
  local relay=$1 label=$2; shift 2
  start_relay "$relay"
  warmup
  local load t0 t1 out
  load=$(cut -d' ' -f1 /proc/loadavg); t0=$(cpu_ticks)
  # shellcheck disable=SC2086
  out=$(in_ns java $JAVA_OPTS -jar "$JAR" bench -q --json --tcp 127.0.0.1:3008 --ws ws://127.0.0.1:3009/ \
          --frames "$WORK/peer/frames" --pid "$RELAY_PID" "$@" | grep '^{' | tail -1)
  t1=$(cpu_ticks)
  stop_relay
  record "$relay" "$label" "camrelay bench" "$load" "$t0" "$t1" "$out"
}

run_probe() {  # $1 relay: bench.mjs drives 199 viewers and the camera; one more viewer, connected last (so last in
               # camrelay's fan-out order) in its own process (camrelay bench --viewer-only), measures the latency
               # one viewer of 200 sees, without the load of the 199 others' harness on its own event loop
  local relay=$1
  start_relay "$relay"
  warmup
  local load t0 t1 out probe
  load=$(cut -d' ' -f1 /proc/loadavg); t0=$(cpu_ticks)
  bench --mode conn --fps 30 --seconds 10 --viewers 199 > "$WORK/probe-bench.json" &
  local b=$!
  for _ in $(seq 1 100); do
    [ "$(in_ns ss -tnH state established '( sport = :3009 )' | wc -l)" -ge 199 ] && break
    sleep 0.05
  done
  # shellcheck disable=SC2086
  probe=$(in_ns java $JAVA_OPTS -jar "$JAR" bench -q --json --viewer-only --viewers 1 --seconds 11 \
            --ws ws://127.0.0.1:3009/ | grep '^{' | tail -1)
  wait "$b"
  t1=$(cpu_ticks)
  stop_relay
  out=$(tail -1 "$WORK/probe-bench.json")
  record "$relay" "probe200" bench.mjs "$load" "$t0" "$t1" "$out"
  echo "{\"relay\":\"$relay\",\"scenario\":\"probe200\",\"harness\":\"probe viewer (200th)\",\"load1\":$load,\"result\":$probe}" | tee -a "$RESULTS"
}

run_trace() {  # $1 relay: time the relay's own fan-out of each frame to 200 viewers from syscall tracepoints
  local relay=$1
  start_relay "$relay"
  warmup
  local load out trace
  load=$(cut -d' ' -f1 /proc/loadavg)
  bench --mode conn --fps 30 --seconds 10 --viewers 200 > "$WORK/trace-bench.json" &
  local b=$!
  sleep 3
  perf record -q -e 'syscalls:sys_exit_read,syscalls:sys_enter_write,syscalls:sys_exit_write,syscalls:sys_enter_writev,syscalls:sys_exit_writev' \
    -p "$RELAY_PID" -o "$WORK/trace-$relay.data" -- sleep 4 >/dev/null 2>&1
  wait "$b"
  stop_relay
  trace=$(perf script -i "$WORK/trace-$relay.data" -F tid,time,event,trace 2>/dev/null | python3 "$ROOT/bench/fanout_trace.py" --json)
  echo "{\"relay\":\"$relay\",\"scenario\":\"trace200\",\"harness\":\"perf syscall tracepoints\",\"load1\":$load,\"trace\":$trace,\"result\":$(tail -1 "$WORK/trace-bench.json")}" | tee -a "$RESULTS"
}

for _ in $(seq 1 "${REPEAT:-1}"); do
for s in $SCENARIOS; do
  case "$s" in
    floor)     # no relay: the CPU a bare write loop spends to send the same bytes to 200 loopback sockets
      load=$(cut -d' ' -f1 /proc/loadavg)
      out=$(java "$ROOT/bench/WriteFloor.java" --viewers 200 --fps 30 --seconds 10 | grep '^{')
      echo "{\"relay\":\"write(2) loop\",\"scenario\":\"$s\",\"harness\":\"WriteFloor.java\",\"load1\":$load,\"result\":$out}" | tee -a "$RESULTS"
      # the same writes split over two threads: how soon a frame can reach all 200 sockets with both cores writing
      load=$(cut -d' ' -f1 /proc/loadavg)
      out=$(java "$ROOT/bench/WriteFloor.java" --viewers 200 --fps 30 --seconds 10 --threads 2 | grep '^{')
      echo "{\"relay\":\"write(2) loop, 2 threads\",\"scenario\":\"$s\",\"harness\":\"WriteFloor.java\",\"load1\":$load,\"result\":$out}" | tee -a "$RESULTS"
      # the same loop receiving each frame from a camera first, as the relay must: on one connection, or a connection
      # per frame (accept, read to the end, close) — the floor for fanout200-stream and for fanout200
      for ingest in stream conn; do
        load=$(cut -d' ' -f1 /proc/loadavg)
        out=$(java "$ROOT/bench/WriteFloor.java" --viewers 200 --fps 30 --seconds 10 --ingest $ingest | grep '^{')
        echo "{\"relay\":\"write(2) loop, camera $ingest\",\"scenario\":\"$s\",\"harness\":\"WriteFloor.java\",\"load1\":$load,\"result\":$out}" | tee -a "$RESULTS"
      done ;;
    fanout10|fanout200|fanout1000)
      n=${s#fanout}
      run node "$s" --mode conn --fps 30 --seconds 10 --viewers "$n"
      run camrelay "$s" --mode conn --fps 30 --seconds 10 --viewers "$n"
      run camrelay "$s-stream" --mode stream --fps 30 --seconds 10 --viewers "$n"
      # the floor under both camera modes, with the same harness, warm-up and CPU accounting as the relays
      run bare "$s" --mode conn --fps 30 --seconds 10 --viewers "$n"
      run bare "$s-stream" --mode stream --fps 30 --seconds 10 --viewers "$n" ;;
    javabench200)  # the same 200-viewer load, measured by relay-cli's Java harness instead of bench.mjs
      run_javabench node "fanout200" --mode conn --fps 30 --seconds 10 --viewers 200
      run_javabench camrelay "fanout200" --mode conn --fps 30 --seconds 10 --viewers 200 ;;
    trace200)  # needs perf and tracepoints (root)
      if ! command -v perf >/dev/null || { [ ! -e /sys/kernel/tracing/events/syscalls/sys_enter_write ] &&
           [ ! -e /sys/kernel/debug/tracing/events/syscalls/sys_enter_write ]; }; then
        echo "trace200: skipped (needs perf with syscall tracepoints)" >&2; continue
      fi
      run_trace node
      run_trace camrelay ;;
    probe200)
      run_probe node
      run_probe camrelay ;;
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
done

python3 "$ROOT/bench/table.py" "$RESULTS" > "$WORK/results.md"
cat "$WORK/results.md"
