#!/bin/sh
# Runs the firmware's host tests and builds the host camera for the Maven end-to-end test.
# Called by Maven (esp32-arduino/pom.xml); works the same by hand: sh esp32-arduino/host/run-tests.sh
set -eu
cd "$(dirname "$0")"
missing=""
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v "${CXX:-g++}" >/dev/null 2>&1 || missing="$missing ${CXX:-g++}"
has_header() { printf '#include <%s>\n' "$1" | "${CXX:-g++}" -x c++ -fsyntax-only - >/dev/null 2>&1; }
has_header openssl/evp.h || missing="$missing libssl-dev"
has_header curl/curl.h || missing="$missing libcurl4-openssl-dev"
has_header avahi-core/core.h || missing="$missing libavahi-core-dev"
if [ -n "$missing" ]; then
  echo "esp32-arduino: the firmware host tests need:$missing (Debian/Ubuntu: apt-get install g++ make libssl-dev libcurl4-openssl-dev libavahi-core-dev)" >&2
  exit 1
fi
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
[ "$jobs" -gt 2 ] && jobs=2
make -s -j"$jobs" host-cam
make -s -j"$jobs" test
