#!/usr/bin/env python3
"""N realistic schemaless Debezium change events as "key<TAB>value" lines (an
empty value is a tombstone, as kcat -Z produces it), for the tail benchmarks:
420 bytes (nothing to decode) or 670 bytes (a column of each type Debezium
encodes).  Usage: gen_events.py N 420|670.  Same seed, same events."""
import base64, json, random, sys
n, size = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(42)
names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
def dec(unscaled):  # precise DECIMAL: big-endian two's complement, minimal
    nb = max(1, (unscaled.bit_length() + 8) // 8)
    return base64.b64encode(unscaled.to_bytes(nb, "big", signed=True)).decode()
def row420(i, v):
    return {"ID": i, "Name": names[i % 8] + str(i), "Balance": "%d.%02d" % (v, i % 100),
            "Active": i % 2, "CreatedAt": 1795514400000 + i}
def row670(i, v):
    return {"ID": i, "Name": names[i % 8] + str(i), "Email": names[i % 8][0] + "@ex.com",
            "Balance": dec(v * 100 + i % 100), "Active": i % 2,
            "CreatedAt": 1795514400000 + i, "Birthday": 7000 + i % 9000,
            "UpdatedAt": "2026-11-30T10:%02d:%02d.%06dZ" % (i % 60, v % 60, i),
            "Status": ["new", "paid", "shipped"][v % 3],
            "Meta": json.dumps({"plan": "pro", "n": v}, separators=(",", ":"))}
row = row420 if size == "420" else row670
src = {"version": "3.2.0.Final", "connector": "mariadb", "name": "fluxa_default",
       "ts_ms": 0, "snapshot": "false", "db": "fluxa", "table": "UserEntity",
       "server_id": 1, "gtid": None, "file": "mariadb-bin.000003", "pos": 0, "row": 0}
out = sys.stdout
k = 0
while k < n:
    i = rnd.randrange(1, 100000)
    r = rnd.random()
    key = '{"ID":%d}' % i
    src["ts_ms"] = 1795514400000 + k
    src["pos"] = 4 + k * 400
    if r < 0.7:
        ev = {"before": row(i, 10), "after": row(i, 11), "op": "u"}
    elif r < 0.9 or size != "420":
        ev = {"before": None, "after": row(i, 10), "op": "c"}
    else:
        ev = {"before": row(i, 11), "after": None, "op": "d"}
    ev["source"] = src
    ev["transaction"] = None
    ev["ts_ms"] = src["ts_ms"] + 7
    out.write(key + "\t" + json.dumps(ev, separators=(",", ":")) + "\n")
    k += 1
    if ev["op"] == "d" and k < n:
        out.write(key + "\t\n")
        k += 1
