#!/usr/bin/env python3
"""gen_manifest.py P ENTITIES HOST PORT BROKERS CONNECT_URL: a manifest with P
MySQL pools (databases fxbench_0..P-1 on one server) of ENTITIES captured
entities each, all on one Kafka pool. The password comes from ${BENCH_PW}."""
import sys

P, E = int(sys.argv[1]), int(sys.argv[2])
host, port, brokers, url = sys.argv[3:7]
out = ["version: 1", "mysql:"]
for p in range(P):
    out.append(f"  bench{p}:")
    out.append(f'    dsn: "fluxa_cdc:${{BENCH_PW}}@tcp({host}:{port})/fxbench_{p}"')
    out.append("    flavor: mariadb")
out += ["kafka:", "  default:", f'    brokers: ["{brokers}"]', f'    connect_url: "{url}"', "entities:"]
for p in range(P):
    for e in range(E):
        out.append(f"  Bench{p}_Entity{e}: {{debezium: true, mysql: bench{p}, table: Entity{e}}}")
print("\n".join(out))
