#!/usr/bin/env python3
"""Writes a synthetic, fictional OpenStreetMap XML city for the `map import` benchmark.

    python3 Benchmarks/osm/generate_osm.py --mb 50 -o /tmp/city50.osm

A grid of streets (3 shape nodes between intersections), one-way streets, several
maxspeed notations, footways, buildings with addresses, cameras, parks, a police
station in the middle. Deterministic: the same arguments give the same bytes.
Nothing here is real; do not commit the output (it is large).
"""
import argparse
import math
import random

ap = argparse.ArgumentParser()
ap.add_argument("--mb", type=float, default=50, help="approximate size in MB")
ap.add_argument("-o", "--output", required=True)
ap.add_argument("--seed", type=int, default=1)
args = ap.parse_args()
rnd = random.Random(args.seed)

# About 1.7 KB of XML per grid cell (nodes, ways, building, address).
G = max(4, int(math.sqrt(args.mb * 1000 * 1000 / 1600)))
LAT0, LON0, STEP = 29.50, 106.50, 0.0009  # about 100 m blocks
SPEEDS = ["30", "40", "50 km/h", "25 mph", "RU:urban", "none", "walk", "DE:zone30", "60;40"]

out = open(args.output, "w", encoding="utf-8")
w = out.write
w('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="watchroom generate_osm.py">\n')
w(f'  <bounds minlat="{LAT0 - STEP:.7f}" minlon="{LON0 - STEP:.7f}" maxlat="{LAT0 + G * STEP:.7f}" maxlon="{LON0 + G * STEP:.7f}"/>\n')

nid = 0
def node(lat, lon, tags=()):
    global nid
    nid += 1
    if tags:
        w(f'  <node id="{nid}" version="1" lat="{lat:.7f}" lon="{lon:.7f}">\n')
        for k, v in tags:
            w(f'    <tag k="{k}" v="{v}"/>\n')
        w('  </node>\n')
    else:
        w(f'  <node id="{nid}" version="1" timestamp="2024-01-01T00:00:00Z" lat="{lat:.7f}" lon="{lon:.7f}"/>\n')
    return nid

grid = [[node(LAT0 + r * STEP, LON0 + c * STEP) for c in range(G)] for r in range(G)]
# Shape nodes between neighbours, slightly off the straight line.
east = {}
north = {}
for r in range(G):
    for c in range(G):
        if c + 1 < G:
            east[r, c] = [node(LAT0 + r * STEP + rnd.uniform(-4e-5, 4e-5), LON0 + (c + k / 4) * STEP) for k in (1, 2, 3)]
        if r + 1 < G:
            north[r, c] = [node(LAT0 + (r + k / 4) * STEP, LON0 + c * STEP + rnd.uniform(-4e-5, 4e-5)) for k in (1, 2, 3)]
# Buildings (4 nodes each) and cameras.
buildings = []
for r in range(G - 1):
    for c in range(G - 1):
        la, lo = LAT0 + (r + 0.3) * STEP, LON0 + (c + 0.3) * STEP
        d = STEP * 0.3
        buildings.append((r, c, [node(la, lo), node(la, lo + d), node(la + d, lo + d), node(la + d, lo)]))
        if (r * G + c) % 7 == 0:
            node(LAT0 + (r + 0.05) * STEP, LON0 + (c + 0.05) * STEP,
                 [("man_made", "surveillance"), ("surveillance:type", "camera"), ("camera:type", rnd.choice(["fixed", "dome", "panning"])),
                  ("camera:direction", str(rnd.randrange(0, 360, 15))), ("name", f"摄像头 {r}-{c}")])

wid = 0
def way(refs, tags):
    global wid
    wid += 1
    w(f'  <way id="{wid}" version="1">\n')
    for ref in refs:
        w(f'    <nd ref="{ref}"/>\n')
    for k, v in tags:
        w(f'    <tag k="{k}" v="{v}"/>\n')
    w('  </way>\n')
    return wid

def street_tags(kind, i):
    cls = "primary" if i % 10 == 0 else "secondary" if i % 5 == 0 else "residential"
    t = [("highway", cls), ("name", f"第{i}{kind}"), ("name:en", f"{kind == '街' and 'Street' or 'Road'} No. {i} &amp; Co")]
    if i % 4 == 1:
        t.append(("oneway", "yes" if i % 8 == 1 else "-1"))
    t.append(("maxspeed", SPEEDS[i % len(SPEEDS)]))
    return t

# Rows (east-west) and columns, split into ways of 8 blocks.
for r in range(G):
    for c0 in range(0, G - 1, 8):
        refs = [grid[r][c0]]
        for c in range(c0, min(c0 + 8, G - 1)):
            refs += east[r, c] + [grid[r][c + 1]]
        way(refs, street_tags("街", r))
for c in range(G):
    for r0 in range(0, G - 1, 8):
        refs = [grid[r0][c]]
        for r in range(r0, min(r0 + 8, G - 1)):
            refs += north[r, c] + [grid[r + 1][c]]
        way(refs, street_tags("路", c))
for r, c, b in buildings:
    tags = [("building", "yes"), ("addr:housenumber", str(c * 2 + 1)), ("addr:street", f"第{r}街")]
    if (r + c) % 13 == 0:
        tags = [("leisure", "park"), ("name", f"公园 {r}-{c}")]
    if r == G // 2 and c == G // 2:
        tags = [("amenity", "police"), ("building", "yes"), ("name", "示例派出所"), ("name:en", "Example Police Station")]
    way(b + [b[0]], tags)
w('</osm>\n')
out.close()
