"""Measures how long camrelay itself takes to hand a frame to every viewer, from kernel syscall tracepoints.

    perf record -e 'syscalls:sys_exit_read,syscalls:sys_enter_write,syscalls:sys_exit_write,syscalls:sys_enter_writev,syscalls:sys_exit_writev' \
        -p <relay pid> -o fan.data -- sleep 4          # while a bench runs
    perf script -i fan.data -F tid,time,event,trace | python3 bench/fanout_trace.py

A frame's fan-out is a burst of large writes or writevs (>= 1 KB written) on one thread, bursts separated by >= 5 ms. For each burst it
reports: ingest = from the end of the last read on that thread before the burst (the camera's bytes, the frame
ends in it) to the start of the first write; fanout = from the start of the first write to the end of the last
one (every viewer's socket has the frame). The viewer written last waits ingest + fanout inside the relay; the
kernel delivery to the viewer and the viewer's own wake-up come on top, for any relay.
"""
import re
import sys

LINE = re.compile(r"^\s*(\d+)\s+([\d.]+):\s+syscalls:(sys_enter|sys_exit)_(read|writev|write):\s*(.*)$")

events = []
for line in sys.stdin:
    m = LINE.match(line)
    if m:
        events.append((int(m.group(1)), float(m.group(2)), m.group(3), m.group(4), m.group(5)))

bursts = []          # (ingest_s, fanout_s, writes)
by_tid = {}
for tid, t, kind, call, rest in events:
    st = by_tid.setdefault(tid, {"last_read_exit": None, "burst": None, "enter": None})
    if call == "read" and kind == "sys_exit":
        st["last_read_exit"] = t
    elif kind == "sys_enter":
        st["enter"] = t
    elif kind == "sys_exit":
        try:
            n = int(rest.strip(), 16)
        except ValueError:
            continue
        if st["enter"] is None or n < 1024:
            continue
        t_enter = st["enter"]
        b = st["burst"]
        if b is None or t_enter - b["end"] > 0.005:
            if b is not None:
                bursts.append(b)
            b = {"start": t_enter, "end": t, "n": 0, "read": st["last_read_exit"]}
            st["burst"] = b
        b["end"] = t
        b["n"] += 1
for st in by_tid.values():
    if st["burst"]:
        bursts.append(st["burst"])

full = [b for b in bursts if b["n"] >= 0.9 * max(b2["n"] for b2 in bursts)] if bursts else []
if not full:
    print("no bursts found")
    sys.exit(1)
fan = sorted(b["end"] - b["start"] for b in full)
ing = sorted(b["start"] - b["read"] for b in full if b["read"] is not None and b["start"] - b["read"] < 0.1)
pct = lambda a, p: a[min(len(a) - 1, int(p * len(a)))] * 1000
total = sorted((b["end"] - b["read"]) for b in full if b["read"] is not None and b["start"] - b["read"] < 0.1)
if "--json" in sys.argv:
    import json
    r = lambda a, p: round(pct(a, p), 2)
    print(json.dumps({"bursts": len(full), "writes_per_burst": max(b["n"] for b in full),
                      "fanout_ms": {"p50": r(fan, .5), "p99": r(fan, .99), "max": round(fan[-1] * 1000, 2)},
                      "in_relay_last_viewer_ms": {"p50": r(total, .5), "p99": r(total, .99),
                                                  "max": round(total[-1] * 1000, 2)} if total else None}))
    sys.exit(0)
print("bursts %d, writes per burst %d" % (len(full), max(b["n"] for b in full)))
print("fan-out ms (first write start -> last write end): p50 %.2f p99 %.2f max %.2f" % (pct(fan, .5), pct(fan, .99), fan[-1] * 1000))
if ing:
    print("ingest ms (last camera read -> first write):      p50 %.2f p99 %.2f max %.2f" % (pct(ing, .5), pct(ing, .99), ing[-1] * 1000))
    print("in relay, last viewer (read -> last write end):   p50 %.2f p99 %.2f max %.2f" % (pct(total, .5), pct(total, .99), total[-1] * 1000))
