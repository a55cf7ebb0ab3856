#!/usr/bin/env python3
"""A userspace delay link for the bench (this kernel has no netem): two TUN devices, every IP packet read from one is
written to the other DELAY milliseconds later, in order, both directions. TCP runs end to end through it, so the
relay's sockets see the real round-trip time (unlike a TCP proxy, which would acknowledge at once on loopback).

    tundelay.py --delay-ms 25 --dev crd0 --dev crd1     # one-way delay 25 ms: RTT 50 ms

It creates both devices in the current network namespace and prints "ready" once they exist; the caller then moves
one into another namespace (the open file descriptor follows the device), addresses both and shapes them with tc.
Runs until killed. Root only (TUNSETIFF). See bench/netlink.sh.
"""
import argparse
import collections
import fcntl
import os
import selectors
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--delay-ms", type=float, required=True, help="one-way delay added in each direction")
    p.add_argument("--dev", action="append", required=True, help="the two TUN device names")
    a = p.parse_args()
    if len(a.dev) != 2:
        p.error("give exactly two --dev")
    delay = a.delay_ms / 1000.0
    fds = [open_tun(n) for n in a.dev]
    peer = {fds[0]: fds[1], fds[1]: fds[0]}
    # Packets wait here until their time; one FIFO per direction keeps the byte order.
    waiting = {fd: collections.deque() for fd in fds}
    sel = selectors.DefaultSelector()
    for fd in fds:
        sel.register(fd, selectors.EVENT_READ)
    print("ready", flush=True)
    while True:
        now = time.monotonic()
        due = [q[0][0] for q in waiting.values() if q]
        timeout = max(0.0, min(due) - now) if due else None
        for key, _ in sel.select(timeout):
            src = key.fd
            while True:
                try:
                    pkt = os.read(src, 65536)
                except BlockingIOError:
                    break
                waiting[peer[src]].append((time.monotonic() + delay, pkt))
        now = time.monotonic()
        for dst, q in waiting.items():
            while q and q[0][0] <= now:
                try:
                    os.write(dst, q.popleft()[1])
                except (BlockingIOError, OSError):
                    pass  # a full device queue drops the packet, like a router would; TCP retransmits


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
