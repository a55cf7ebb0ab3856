#!/usr/bin/env bash
# Builds the relay jar if missing and prepares the peer harness (../shared/bench: seed-relay.mjs, bench.mjs and its
# `ws` package) and 60 test frames (800x600, ~35 KB) under target/bench/peer. Used by compare.sh and memory.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEER_SRC=${PEER_SRC:-$ROOT/../shared/bench}
WORK=$ROOT/target/bench
JAR=$ROOT/relay-cli/target/camrelay.jar
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
