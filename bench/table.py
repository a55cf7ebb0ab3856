"""Turns bench/compare.sh's results.jsonl into the Markdown table the README shows."""
import json
import sys


def pct(x):
    return "-" if x is None else "%.1f%%" % (x * 100)


def sys_share(r):
    u, s = r.get("relay_user_s_total"), r.get("relay_sys_s_total")
    if u is None or s is None or u + s == 0:
        return None
    return "%d%%" % round(100 * s / (u + s))


def floor_only(get):
    """Columns a bare write loop (scenario 'floor') has no value for."""
    return lambda r: None if r["scenario"] == "floor" else get(r)


COLUMNS = [
    ("scenario", lambda r: r["scenario"]),
    ("relay", lambda r: r["relay"]),
    ("harness", lambda r: r.get("harness", "bench.mjs")),
    ("load", lambda r: r.get("load1")),
    ("viewers", lambda r: r["result"]["viewers"]),
    ("sent fps", floor_only(lambda r: r["result"]["sent_fps"])),
    ("delivered", floor_only(lambda r: pct(r["result"]["delivered"]))),
    ("fps/viewer", floor_only(lambda r: r["result"]["delivered_fps_per_viewer"])),
    ("lat p50 ms", floor_only(lambda r: r["result"]["lat_ms"]["p50"])),
    ("lat p99 ms", floor_only(lambda r: r["result"]["lat_ms"]["p99"])),
    ("lat max ms", floor_only(lambda r: r["result"]["lat_ms"]["max"])),
    ("slow fps", floor_only(lambda r: r["result"]["slow_fps_per_viewer"])),
    ("slow lat p50/max ms", floor_only(lambda r: None if r["result"]["slow_lat_ms"]["p50"] is None else
                                      "%s / %s" % (r["result"]["slow_lat_ms"]["p50"], r["result"]["slow_lat_ms"]["max"]))),
    ("corrupt", floor_only(lambda r: r["result"]["corrupt"])),
    ("untagged", floor_only(lambda r: r["result"]["untagged"])),
    ("GB", lambda r: r["result"]["delivered_gb"]),
    ("CPU s", lambda r: r["result"]["relay_cpu_s"] if r["scenario"] != "floor" else r["result"]["writer_cpu_s"]),
    ("CPU s/GB", lambda r: r["result"]["relay_cpu_s_per_gb"] if r["scenario"] != "floor" else r["result"]["cpu_s_per_gb"]),
    ("kernel share", lambda r: sys_share(r) if r["scenario"] != "floor" else
     "%d%%" % round(100 * r["result"]["writer_sys_s"] / r["result"]["writer_cpu_s"])),
    ("RSS MB peak", floor_only(lambda r: r["result"]["relay_rss_mb"]["peak"])),
]

FANOUT = [
    ("relay", lambda r: r["relay"]),
    ("measured by", lambda r: r.get("harness")),
    ("load", lambda r: r.get("load1")),
    ("viewers", lambda r: r["result"]["viewers"]),
    ("fan-out p50 ms", lambda r: (r.get("trace") or {}).get("fanout_ms", {}).get("p50", r["result"].get("fanout_ms", {}).get("p50"))),
    ("fan-out p99 ms", lambda r: (r.get("trace") or {}).get("fanout_ms", {}).get("p99", r["result"].get("fanout_ms", {}).get("p99"))),
    ("camera read to last viewer's write, p50 / p99 ms", lambda r: "%s / %s" % (r["trace"]["in_relay_last_viewer_ms"]["p50"], r["trace"]["in_relay_last_viewer_ms"]["p99"])),
]


def table(columns, rows):
    print("| " + " | ".join(name for name, _ in columns) + " |")
    print("|" + "---|" * len(columns))
    for r in rows:
        cells = []
        for _, get in columns:
            try:
                v = get(r)
            except (KeyError, TypeError, AttributeError):
                v = None
            cells.append("-" if v is None else str(v))
        print("| " + " | ".join(cells) + " |")


rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
table(COLUMNS, [r for r in rows if r["scenario"] != "trace200"])
fan = [r for r in rows if r["scenario"] in ("trace200", "floor")]
if any(r["scenario"] == "trace200" for r in fan):
    print()
    print("Time for one frame to reach every viewer's socket (the fan-out inside the relay, 200 viewers, 30 fps):")
    print()
    table(FANOUT, fan)
