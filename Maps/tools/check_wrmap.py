#!/usr/bin/env python3
"""Independent validator for Watchroom `.wrmap` files (docs/map-format.md, v1).

Standard library only.  Usage:
    python3 Maps/tools/check_wrmap.py FILE.wrmap [--bridge SEGID ...] [--addr-max M]
                                      [--facts] [--route FROM TO]

Reports problems as FILE:LINE:COLUMN: error|warning: message and exits 1 on any
error.  On top of what the spec requires `map check` to report, it is strict
about the things a hand-drawn precinct map tends to get wrong:

  * the car graph (segments whose class/access lets cars in; oneway=yes is one
    arc) must be strongly connected over every node a car segment touches;
  * the foot graph (every segment allowing foot, both ways) must be connected;
  * every node, shape point, camera, address, landmark, the station and every
    area point must lie within the bounds;
  * no segment may cross or enter a `river` or `water` area unless it is a
    bridge: a segment of a street whose name contains 桥 or whose roman name
    contains "Bridge", or one named with --bridge;
  * every address lies within --addr-max metres (default 25) of its street.

With --facts it prints route facts for hand-checked routing tests (see
Maps/tools/README.md); --route A B prints the fastest car route between two
addresses, landmarks or nodes (by id).
"""
import heapq
import math
import sys

CLASSES = ('motorway trunk primary secondary tertiary unclassified residential service '
           'motorway_link trunk_link primary_link secondary_link tertiary_link '
           'living_street pedestrian footway path steps').split()
SPEED = dict(motorway=80, trunk=60, primary=50, secondary=40, tertiary=35,
             unclassified=30, residential=25, service=15, motorway_link=50,
             trunk_link=40, primary_link=30, secondary_link=30, tertiary_link=30,
             living_street=10, pedestrian=0, footway=0, path=0, steps=0)
FOOT_ONLY = {'pedestrian', 'footway', 'path', 'steps'}
CAR_ONLY = {'motorway', 'trunk', 'motorway_link', 'trunk_link'}
WALK = 1.4   # m/s

# kind: (required keys, optional keys); None = header record without id
SCHEMA = {
    'watchroom-map': None,
    'precinct': ({'key', 'name', 'timezone'}, {'roman'}),
    'origin': ({'lat', 'lon'}, set()),
    'bounds': ({'min', 'max'}, set()),
    'node': ({'at'}, {'lat', 'lon'}),
    'street': ({'name', 'class'}, {'roman', 'speed'}),
    'segment': ({'from', 'to'}, {'street', 'class', 'speed', 'oneway', 'access', 'shape'}),
    'station': ({'name', 'at'}, {'roman'}),
    'camera': ({'name', 'at', 'facing', 'fov', 'range'}, {'kind'}),
    'address': ({'street', 'number', 'at'}, {'name'}),
    'landmark': ({'name', 'kind', 'at'}, {'roman'}),
    'area': ({'kind', 'points'}, {'name', 'roman'}),
}
HEADER = {'precinct', 'origin', 'bounds'}
AREA_KINDS = {'river', 'water', 'park', 'square', 'building', 'plaza'}


class Report:
    def __init__(self, path):
        self.path = path
        self.errors = 0
        self.warnings = 0

    def error(self, line, col, msg):
        self.errors += 1
        print('%s:%d:%d: error: %s' % (self.path, line, col, msg))

    def warn(self, line, col, msg):
        self.warnings += 1
        print('%s:%d:%d: warning: %s' % (self.path, line, col, msg))


# ---------------------------------------------------------------------------
# Lexing and parsing
# ---------------------------------------------------------------------------

ESC = {'"': '"', '\\': '\\', 'n': '\n', 't': '\t'}


def tokenize(line, lineno, rep):
    """Split one line into (column, key or None, value) tokens."""
    toks = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in ' \t\r':
            i += 1
            continue
        if c == '#':
            break
        start = i
        key = None
        # bare run up to '=' / whitespace
        j = i
        while j < n and line[j] not in ' \t\r"=#':
            j += 1
        if j < n and line[j] == '=':
            key = line[i:j]
            j += 1
            if j < n and line[j] == '"':
                val, j = read_quoted(line, j, lineno, rep)
                if val is None:
                    return None
            else:
                k = j
                while k < n and line[k] not in ' \t\r"=#':
                    k += 1
                val = line[j:k]
                if k < n and line[k] in '"=':
                    rep.error(lineno, k + 1, 'unexpected %r in value' % line[k])
                    return None
                j = k
            toks.append((start + 1, key, val))
            i = j
        elif c == '"':
            rep.error(lineno, i + 1, 'quoted value without a key')
            return None
        else:
            toks.append((start + 1, None, line[i:j]))
            i = j
            if i < n and line[i] == '"':
                rep.error(lineno, i + 1, 'unexpected quote')
                return None
    return toks


def read_quoted(line, j, lineno, rep):
    out = []
    j += 1
    n = len(line)
    while j < n:
        c = line[j]
        if c == '"':
            return ''.join(out), j + 1
        if c == '\\':
            if j + 1 >= n:
                break
            e = line[j + 1]
            if e in ESC:
                out.append(ESC[e])
                j += 2
                continue
            if e == 'u' and j + 2 < n and line[j + 2] == '{':
                k = line.find('}', j + 3)
                hexs = line[j + 3:k] if k > 0 else ''
                if k > 0 and 1 <= len(hexs) <= 6 and all(h in '0123456789abcdefABCDEF' for h in hexs):
                    cp = int(hexs, 16)
                    if cp <= 0x10FFFF and not (0xD800 <= cp <= 0xDFFF):
                        out.append(chr(cp))
                        j = k + 1
                        continue
            rep.error(lineno, j + 1, 'bad escape')
            return None, j
        out.append(c)
        j += 1
    rep.error(lineno, j, 'unterminated quote')
    return None, j


def is_id(s):
    return bool(s) and all(c.isascii() and (c.isalnum() or c in '_-.:') for c in s)


def num(s):
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def point(s):
    parts = s.split(',')
    if len(parts) != 2:
        return None
    x, y = num(parts[0]), num(parts[1])
    if x is None or y is None:
        return None
    return (x, y)


def points(s):
    out = []
    for tok in s.split():
        p = point(tok)
        if p is None:
            return None
        out.append(p)
    return out


class Rec:
    def __init__(self, kind, rid, kv, line, cols):
        self.kind, self.id, self.kv, self.line, self.cols = kind, rid, kv, line, cols

    def col(self, key):
        return self.cols.get(key, 1)


def parse(path, rep):
    try:
        data = open(path, 'rb').read()
    except OSError as e:
        rep.error(0, 0, 'cannot read: %s' % e)
        return []
    if data.startswith(b'\xef\xbb\xbf'):
        data = data[3:]
    recs = []
    seen_version = False
    for lineno, raw in enumerate(data.split(b'\n'), 1):
        try:
            line = raw.decode('utf-8')
        except UnicodeDecodeError as e:
            rep.error(lineno, e.start + 1, 'invalid UTF-8')
            continue
        toks = tokenize(line, lineno, rep)
        if not toks:
            continue
        col0, key0, kind = toks[0]
        if key0 is not None:
            rep.error(lineno, col0, 'record must start with a kind')
            continue
        if kind not in SCHEMA:
            rep.error(lineno, col0, 'unknown record kind %r' % kind)
            continue
        if kind == 'watchroom-map':
            if seen_version:
                rep.error(lineno, col0, 'repeated watchroom-map record')
            if len(toks) != 2 or toks[1][1] is not None or toks[1][2] != '1':
                rep.error(lineno, col0, 'unsupported or missing version (expected 1)')
            seen_version = True
            continue
        if not seen_version:
            rep.error(lineno, col0, 'record before watchroom-map')
            continue
        rid = None
        rest = toks[1:]
        if kind not in HEADER:
            if not rest or rest[0][1] is not None:
                rep.error(lineno, col0, '%s needs an ID' % kind)
                continue
            rid = rest[0][2]
            if not is_id(rid):
                rep.error(lineno, rest[0][0], 'bad ID %r' % rid)
                continue
            rest = rest[1:]
        req, opt = SCHEMA[kind]
        kv, cols, bad = {}, {}, False
        for col, key, val in rest:
            if key is None:
                rep.error(lineno, col, 'stray token %r' % val)
                bad = True
            elif key not in req and key not in opt:
                rep.error(lineno, col, 'unknown key %r for %s' % (key, kind))
                bad = True
            elif key in kv:
                rep.error(lineno, col, 'repeated key %r' % key)
                bad = True
            else:
                kv[key] = val
                cols[key] = col
        for key in sorted(req - set(kv)):
            rep.error(lineno, col0, '%s is missing %s=' % (kind, key))
            bad = True
        if not bad:
            recs.append(Rec(kind, rid, kv, lineno, cols))
    if not seen_version:
        rep.error(1, 1, 'missing watchroom-map header')
    return recs


# ---------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def plen(pts):
    return sum(dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1))


def proj(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    L2 = dx * dx + dy * dy
    t = 0.0 if L2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / L2))
    return (a[0] + t * dx, a[1] + t * dy)


def proj_poly(p, pts):
    """(distance, arclength of the closest point) on a polyline."""
    best, acc = None, 0.0
    for i in range(len(pts) - 1):
        q = proj(p, pts[i], pts[i + 1])
        d = dist(p, q)
        if best is None or d < best[0]:
            best = (d, acc + dist(pts[i], q))
        acc += dist(pts[i], pts[i + 1])
    return best


def crosses(a, b, c, d):
    def orient(p, q, r):
        v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return 0 if abs(v) < 1e-9 else (1 if v > 0 else -1)
    o1, o2, o3, o4 = orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
    return o1 * o2 < 0 and o3 * o4 < 0


def in_poly(p, poly):
    x, y = p
    inside = False
    for i in range(len(poly)):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % len(poly)]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def hits(pts, poly):
    if any(in_poly(p, poly) for p in pts):
        return True
    # midpoints catch a chord that enters and leaves between two polygon vertices
    if any(in_poly(((pts[i][0] + pts[i + 1][0]) / 2, (pts[i][1] + pts[i + 1][1]) / 2), poly)
           for i in range(len(pts) - 1)):
        return True
    for i in range(len(pts) - 1):
        for j in range(len(poly)):
            if crosses(pts[i], pts[i + 1], poly[j], poly[(j + 1) % len(poly)]):
                return True
    return False


# ---------------------------------------------------------------------------
# The map model
# ---------------------------------------------------------------------------


class Map:
    pass


def build(recs, rep, bridges):
    m = Map()
    m.header = {}
    m.nodes, m.streets, m.segments = {}, {}, {}
    m.stations, m.cameras, m.addresses, m.landmarks, m.areas = {}, {}, {}, {}, {}
    table = {'node': m.nodes, 'street': m.streets, 'segment': m.segments,
             'station': m.stations, 'camera': m.cameras, 'address': m.addresses,
             'landmark': m.landmarks, 'area': m.areas}
    for r in recs:
        if r.kind in HEADER:
            if r.kind in m.header:
                rep.error(r.line, 1, 'repeated %s record' % r.kind)
            m.header[r.kind] = r
            continue
        t = table[r.kind]
        if r.id in t:
            rep.error(r.line, 1, 'duplicate %s ID %r (first on line %d)' % (r.kind, r.id, t[r.id].line))
            continue
        t[r.id] = r

    def need_num(r, key, lo=None, hi=None):
        v = num(r.kv[key])
        if v is None:
            rep.error(r.line, r.col(key), 'malformed number %s=%r' % (key, r.kv[key]))
        elif (lo is not None and v < lo) or (hi is not None and v > hi):
            rep.error(r.line, r.col(key), '%s=%s out of range' % (key, r.kv[key]))
            v = None
        return v

    def need_pt(r, key='at'):
        p = point(r.kv[key])
        if p is None:
            rep.error(r.line, r.col(key), 'malformed point %s=%r' % (key, r.kv[key]))
        return p

    if 'precinct' not in m.header:
        rep.error(1, 1, 'missing precinct record')
    else:
        r = m.header['precinct']
        if not is_id(r.kv['key']):
            rep.error(r.line, r.col('key'), 'precinct key is not an ID')
        tz = r.kv['timezone']
        try:
            import zoneinfo
            zoneinfo.ZoneInfo(tz)
        except Exception:
            rep.error(r.line, r.col('timezone'), 'unknown time zone %r' % tz)
    if 'origin' in m.header:
        r = m.header['origin']
        need_num(r, 'lat', -90, 90)
        need_num(r, 'lon', -180, 180)
    m.bounds = None
    if 'bounds' in m.header:
        r = m.header['bounds']
        lo, hi = need_pt(r, 'min'), need_pt(r, 'max')
        if lo and hi:
            if lo[0] >= hi[0] or lo[1] >= hi[1]:
                rep.error(r.line, 1, 'bounds min must be below max')
            m.bounds = (lo, hi)

    m.npos = {}
    for nid, r in m.nodes.items():
        p = need_pt(r)
        if p:
            m.npos[nid] = p
    for sid, r in m.streets.items():
        if r.kv['class'] not in CLASSES:
            rep.error(r.line, r.col('class'), 'unknown class %r' % r.kv['class'])
        if 'speed' in r.kv:
            need_num(r, 'speed', 0.1, 300)
    m.seg = {}   # id -> dict(a, b, pts, car, foot, oneway, speed, street, bridge, line)
    used_nodes = set()
    seg_count = {s: 0 for s in m.streets}
    for gid, r in m.segments.items():
        ok = True
        for k in ('from', 'to'):
            if r.kv[k] not in m.nodes:
                rep.error(r.line, r.col(k), 'segment %s: unknown node %r' % (gid, r.kv[k]))
                ok = False
        st = r.kv.get('street')
        srec = None
        if st is not None:
            if st not in m.streets:
                rep.error(r.line, r.col('street'), 'segment %s: unknown street %r' % (gid, st))
                ok = False
            else:
                srec = m.streets[st]
                seg_count[st] += 1
        cls = r.kv.get('class') or (srec.kv['class'] if srec else None)
        if cls is None:
            rep.error(r.line, 1, 'segment %s has no class (no street, no class=)' % gid)
            ok = False
        elif cls not in CLASSES:
            rep.error(r.line, r.col('class'), 'unknown class %r' % cls)
            ok = False
        speed = None
        if 'speed' in r.kv:
            speed = need_num(r, 'speed', 0.1, 300)
        elif srec and 'speed' in srec.kv:
            speed = num(srec.kv['speed'])
        ow = r.kv.get('oneway', 'no')
        if ow not in ('yes', 'no'):
            rep.error(r.line, r.col('oneway'), 'oneway must be yes or no')
            ok = False
        acc = r.kv.get('access')
        if acc is not None and acc not in ('all', 'car', 'foot'):
            rep.error(r.line, r.col('access'), 'access must be all, car or foot')
            ok = False
        shape = []
        if 'shape' in r.kv:
            shape = points(r.kv['shape'])
            if shape is None:
                rep.error(r.line, r.col('shape'), 'malformed shape')
                ok = False
        if not ok or r.kv['from'] not in m.npos or r.kv['to'] not in m.npos:
            continue
        a, b = r.kv['from'], r.kv['to']
        used_nodes.update((a, b))
        pts = [m.npos[a]] + shape + [m.npos[b]]
        if a == b and not shape:
            rep.error(r.line, 1, 'segment %s joins %s to itself without a shape' % (gid, a))
            continue
        if plen(pts) <= 0:
            rep.error(r.line, 1, 'segment %s has zero length' % gid)
            continue
        if len(pts) == 2 and plen(pts) > 2000:
            rep.warn(r.line, 1, 'segment %s is over 2 km without shape points' % gid)
        if acc is None:
            acc = 'foot' if cls in FOOT_ONLY else ('car' if cls in CAR_ONLY else 'all')
        if speed is None:
            speed = SPEED[cls]
        car = acc != 'foot' and speed > 0
        if acc != 'foot' and speed <= 0:
            rep.error(r.line, 1, 'segment %s allows cars but has no speed' % gid)
        is_bridge = gid in bridges or (srec is not None and (
            '桥' in srec.kv['name'] or 'bridge' in srec.kv.get('roman', '').lower()))
        m.seg[gid] = dict(a=a, b=b, pts=pts, car=car, foot=acc != 'car', oneway=ow == 'yes',
                          speed=speed, street=st, cls=cls, bridge=is_bridge, line=r.line,
                          length=plen(pts))
    for sid, n in seg_count.items():
        if n == 0:
            rep.warn(m.streets[sid].line, 1, 'street %s has no segments' % sid)
    for nid in m.nodes:
        if nid not in used_nodes:
            rep.warn(m.nodes[nid].line, 1, 'node %s is used by no segment' % nid)

    if len(m.stations) != 1:
        rep.error(1, 1, 'expected exactly one station, found %d' % len(m.stations))
    m.pos = {}
    for kind, t in (('station', m.stations), ('camera', m.cameras),
                    ('address', m.addresses), ('landmark', m.landmarks)):
        for rid, r in t.items():
            p = need_pt(r)
            if p:
                m.pos[(kind, rid)] = p
    for cid, r in m.cameras.items():
        need_num(r, 'facing', 0, 360)
        fov = need_num(r, 'fov', 1, 360)
        rng = need_num(r, 'range', 1, 5000)
        if rng and rng > 500:
            rep.warn(r.line, r.col('range'), 'camera %s range over 500 m' % cid)
        if fov and fov != 360 and r.kv.get('kind') == 'dome':
            rep.warn(r.line, r.col('fov'), 'dome camera %s with fov %s' % (cid, fov))
    for aid, r in m.addresses.items():
        if r.kv['street'] not in m.streets:
            rep.error(r.line, r.col('street'), 'address %s: unknown street %r' % (aid, r.kv['street']))
    m.polys = {}
    for aid, r in m.areas.items():
        if r.kv['kind'] not in AREA_KINDS:
            rep.error(r.line, r.col('kind'), 'unknown area kind %r' % r.kv['kind'])
        pts = points(r.kv['points'])
        if pts is None or len(pts) < 3:
            rep.error(r.line, r.col('points'), 'area %s needs at least 3 points' % aid)
            continue
        m.polys[aid] = pts
    return m


# ---------------------------------------------------------------------------
# Graph checks
# ---------------------------------------------------------------------------


def car_arcs(m):
    arcs = {}
    for gid, s in m.seg.items():
        if not s['car']:
            continue
        t = s['length'] / (s['speed'] / 3.6)
        arcs.setdefault(s['a'], []).append((s['b'], t, s['length'], gid))
        if not s['oneway']:
            arcs.setdefault(s['b'], []).append((s['a'], t, s['length'], gid))
    return arcs


def foot_arcs(m):
    arcs = {}
    for gid, s in m.seg.items():
        if not s['foot']:
            continue
        t = s['length'] / WALK
        arcs.setdefault(s['a'], []).append((s['b'], t, s['length'], gid))
        arcs.setdefault(s['b'], []).append((s['a'], t, s['length'], gid))
    return arcs


def reach(arcs, start):
    seen, stack = {start}, [start]
    while stack:
        u = stack.pop()
        for v, *_ in arcs.get(u, ()):
            if v not in seen:
                seen.add(v)
                stack.append(v)
    return seen


def sccs(nodes, arcs):
    """Tarjan's algorithm, iterative."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(arcs.get(root, ())))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            u, it = work[-1]
            advanced = False
            for v, *_ in it:
                if v not in index:
                    index[v] = low[v] = counter[0]
                    counter[0] += 1
                    stack.append(v)
                    on.add(v)
                    work.append((v, iter(arcs.get(v, ()))))
                    advanced = True
                    break
                elif v in on:
                    low[u] = min(low[u], index[v])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[u])
            if low[u] == index[u]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == u:
                        break
                out.append(comp)
    return out


def nearest_node(m, p, arcs):
    return min((n for n in m.npos if n in arcs), key=lambda n: dist(m.npos[n], p))


def check_graph(m, rep):
    car = car_arcs(m)
    car_nodes = set()
    for s in m.seg.values():
        if s['car']:
            car_nodes.update((s['a'], s['b']))
    st = next(iter(m.stations.values()), None)
    if car_nodes:
        comps = sccs(sorted(car_nodes), car)
        if len(comps) > 1:
            comps.sort(key=len, reverse=True)
            for c in comps[1:]:
                r = m.nodes[sorted(c)[0]]
                rep.error(r.line, 1, 'car graph not strongly connected: %d node(s) {%s} '
                          'are cut off one way from the rest' % (len(c), ' '.join(sorted(c)[:8])))
        if st and ('station', st.id) in m.pos:
            home = nearest_node(m, m.pos[('station', st.id)], car)
            d = dist(m.npos[home], m.pos[('station', st.id)])
            if d > 150:
                rep.warn(st.line, 1, 'station is %.0f m from the nearest car node' % d)
    foot = foot_arcs(m)
    foot_nodes = set(foot)
    if foot_nodes:
        start = sorted(foot_nodes)[0]
        got = reach(foot, start)
        missing = foot_nodes - got
        if missing:
            r = m.nodes[sorted(missing)[0]]
            rep.error(r.line, 1, 'foot graph not connected: %d node(s) unreachable on foot, e.g. %s'
                      % (len(missing), ' '.join(sorted(missing)[:8])))
    return car, foot


def check_geometry(m, rep, addr_max):
    if m.bounds:
        (x0, y0), (x1, y1) = m.bounds

        def inb(p):
            return x0 - 1e-6 <= p[0] <= x1 + 1e-6 and y0 - 1e-6 <= p[1] <= y1 + 1e-6
        for nid, p in m.npos.items():
            if not inb(p):
                rep.error(m.nodes[nid].line, 1, 'node %s outside the bounds' % nid)
        for gid, s in m.seg.items():
            if not all(inb(p) for p in s['pts']):
                rep.error(s['line'], 1, 'segment %s has shape points outside the bounds' % gid)
        for (kind, rid), p in m.pos.items():
            if not inb(p):
                t = {'station': m.stations, 'camera': m.cameras, 'address': m.addresses,
                     'landmark': m.landmarks}[kind]
                rep.error(t[rid].line, 1, '%s %s outside the bounds' % (kind, rid))
        for aid, pts in m.polys.items():
            if not all(inb(p) for p in pts):
                rep.error(m.areas[aid].line, 1, 'area %s has points outside the bounds' % aid)
    water = [(aid, pts) for aid, pts in m.polys.items()
             if m.areas[aid].kv['kind'] in ('river', 'water')]
    m.bridges = []
    for gid, s in sorted(m.seg.items(), key=lambda kv: kv[1]['line']):
        over = [aid for aid, poly in water if hits(s['pts'], poly)]
        if over and not s['bridge']:
            rep.error(s['line'], 1, 'segment %s crosses water (%s) but is not a bridge'
                      % (gid, ', '.join(over)))
        if over and s['bridge']:
            m.bridges.append((gid, over))
    by_street = {}
    for gid, s in m.seg.items():
        if s['street']:
            by_street.setdefault(s['street'], []).append(s['pts'])
    for aid, r in m.addresses.items():
        p = m.pos.get(('address', aid))
        polys = by_street.get(r.kv['street'])
        if p is None or not polys:
            continue
        d = min(proj_poly(p, pts)[0] for pts in polys)
        if d > 100:
            rep.warn(r.line, 1, 'address %s is %.0f m from its street' % (aid, d))
        if d > addr_max:
            rep.error(r.line, 1, 'address %s is %.1f m from its street (max %g)' % (aid, d, addr_max))
        for wid, poly in water:
            if in_poly(p, poly):
                rep.error(r.line, 1, 'address %s lies in water (%s)' % (aid, wid))


# ---------------------------------------------------------------------------
# Routing for the facts
# ---------------------------------------------------------------------------


def dijkstra(arcs, sources):
    """sources: {node: initial cost}.  Returns dist, prev (node -> (node, segment))."""
    best = dict(sources)
    prev = {}
    heap = [(c, n) for n, c in sources.items()]
    heapq.heapify(heap)
    done = set()
    while heap:
        c, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v, t, _L, gid in arcs.get(u, ()):
            nc = c + t
            if nc < best.get(v, float('inf')) - 1e-9:
                best[v] = nc
                prev[v] = (u, gid)
                heapq.heappush(heap, (nc, v))
    return best, prev


def path_of(prev, sources, n):
    nodes, segs = [n], []
    while n in prev:
        n, g = prev[n]
        nodes.append(n)
        segs.append(g)
    return list(reversed(nodes)), list(reversed(segs))


def node_route(m, arcs, a, b, walk=False):
    best, prev = dijkstra(arcs, {a: 0.0})
    if b not in best:
        return None
    nodes, segs = path_of(prev, {a}, b)
    length = sum(m.seg[g]['length'] for g in segs)
    return dict(time=best[b], length=length, nodes=nodes, segs=segs)


def place_on_street(m, p, street, car):
    """Snap a point to the nearest segment of its street (the spec's rule for
    addresses): returns (segment id, arclength from its `from` node)."""
    best = None
    for gid, s in m.seg.items():
        if s['street'] != street or (car and not s['car']):
            continue
        d, along = proj_poly(p, s['pts'])
        if best is None or d < best[0]:
            best = (d, gid, along)
    return best[1], best[2]


def place_anywhere(m, p, car):
    best = None
    for gid, s in m.seg.items():
        if car and not s['car']:
            continue
        d, along = proj_poly(p, s['pts'])
        if best is None or d < best[0]:
            best = (d, gid, along)
    return best[1], best[2]


def point_route(m, arcs, pa, pb, car=True):
    """Fastest route between two places, each a node id or a point on a segment
    given as (segment, arclength from its `from` node); one-way rules hold for
    cars along the partial first and last segments too.  Returns time, length,
    nodes and segments (the first/last being the partial ones, if any)."""
    v = (lambda s: s['speed'] / 3.6) if car else (lambda s: WALK)
    src, src_len = {}, {}
    if isinstance(pa, str):
        src[pa], src_len[pa] = 0.0, 0.0
        ga = None
    else:
        ga, sa = pa
        A = m.seg[ga]
        # leave the start segment forward (to its `to` node) or, if allowed, backward
        src[A['b']], src_len[A['b']] = (A['length'] - sa) / v(A), A['length'] - sa
        if not (car and A['oneway']) and sa / v(A) < src.get(A['a'], float('inf')):
            src[A['a']], src_len[A['a']] = sa / v(A), sa
    best, prev = dijkstra(arcs, src)
    options = []
    if isinstance(pb, str):
        gb = None
        if pb in best:
            options.append((best[pb], pb, 0.0))
    else:
        gb, sb = pb
        B = m.seg[gb]
        # enter the end segment at its `from` node (driving forward) or its `to` node
        if B['a'] in best:
            options.append((best[B['a']] + sb / v(B), B['a'], sb))
        if B['b'] in best and not (car and B['oneway']):
            options.append((best[B['b']] + (B['length'] - sb) / v(B), B['b'], B['length'] - sb))
        if ga == gb and (sb >= sa or not (car and m.seg[ga]['oneway'])):
            options.append((abs(sb - sa) / v(B), None, abs(sb - sa)))
    if not options:
        return None
    t, last, tail = min(options, key=lambda o: o[0])
    if last is None:
        return dict(time=t, length=tail, nodes=[], segs=[ga])
    nodes, segs = path_of(prev, set(src), last)
    length = src_len[nodes[0]] + sum(m.seg[g]['length'] for g in segs) + tail
    segs = ([ga] if ga else []) + segs + ([gb] if gb and tail > 0 else [])
    return dict(time=t, length=length, nodes=nodes, segs=segs)


def describe(m, r):
    names = []
    for g in r['segs']:
        st = m.seg[g]['street']
        label = m.streets[st].kv.get('roman', st) if st else '(service road)'
        if not names or names[-1] != label:
            names.append(label)
    return ' -> '.join(names)


def thing(m, ident):
    for kind, t in (('address', m.addresses), ('landmark', m.landmarks),
                    ('station', m.stations), ('camera', m.cameras)):
        if ident in t:
            r = t[ident]
            label = r.kv.get('name') or ''
            if kind == 'address':
                label = '%s %s号%s' % (m.streets[r.kv['street']].kv['name'], r.kv['number'],
                                      (' ' + r.kv['name']) if 'name' in r.kv else '')
            return kind, m.pos[(kind, ident)], r, label
    if ident in m.npos:
        return 'node', m.npos[ident], None, ident
    raise SystemExit('unknown id %s' % ident)


def route_between(m, car_arcs_, foot_arcs_, ida, idb, out):
    ka, pa, ra, la = thing(m, ida)
    kb, pb, rb, lb = thing(m, idb)

    def place(kind, p, r, car):
        if kind == 'address':
            return place_on_street(m, p, r.kv['street'], car)
        if kind == 'node':
            return r
        return place_anywhere(m, p, car)
    if kb == 'node':
        rb = idb
    if ka == 'node':
        ra = ida
    crow = dist(pa, pb)
    out('%s (%s) -> %s (%s): crow-flies %.0f m' % (ida, la, idb, lb, crow))
    rc = point_route(m, car_arcs_, place(ka, pa, ra, True), place(kb, pb, rb, True), True)
    if rc:
        out('  car : %.1f s, %.0f m, via %s' % (rc['time'], rc['length'], describe(m, rc)))
        out('        nodes %s' % ' '.join(rc['nodes']))
    rf = point_route(m, foot_arcs_, place(ka, pa, ra, False), place(kb, pb, rb, False), False)
    if rf:
        out('  foot: %.1f s, %.0f m, via %s' % (rf['time'], rf['length'], describe(m, rf)))
    return rc, rf


# Facts for the default precinct, looked up by street+number or landmark name so
# they survive renumbering; a fact whose places are missing is skipped.
FACTS = [
    ('Creek detour: a market and a school facing each other across 石门溪',
     ('landmark', '溪西菜市场'), ('landmark', '溪东小学')),
    ('Creek detour between two addresses (溪西路6号 -> 溪东路9号)',
     ('address', 'xixi', '6'), ('address', 'xidong', '9')),
    ('One-way street, with the flow (上横街5号 -> 上横街22号; 上横街 runs east)',
     ('address', 'shangheng', '5'), ('address', 'shangheng', '22')),
    ('One-way street, against the flow (上横街22号 -> 上横街5号)',
     ('address', 'shangheng', '22'), ('address', 'shangheng', '5')),
    ('Mission example: station -> 永平门街23号',
     ('station',), ('address', 'yongping', '23')),
    ('Hill: viewpoint -> primary school (steps on foot, hairpins by car)',
     ('landmark', '龙头山观景台'), ('landmark', '江北城小学')),
    ('Old town -> east district: 永平门街40号 -> 星光广场购物中心',
     ('address', 'yongping', '40'), ('landmark', '星光广场购物中心')),
]


def find(m, spec):
    if spec[0] == 'station':
        return next(iter(m.stations), None)
    if spec[0] == 'landmark':
        return next((i for i, r in sorted(m.landmarks.items()) if r.kv['name'] == spec[1]), None)
    return next((i for i, r in sorted(m.addresses.items())
                 if r.kv['street'] == spec[1] and r.kv['number'] == spec[2]), None)


def facts(m, car, foot, out):
    out('')
    out('== Route facts (car: class/segment speed; foot: 1.4 m/s; length along shape points) ==')
    for title, sa, sb in FACTS:
        a, b = find(m, sa), find(m, sb)
        if a is None or b is None:
            continue
        out('')
        out('# ' + title)
        route_between(m, car, foot, a, b, out)
    # node-level facts: foot-only links between two car-reachable nodes, ranked
    # by how far a car has to drive round them (unambiguous for tests: no snapping)
    shortcuts = []
    for g, s in sorted(m.seg.items()):
        if s['car'] or s['a'] not in car or s['b'] not in car:
            continue
        rc = node_route(m, car, s['a'], s['b'])
        rf = node_route(m, foot, s['a'], s['b'])
        if rc and rf:
            shortcuts.append((rc['length'] / max(rf['length'], 1.0), g, s, rc, rf))
    shortcuts.sort(key=lambda t: (-t[0], t[1]))
    for ratio, g, s, rc, rf in shortcuts[:3]:
        st = m.streets[s['street']].kv.get('roman', s['street']) if s['street'] else s['cls']
        out('')
        out('# Foot-only link %s (%s): car must drive %.1fx as far' % (g, st, ratio))
        out('%s -> %s: crow-flies %.0f m' % (s['a'], s['b'], dist(m.npos[s['a']], m.npos[s['b']])))
        out('  car : %.1f s, %.0f m, via %s' % (rc['time'], rc['length'], describe(m, rc)))
        out('        nodes %s' % ' '.join(rc['nodes']))
        out('  foot: %.1f s, %.0f m, nodes %s' % (rf['time'], rf['length'], ' '.join(rf['nodes'])))
    if m.bridges:
        out('')
        out('bridges (segments allowed over water): %s' % ', '.join(
            '%s over %s' % (g, '/'.join(w)) for g, w in m.bridges))


def main(argv):
    args = argv[1:]
    bridges, addr_max, want_facts, route = set(), 25.0, False, None
    files = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == '--bridge':
            bridges.add(args[i + 1])
            i += 2
        elif a == '--addr-max':
            addr_max = float(args[i + 1])
            i += 2
        elif a == '--facts':
            want_facts = True
            i += 1
        elif a == '--route':
            route = (args[i + 1], args[i + 2])
            i += 3
        else:
            files.append(a)
            i += 1
    if len(files) != 1:
        print(__doc__)
        return 2
    rep = Report(files[0])
    recs = parse(files[0], rep)
    m = build(recs, rep, bridges)
    car, foot = check_graph(m, rep)
    check_geometry(m, rep, addr_max)
    oneway = sum(1 for s in m.seg.values() if s['oneway'])
    print('%s: %d nodes, %d streets, %d segments (%d one-way, %d car, %d foot-only), '
          '%d cameras, %d addresses, %d landmarks, %d areas: %d error(s), %d warning(s)' % (
              files[0], len(m.nodes), len(m.streets), len(m.segments), oneway,
              sum(1 for s in m.seg.values() if s['car']),
              sum(1 for s in m.seg.values() if not s['car']),
              len(m.cameras), len(m.addresses), len(m.landmarks), len(m.areas),
              rep.errors, rep.warnings))
    if rep.errors == 0 and want_facts:
        facts(m, car, foot, print)
    if rep.errors == 0 and route:
        print('')
        route_between(m, car, foot, route[0], route[1], print)
    return 1 if rep.errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
