"""Turns bench/compare.sh's results.jsonl into the Markdown table the README shows."""
import json
import sys

COLUMNS = [
    ("scenario", lambda r: r["scenario"]),
    ("relay", lambda r: r["relay"]),
    ("viewers", lambda r: r["result"]["viewers"]),
    ("sent fps", lambda r: r["result"]["sent_fps"]),
    ("delivered", lambda r: pct(r["result"]["delivered"])),
    ("fps/viewer", lambda r: r["result"]["delivered_fps_per_viewer"]),
    ("lat p50 ms", lambda r: r["result"]["lat_ms"]["p50"]),
    ("lat p99 ms", lambda r: r["result"]["lat_ms"]["p99"]),
    ("slow fps", lambda r: r["result"]["slow_fps_per_viewer"]),
    ("slow lat p50/max ms", lambda r: "%s / %s" % (r["result"]["slow_lat_ms"]["p50"], r["result"]["slow_lat_ms"]["max"])),
    ("corrupt", lambda r: r["result"]["corrupt"]),
    ("CPU s/GB", lambda r: r["result"]["relay_cpu_s_per_gb"]),
    ("RSS MB peak", lambda r: r["result"]["relay_rss_mb"]["peak"]),
]


def pct(x):
    return "-" if x is None else "%.1f%%" % (x * 100)


rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print("| " + " | ".join(name for name, _ in COLUMNS) + " |")
print("|" + "---|" * len(COLUMNS))
for r in rows:
    cells = []
    for _, get in COLUMNS:
        try:
            v = get(r)
        except (KeyError, TypeError):
            v = "-"
        cells.append("-" if v is None else str(v))
    print("| " + " | ".join(cells) + " |")
