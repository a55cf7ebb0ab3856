#!/usr/bin/env python3
"""Turns bench/cluster.sh's results.jsonl into the Markdown rows of the README's cluster results table.

Latency: the two probes ran in the camera's process (one clock), so "remote minus local" is exact; the 50 remote
viewers ran in their own process, whose clock may differ from the camera's by up to ~1 ms. Bus bytes: nats-server
/varz deltas over the measured run divided by the frames the camera sent; one node (B) was interested. Capacity: a
step serves its viewers when every part got >= 95% of the frames sent and p99 latency stayed under --lat-limit.
"""
import argparse
import json
import sys


def num(v, fmt="{:.2f}"):
    return "-" if v is None else fmt.format(v)


def lat(o, key):
    return None if o is None else (o.get("lat_ms") or {}).get(key)


def viewer_only_fraction(part, sent):
    """Frames per viewer over frames sent, for a --viewer-only part (its own run is longer than the camera's)."""
    if not part or not sent or part.get("delivered_fps_per_viewer") is None:
        return None
    return part["delivered_fps_per_viewer"] * part["elapsed_s"] / sent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fps", type=float, default=30)
    ap.add_argument("--lat-limit", type=float, default=200)
    ap.add_argument("results")
    args = ap.parse_args()
    runs = [json.loads(line) for line in open(args.results) if line.strip()]
    out = []
    lat_run = next((r for r in runs if r["run"] == "latency-measured"), None)
    if lat_run:
        cam = lat_run["camera"]
        probes = cam.get("probes", [])
        local = probes[0] if len(probes) > 0 else None
        remote_probe = probes[1] if len(probes) > 1 else None
        sent = cam.get("sent") or 0
        frame_bytes = cam["bytes_sent"] / sent if sent else None
        before, after = lat_run["varz_before"], lat_run["varz_after"]
        d = {k: after[k] - before[k] for k in ("in_bytes", "out_bytes", "in_msgs", "out_msgs")}
        interested = 1
        per_frame = d["out_bytes"] / sent / interested if sent else None
        viewers = lat_run["remote"]
        frac = viewer_only_fraction(viewers, sent)

        def diff(key):
            a, b = lat(local, key), lat(remote_probe, key)
            return None if a is None or b is None else b - a

        out.append("| measure (%s s at %g fps, frames ~%s KB, %d remote viewers; load1 %s) | value |" % (
            cam["seconds"], args.fps, num(frame_bytes / 1000 if frame_bytes else None, "{:.0f}"),
            lat_run["remote_viewers"], lat_run["load1"]))
        out.append("|---|---|")
        out.append("| local viewer (node A) latency p50 / p99 ms | %s / %s |" % (num(lat(local, "p50")),
                                                                             num(lat(local, "p99"))))
        out.append("| remote viewer (node B) latency p50 / p99 ms | %s / %s |" % (num(lat(remote_probe, "p50")),
                                                                              num(lat(remote_probe, "p99"))))
        out.append("| **extra latency of a remote viewer p50 / p99 ms** | **%s / %s** |" % (num(diff("p50")),
                                                                                       num(diff("p99"))))
        out.append("| %d remote viewers: latency p50 / p99 ms (own clock), frames received | %s / %s, %s |" % (
            lat_run["remote_viewers"], num(lat(viewers, "p50")), num(lat(viewers, "p99")),
            num(frac * 100 if frac is not None else None, "{:.1f}%")))
        out.append("| **bus bytes per frame per interested node** (nats out; frame ~%s B) | **%s** |" % (
            num(frame_bytes, "{:.0f}"), num(per_frame, "{:.0f}")))
        out.append("| bus bytes per frame into nats-server (from node A) | %s |" % num(
            d["in_bytes"] / sent if sent else None, "{:.0f}"))
        out.append("| nats messages per frame in / out | %s / %s |" % (
            num(d["in_msgs"] / sent if sent else None), num(d["out_msgs"] / sent if sent else None)))
    served = {1: 0, 2: 0}
    tried = {1: 0, 2: 0}
    steps = []
    for r in (r for r in runs if r["run"] == "capacity"):
        parts = [p for p in r["parts"] if p]
        cam = parts[0] if parts else None
        sent = cam.get("sent") if cam else None
        fractions = [cam.get("delivered") if cam else None] + [viewer_only_fraction(p, sent) for p in parts[1:]]
        p99s = [lat(p, "p99") for p in parts]
        ok = (len(parts) == r["nodes"] and all(f is not None and f >= 0.95 for f in fractions)
              and all(p is not None and p <= args.lat_limit for p in p99s))
        tried[r["nodes"]] = max(tried[r["nodes"]], r["viewers"])
        if ok:
            served[r["nodes"]] = max(served[r["nodes"]], r["viewers"])
        steps.append("| %d | %d | %s | %s | %s | %s |" % (
            r["nodes"], r["viewers"], " + ".join(num(f * 100 if f is not None else None, "{:.1f}%") for f in fractions),
            " + ".join(num(p) for p in p99s), "yes" if ok else "no", r["load1"]))
    if steps:
        def most(n):  # the largest step tried was served: the limit lies above it
            return (">= %d" if served[n] and served[n] == tried[n] else "%d") % served[n]

        out.append("| **viewers served, 1 node / 2 nodes** (>= 95%% of frames, p99 <= %g ms) | **%s / %s** |" % (
            args.lat_limit, most(1), most(2)))
        out.append("")
        out.append("| nodes | viewers | frames received (node A + node B) | p99 ms (A + B) | served | load1 |")
        out.append("|---|---|---|---|---|---|")
        out.extend(steps)
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
