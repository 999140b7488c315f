#!/usr/bin/env python3
"""Where a step's time went: the self time of each operator in a Chrome trace from LibTorch's profiler
(ft_bench_train with FT_BENCH_PROFILE=FILE), nested calls subtracted from their callers, largest first.

    benchmarks/trace_self_time.py FILE [N]      (N: how many operators to print, default 25)
"""
import collections
import json
import sys


def self_times(events):
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X":
            by_thread[e["tid"]].append(e)
    own, total, calls, top_level = collections.Counter(), collections.Counter(), collections.Counter(), 0.0
    for evs in by_thread.values():
        evs.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []  # (end, [remaining self time], name) of the enclosing calls
        for e in evs:
            while stack and stack[-1][0] <= e["ts"]:
                _, rest, name = stack.pop()
                own[name] += rest[0]
            if stack:
                stack[-1][1][0] -= e["dur"]
            else:
                top_level += e["dur"]
            stack.append((e["ts"] + e["dur"], [e["dur"]], e["name"]))
            total[e["name"]] += e["dur"]
            calls[e["name"]] += 1
        for _, rest, name in stack:
            own[name] += rest[0]
    return own, total, calls, top_level


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    own, total, calls, top_level = self_times(json.load(open(sys.argv[1])))
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    print(f"operators at top level: {top_level / 1000:.0f} ms")
    print(f"{'self ms':>9} {'share':>6} {'incl ms':>9} {'calls':>6}  operator")
    for name, t in own.most_common(count):
        print(f"{t / 1000:9.0f} {100 * t / top_level:5.1f}% {total[name] / 1000:9.0f} {calls[name]:6d}  {name}")


if __name__ == "__main__":
    main()
