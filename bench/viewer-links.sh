#!/usr/bin/env bash
# Viewers on fast, long and slow links (issue 13, goal 2: fresh and fast at once), each run once with the old fixed
# 32 KiB viewer send buffer (--viewer-send-buffer 32KiB) and once with the adaptive one (the default):
#
#   loopback2mb  2 MB JPEGs at 15 fps on loopback: WS_VIEWERS WebSocket viewers (camrelay bench) and one MJPEG
#                viewer (curl, parts counted)
#   rtt50        35 KB JPEGs at 30 fps; the camera on loopback, LONG_VIEWERS WebSocket viewers in a network namespace
#                behind a 20 Mbit/s link with 50 ms RTT (tbf + bench/tundelay.py, 25 ms each way)
#   rtt50-80k    the same link, 80 KB JPEGs at 25 fps (16 Mbit/s): where a fixed buffer / RTT is below the stream
#   slowlink     35 KB JPEGs at 30 fps for SLOW_SECONDS; 9 viewers on loopback, 1 in the namespace behind a link at
#                half the stream's bitrate (tbf, 1 ms each way)
#
#   sudo bench/viewer-links.sh
#   SCENARIOS=rtt50 MODES=adaptive SECONDS_PER_RUN=20 sudo bench/viewer-links.sh
#
# The kernel here has no netem, so the delay is a userspace link: tundelay.py forwards IP packets between two TUN
# devices (one moved into the namespace) after the delay, so TCP runs end to end and the relay's sockets see the real
# RTT; tbf on the relay's side shapes the rate. All traffic stays on loopback or in that namespace (the relay binds
# 10.77.0.1, a point-to-point address that exists only here). Needs root, tc, ffmpeg, curl.
# Results: one JSON line per run in target/bench/links/results.jsonl, a Markdown table in results.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/target/bench/links
JAR=$ROOT/relay-cli/target/camrelay.jar
SCENARIOS=${SCENARIOS:-"loopback2mb rtt50 rtt50-80k slowlink"}
MODES=${MODES:-"fixed32k adaptive"}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
SLOW_SECONDS=${SLOW_SECONDS:-60}
WS_VIEWERS=${WS_VIEWERS:-4}
LONG_VIEWERS=${LONG_VIEWERS:-1}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC -Xms32m -Xmx256m -XX:TieredStopAtLevel=1"}
PY=$(command -v /usr/bin/python3 || command -v python3)
NS=crlinks-$$
HOST=10.77.0.1 PEER=10.77.0.2 DEV0=crl0-$$ DEV1=crl1-$$
PORTS="--tcp-port 13008 --ws-port 13009 --http-port 13010"
mkdir -p "$WORK"
[ "$(id -u)" = 0 ] || { echo "needs root (ip netns, tc, TUN devices)" >&2; exit 1; }
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -ntp -q -pl relay-cli -am package -DskipTests)

frames() {  # $1 dir, $2 size, $3 extra ffmpeg filter: 60 JPEGs
  [ -d "$1" ] && return 0
  mkdir -p "$1"
  ffmpeg -loglevel error -f lavfi -i "$3" -frames:v 60 -c:v mjpeg -q:v "$2" "$1/f%03d.jpg"
}
frames "$WORK/frames35k" 4 "testsrc2=size=800x600:rate=30"
frames "$WORK/frames80k" 2 "testsrc2=size=1280x960:rate=30"
frames "$WORK/frames2mb" 2 "nullsrc=s=1800x1200,geq=lum='random(1)*255':cb='random(2)*255':cr=128"

RELAY_PID="" LINK_PID=""
cleanup() {
  [ -n "$RELAY_PID" ] && kill "$RELAY_PID" 2>/dev/null || true
  [ -n "$LINK_PID" ] && kill "$LINK_PID" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  ip link del "$DEV0" 2>/dev/null || true
}
trap cleanup EXIT

link_up() {  # $1 one-way delay ms, $2 rate (tc syntax), $3 tbf queue latency: relay side 10.77.0.1, namespace 10.77.0.2
  "$PY" "$ROOT/bench/tundelay.py" --delay-ms "$1" --dev "$DEV0" --dev "$DEV1" > "$WORK/tundelay.log" 2>&1 &
  LINK_PID=$!
  for _ in $(seq 1 100); do grep -q ready "$WORK/tundelay.log" 2>/dev/null && break; sleep 0.1; done
  # A link emulator must not wait behind the JVMs for a CPU on a busy 2-core box.
  chrt -f -p 50 "$LINK_PID" >/dev/null 2>&1 || true
  ip netns add "$NS"
  ip link set "$DEV1" netns "$NS"
  ip addr add "$HOST" peer "$PEER" dev "$DEV0"; ip link set "$DEV0" up
  ip netns exec "$NS" ip addr add "$PEER" peer "$HOST" dev "$DEV1"
  ip netns exec "$NS" ip link set "$DEV1" up; ip netns exec "$NS" ip link set lo up
  tc qdisc add dev "$DEV0" root tbf rate "$2" burst 16kb latency "$3"
}
link_down() { kill "$LINK_PID" 2>/dev/null || true; wait "$LINK_PID" 2>/dev/null || true; LINK_PID=""
  ip netns del "$NS" 2>/dev/null || true; ip link del "$DEV0" 2>/dev/null || true; }

start_relay() {  # $1 bind address, $2 mode
  local extra=""; [ "$2" = fixed32k ] && extra="--viewer-send-buffer 32KiB"
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" --bind "$1" $PORTS -q $extra > "$WORK/relay.log" 2>&1 &
  RELAY_PID=$!
  # The HTTP port opens last.
  for _ in $(seq 1 150); do bash -c "exec 3<>/dev/tcp/$1/13010" 2>/dev/null && return 0; sleep 0.1; done
  echo "relay did not start" >&2; cat "$WORK/relay.log" >&2; exit 1
}
stop_relay() { kill "$RELAY_PID" 2>/dev/null || true; wait "$RELAY_PID" 2>/dev/null || true; RELAY_PID=""; }

bench() {  # [ns] camrelay bench args...: its JSON line
  local pre=""; if [ "$1" = ns ]; then pre="ip netns exec $NS"; shift; fi
  # shellcheck disable=SC2086
  $pre java $JAVA_OPTS -jar "$JAR" bench -q --json "$@" | grep '^{' | tail -1
}

record() {  # $1 scenario, $2 mode, $3 what, $4 JSON
  echo "{\"scenario\":\"$1\",\"mode\":\"$2\",\"who\":\"$3\",\"load1\":$(cut -d' ' -f1 /proc/loadavg),\"result\":$4}" \
    | tee -a "$WORK/results.jsonl"
}

RESULTS=$WORK/results.jsonl
: > "$RESULTS"
for s in $SCENARIOS; do
  for m in $MODES; do
    case "$s" in
      loopback2mb)
        start_relay 127.0.0.1 "$m"
        curl -s -N "http://127.0.0.1:13010/cam/default/stream.mjpeg?advance=0" \
          > >(grep -a -c -i "^content-type: image/jpeg" > "$WORK/mjpeg-parts") &
        curl_pid=$!
        out=$(bench --tcp 127.0.0.1:13008 --ws ws://127.0.0.1:13009/ --frames "$WORK/frames2mb" --mode stream \
          --fps 15 --seconds "$SECONDS_PER_RUN" --viewers "$WS_VIEWERS" --pid "$RELAY_PID")
        kill "$curl_pid" 2>/dev/null || true; sleep 1
        record "$s" "$m" "ws viewers" "$out"
        parts=$(cat "$WORK/mjpeg-parts")
        sent=$(echo "$out" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["sent"])')
        record "$s" "$m" "mjpeg viewer (curl)" \
          "{\"parts\":$parts,\"sent\":$sent,\"fps\":$(awk "BEGIN{print $parts/$SECONDS_PER_RUN}")}"
        stop_relay ;;
      rtt50|rtt50-80k)
        if [ "$s" = rtt50 ]; then dir=frames35k fps=30; else dir=frames80k fps=25; fi
        link_up 25 20mbit 50ms
        start_relay "$HOST" "$m"
        bench --tcp "$HOST:13008" --viewers 0 --frames "$WORK/$dir" --mode stream --fps "$fps" \
          --seconds $((SECONDS_PER_RUN + 6)) > /dev/null &
        cam=$!
        sleep 1
        out=$(bench ns --viewer-only --ws "ws://$HOST:13009/" --viewers "$LONG_VIEWERS" --seconds "$SECONDS_PER_RUN")
        wait "$cam" || true
        record "$s" "$m" "viewers behind 20 Mbit/s, 50 ms RTT" "$out"
        stop_relay; link_down ;;
      slowlink)
        avg=$(du -cb "$WORK"/frames35k/*.jpg | tail -1 | cut -f1); n=$(ls "$WORK"/frames35k/*.jpg | wc -l)
        kbit=$(( avg / n * 30 * 8 / 2 / 1000 ))
        link_up 1 "${kbit}kbit" 100ms
        start_relay "$HOST" "$m"
        bench --tcp "$HOST:13008" --ws "ws://$HOST:13009/" --viewers 9 --frames "$WORK/frames35k" --mode stream \
          --fps 30 --seconds $((SLOW_SECONDS + 6)) > "$WORK/slowlink-fast.json" &
        cam=$!
        sleep 1
        out=$(bench ns --viewer-only --ws "ws://$HOST:13009/" --viewers 1 --seconds "$SLOW_SECONDS")
        wait "$cam" || true
        record "$s" "$m" "slow viewer (${kbit} kbit/s, half the stream)" "$out"
        record "$s" "$m" "9 loopback viewers" "$(grep '^{' "$WORK/slowlink-fast.json" | tail -1)"
        stop_relay; link_down ;;
      *) echo "unknown scenario $s" >&2; exit 2 ;;
    esac
  done
done

"$PY" - "$RESULTS" > "$WORK/results.md" <<'EOF'
import json, sys
print("| scenario | send buffer | viewers | fps/viewer | lat p50 / p90 / max ms | load |")
print("|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    r = json.loads(line); x = r["result"]
    if "parts" in x:
        print(f"| {r['scenario']} | {r['mode']} | {r['who']} | {x['fps']:.1f} ({x['parts']} of {x['sent']} frames) "
              f"| — | {r['load1']} |"); continue
    lat = x.get("lat_ms") or {}
    if x["mode"] == "viewer-only":
        # A viewer-only bench counts frames for 1.5 s after its window (the camera still sends): scale to the window.
        k = x["elapsed_s"] / (x["elapsed_s"] + 1.5)
        fps = f"{x['delivered_fps_per_viewer'] * k:.1f} (min {x['viewer_fps_min'] * k:.1f})"
    else:
        fps = (f"{x['delivered_fps_per_viewer']} (min {x['viewer_fps_min']}; camera sent {x['sent_fps']}, "
               f"{x['delivered'] * 100:.0f}% delivered)")
    print(f"| {r['scenario']} | {r['mode']} | {r['who']} | {fps} "
          f"| {lat.get('p50')} / {lat.get('p90')} / {lat.get('max')} | {r['load1']} |")
EOF
cat "$WORK/results.md"
