#!/usr/bin/env python3
"""keys.py -- compare vnodesim's result.json with a real fio run's JSON, key path by key path.

  keys.py FIO.json OURS.json      every key path of fio's first job (and the top level) must
                                  exist in ours with the same JSON type; exit 1 listing those
                                  missing
  keys.py --fio-plot OURS.json    the key paths fio-plot (louwrentius/fio-plot,
                                  fiolib/jsonparsing.py get_json_mapping) reads must exist

Exceptions (docs/outputs.md, "fio's JSON"):
  jobs/*/job options/*   fio lists the options given to it; vnodesim its effective options
  */bins/*               bucket values are latencies: only "bins" itself must exist
  disk_util/*/aggr_*     fio writes these for md/dm devices only
"""
import json
import sys

FIO_PLOT = ["fio version", "jobs/0/jobname", "jobs/0/job options/iodepth",
            "jobs/0/job options/numjobs", "jobs/0/job options/bs", "jobs/0/job options/rw",
            "jobs/0/latency_ms", "jobs/0/latency_us", "jobs/0/latency_ns", "jobs/0/usr_cpu",
            "jobs/0/sys_cpu"] + [
    "jobs/0/%s/%s" % (d, k) for d in ("read", "write")
    for k in ("bw", "iops", "iops_stddev", "lat_ns/mean", "lat_ns/stddev")]


def kind(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    return type(v).__name__


def paths(node, prefix=""):
    out = {}
    if isinstance(node, dict):
        for k, v in node.items():
            p = prefix + k
            out[p] = kind(v)
            if p.endswith("/job options") or p.endswith("/bins"):
                continue
            out.update(paths(v, p + "/"))
    elif isinstance(node, list) and node:
        out.update(paths(node[0], prefix + "0/"))
    return out


def get(d, path):
    for part in path.split("/"):
        d = d[int(part)] if isinstance(d, list) else d[part]
    return d


def main():
    if sys.argv[1] == "--fio-plot":
        ours = json.load(open(sys.argv[2]))
        bad = []
        for p in FIO_PLOT:
            try:
                get(ours, p)
            except (KeyError, IndexError, TypeError):
                bad.append(p)
        for p in bad:
            print("missing (fio-plot):", p)
        return 1 if bad else 0
    fio = json.load(open(sys.argv[1]))
    ours = json.load(open(sys.argv[2]))
    want, have = paths(fio), paths(ours)
    bad = 0
    for p, k in sorted(want.items()):
        if "/aggr_" in p:
            continue
        if p not in have:
            print("missing:", p)
            bad += 1
        elif have[p] != k and not (k == "float" and have[p] == "int"):
            print("type:", p, "fio", k, "ours", have[p])
            bad += 1
    print("%d key paths of fio's, %d missing or of another type" % (len(want), bad))
    return 1 if bad else 0


sys.exit(main())
