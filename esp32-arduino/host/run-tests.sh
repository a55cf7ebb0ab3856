#!/bin/sh
# Runs the firmware's host tests and builds the host camera for the Maven end-to-end test.
# Called by Maven (esp32-arduino/pom.xml); works the same by hand: sh esp32-arduino/host/run-tests.sh
set -eu
cd "$(dirname "$0")"
missing=""
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v "${CXX:-g++}" >/dev/null 2>&1 || missing="$missing ${CXX:-g++}"
if ! printf '#include <openssl/evp.h>\n' | "${CXX:-g++}" -x c++ -fsyntax-only - >/dev/null 2>&1; then
  missing="$missing OpenSSL-headers"
fi
if [ -n "$missing" ]; then
  echo "esp32-arduino: the firmware host tests need:$missing (Debian/Ubuntu: apt-get install g++ make libssl-dev)" >&2
  exit 1
fi
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
[ "$jobs" -gt 2 ] && jobs=2
make -s -j"$jobs" host-cam
make -s -j"$jobs" test
