#!/usr/bin/env python3
"""Generate Maps/jiangbei-city.wrmap, the default (fictional) Watchroom precinct.

The precinct is modelled loosely on 江北城 (Jiangbeicheng), Chongqing: the north
bank where the 嘉陵江 (Jialing) joins the 长江 (Yangtze). The rivers bound the map
on the west and south, the confluence is the south-west tip, hills rise to the
north, and a creek (石门溪, fictional) cuts the east side off from the old town,
crossed by two road bridges and one footbridge.

Streets are written as hand-chosen polylines. The script then:
  1. snaps every street end lying within SNAP metres of another street onto it,
  2. finds every crossing between streets,
  3. cuts the polylines at those points into graph nodes and segments (the
     remaining vertices become `shape` points),
  4. checks its own output (no road over water except bridges, no tiny segments),
  5. writes the .wrmap file.

Deterministic, standard library only.  Usage:
    python3 Maps/tools/make_jiangbei.py [OUTPUT]   (default Maps/jiangbei-city.wrmap)
"""
import math
import os
import sys

SNAP = 30.0          # street ends within this distance of another street join it
TOUCH = 0.5          # points closer than this are the same point
BOUNDS = ((-1500.0, -1250.0), (1500.0, 1250.0))

# ---------------------------------------------------------------------------
# Geometry helpers
# ---------------------------------------------------------------------------


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def proj_seg(p, a, b):
    """Closest point to p on segment ab, and its parameter t in [0,1]."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    L2 = dx * dx + dy * dy
    if L2 == 0:
        return a, 0.0
    t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / L2
    t = max(0.0, min(1.0, t))
    return (a[0] + t * dx, a[1] + t * dy), t


def proj_poly(p, pts):
    """Closest point on a polyline: (point, distance, arclength)."""
    best = None
    acc = 0.0
    for i in range(len(pts) - 1):
        q, t = proj_seg(p, pts[i], pts[i + 1])
        d = dist(p, q)
        L = dist(pts[i], pts[i + 1])
        if best is None or d < best[1] - 1e-9:
            best = (q, d, acc + t * L)
        acc += L
    return best


def seg_cross(a, b, c, d):
    """Proper intersection point of segments ab and cd (or None)."""
    r = (b[0] - a[0], b[1] - a[1])
    s = (d[0] - c[0], d[1] - c[1])
    den = r[0] * s[1] - r[1] * s[0]
    if abs(den) < 1e-12:
        return None
    qp = (c[0] - a[0], c[1] - a[1])
    t = (qp[0] * s[1] - qp[1] * s[0]) / den
    u = (qp[0] * r[1] - qp[1] * r[0]) / den
    if 1e-9 < t < 1 - 1e-9 and 1e-9 < u < 1 - 1e-9:
        return (a[0] + t * r[0], a[1] + t * r[1])
    return None


def polylen(pts):
    return sum(dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1))


def offset(pts, d):
    """Offset a polyline by d metres to its left (mitred vertices)."""
    out = []
    n = len(pts)
    for i in range(n):
        normals = []
        for j in (i - 1, i):
            if 0 <= j < n - 1:
                dx, dy = pts[j + 1][0] - pts[j][0], pts[j + 1][1] - pts[j][1]
                L = math.hypot(dx, dy)
                normals.append((-dy / L, dx / L))
        nx = sum(v[0] for v in normals)
        ny = sum(v[1] for v in normals)
        L = math.hypot(nx, ny)
        nx, ny = nx / L, ny / L
        # mitre: scale so each side is offset exactly d
        cos_half = nx * normals[0][0] + ny * normals[0][1]
        k = d / max(cos_half, 0.5)
        out.append((pts[i][0] + nx * k, pts[i][1] + ny * k))
    return out


def clip(pts, axis, value, keep):
    """Keep the part of a polyline with coordinate[axis] < value (keep='lt') or
    > value (keep='gt'); the polyline must cross the line at most once."""
    inside = (lambda p: p[axis] < value) if keep == 'lt' else (lambda p: p[axis] > value)
    out = []
    for i, p in enumerate(pts):
        if inside(p):
            if i > 0 and not inside(pts[i - 1]):
                out.append(_cut(pts[i - 1], p, axis, value))
            out.append(p)
        elif i > 0 and inside(pts[i - 1]):
            out.append(_cut(pts[i - 1], p, axis, value))
    return out


def _cut(a, b, axis, value):
    t = (value - a[axis]) / (b[axis] - a[axis])
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def point_at(pts, s):
    """Point and unit direction at arclength s along a polyline."""
    acc = 0.0
    for i in range(len(pts) - 1):
        L = dist(pts[i], pts[i + 1])
        if acc + L >= s or i == len(pts) - 2:
            t = 0 if L == 0 else max(0.0, min(1.0, (s - acc) / L))
            a, b = pts[i], pts[i + 1]
            return ((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])),
                    ((b[0] - a[0]) / L, (b[1] - a[1]) / L))
        acc += L


def in_poly(p, poly):
    x, y = p
    inside = False
    n = len(poly)
    for i in range(n):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            xc = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if xc > x:
                inside = not inside
    return inside


def poly_hits(pts, poly):
    """Does a polyline touch the inside of a polygon?"""
    if any(in_poly(p, poly) for p in pts):
        return True
    n = len(poly)
    for i in range(len(pts) - 1):
        for j in range(n):
            if seg_cross(pts[i], pts[i + 1], poly[j], poly[(j + 1) % n]):
                return True
    return False


def compass(v):
    return (math.degrees(math.atan2(v[0], v[1])) + 360.0) % 360.0


def fmt(v):
    v = round(v, 1)
    if v == int(v):
        return str(int(v))
    return ('%.1f' % v)


def fp(p):
    return '%s,%s' % (fmt(p[0]), fmt(p[1]))


# ---------------------------------------------------------------------------
# Terrain: river banks, the creek, the park
# ---------------------------------------------------------------------------

# The bank of the precinct, from the north edge on the Jialing, down to the
# confluence (south-west tip) and east along the Yangtze.  Land is on the left.
BANK = [(-1330, 1250), (-1310, 950), (-1290, 650), (-1275, 350), (-1260, 50),
        (-1235, -250), (-1190, -520), (-1110, -760), (-1000, -920),
        (-860, -1010), (-650, -1035), (-400, -1015), (-100, -985),
        (200, -955), (500, -925), (800, -895), (1100, -870), (1500, -850)]
TIP = 8   # index of the confluence point in BANK

JIALING = [(-1500, 1250)] + BANK[:TIP + 1] + [(-1200, -1250), (-1500, -1250)]
YANGTZE = [(-1200, -1250)] + BANK[TIP:] + [(1500, -1250)]

# 石门溪 centre line, north to south, ending in the Yangtze.
CREEK_C = [(820, 1250), (800, 1050), (840, 850), (790, 650), (830, 450),
           (880, 250), (850, 50), (900, -150), (870, -350), (930, -550),
           (900, -750), (935, -905), (945, -960)]
CREEK_HALF = 16.0
CREEK = [(x, min(y, 1250.0)) for x, y in
         offset(CREEK_C, CREEK_HALF) + list(reversed(offset(CREEK_C, -CREEK_HALF)))]

PARK = [(-720, 180), (-300, 150), (-240, 400), (-340, 540), (-680, 520)]
LAKE = [(-580, 260), (-420, 240), (-370, 360), (-460, 450), (-590, 420)]
SQUARE = [(-290, -885), (-190, -878), (-190, -822), (-292, -828)]   # 永平门广场
HILL_PARK = [(-560, 1180), (-200, 1180), (-150, 1120), (-250, 1050), (-480, 1040), (-600, 1100)]
EAST_PARK = [(1020, 520), (1180, 520), (1190, 700), (1030, 720)]      # 望江公园
MUSEUM_BLOCK = [(-560, -620), (-470, -620), (-470, -540), (-560, -540)]

AREAS = [
    ('jialing', 'river', '嘉陵江', 'Jialing River', JIALING),
    ('yangtze', 'river', '长江', 'Yangtze River', YANGTZE),
    ('shimenxi', 'water', '石门溪', 'Shimen Creek', CREEK),
    ('park', 'park', '江北城公园', 'Jiangbeicheng Park', PARK),
    ('lake', 'water', '镜湖', 'Mirror Lake', LAKE),
    ('square', 'square', '永平门广场', 'Yongping Gate Square', SQUARE),
    ('hillpark', 'park', '龙头山公园', 'Longtou Hill Park', HILL_PARK),
    ('eastpark', 'park', '望江公园', 'Wangjiang Park', EAST_PARK),
    ('museum', 'building', '江北城博物馆', 'Jiangbeicheng Museum', MUSEUM_BLOCK),
]
WATER = [JIALING, YANGTZE, CREEK, LAKE]

# ---------------------------------------------------------------------------
# Streets
# ---------------------------------------------------------------------------

STREETS = []   # in output order


def street(sid, name, roman, cls, *parts, oneway=False, speed=None,
           free=(), bridge=False, named=True):
    """parts: polylines.  free: (part, end) pairs never snapped (dead ends)."""
    STREETS.append(dict(id=sid, name=name, roman=roman, cls=cls,
                        parts=[[tuple(map(float, p)) for p in part] for part in parts],
                        oneway=oneway, speed=speed, free=set(free),
                        bridge=bridge, named=named))


# Riverside road: 60 m inland of the bank, split at the creek mouth by a bridge.
_rs = offset(BANK, 60)
_rs = clip(_rs, 1, 1060, 'lt')
RIVERSIDE_W = clip(_rs, 0, 868, 'lt')
RIVERSIDE_E = clip(clip(_rs, 0, 962, 'gt'), 0, 1430, 'lt')
# Promenade 22 m inland, from the north-west down round the tip to the creek.
_pr = offset(BANK, 22)
PROM = clip(clip(_pr, 1, 640, 'lt'), 0, 760, 'lt')


def bank_pair(i):
    """Promenade point and riverside-road point opposite BANK[i]."""
    return offset(BANK, 22)[i], offset(BANK, 60)[i]


street('binjiang', '滨江路', 'Binjiang Road', 'secondary', RIVERSIDE_W, RIVERSIDE_E)
street('xikouqiao', '溪口桥', 'Xikou Bridge', 'secondary',
       [RIVERSIDE_W[-1], RIVERSIDE_E[0]], bridge=True)
street('bujiao', '滨江步道', 'Riverside Promenade', 'footway',
       PROM,
       [PROM[0], point_at(RIVERSIDE_W, proj_poly(PROM[0], RIVERSIDE_W)[2] + 40)[0]],
       list(bank_pair(4)), list(bank_pair(7)), list(bank_pair(9)),
       list(bank_pair(12)),
       [PROM[-1], point_at(RIVERSIDE_W, proj_poly(PROM[-1], RIVERSIDE_W)[2] + 30)[0]])
# Steps from the promenade down to the ferry pier at the water's edge.
_pier_top = offset(BANK, 22)[10]
_pier_bot = offset(BANK, 5)[10]
street('matouti', '码头梯道', 'Ferry Pier Steps', 'steps', [_pier_top, _pier_bot],
       free={(0, 1)})

# Northern ring over the hill foot, crossing the creek on 石门桥.
street('beicheng', '北城路', 'Beicheng Road', 'secondary',
       [(-1235, 1048), (-900, 1000), (-600, 940), (-300, 905), (0, 880),
        (300, 860), (550, 842), (798, 822)],
       [(884, 833), (1100, 860), (1430, 880)])
street('shimenqiao', '石门桥', 'Shimen Bridge', 'secondary',
       [(798, 822), (884, 833)], bridge=True)

# The main diagonal avenue.
street('jiangbeicheng', '江北城大街', 'Jiangbeicheng Avenue', 'primary',
       [(-1170, -350), (-800, -230), (-450, -100), (-100, 60), (200, 260),
        (420, 520), (520, 842)])

# Old town, south of the avenue.  The one-way pair 上横街 / 下横街.
street('xiaheng', '下横街', 'Xiaheng Street', 'residential',
       [(300, -770), (0, -790), (-300, -803), (-600, -790), (-930, -760)],
       oneway=True)
street('shangheng', '上横街', 'Shangheng Street', 'residential',
       [(-940, -640), (-600, -660), (-300, -668), (0, -660), (310, -650)],
       oneway=True)
street('zhengjie', '正街', 'Zheng Street', 'tertiary',
       [(-1150, -480), (-800, -500), (-500, -520), (-200, -490), (100, -460),
        (400, -420), (650, -380), (805, -350)])
street('baoning', '保宁街', 'Baoning Street', 'residential',
       [(-905, -322), (-600, -330), (-250, -300), (20, -262), (345, -245)])
street('zhenjiang', '镇江门街', 'Zhenjiang Gate Street', 'tertiary',
       [(-950, -905), (-930, -760), (-940, -640), (-920, -480), (-900, -330),
        (-900, -262)])
street('wenchang', '文昌街', 'Wenchang Street', 'residential',
       [(-640, -970), (-620, -790), (-610, -660), (-600, -510), (-590, -330),
        (-592, -152)])
street('yongping', '永平门街', 'Yongping Gate Street', 'tertiary',
       [(-318, -955), (-305, -803), (-285, -668), (-262, -495), (-245, -250),
        (-230, 0)])
street('dongsheng', '东升街', 'Dongsheng Street', 'residential',
       [(0, -925), (10, -790), (0, -660), (20, -470), (30, -200), (30, 147)])
street('wangjin', '望津街', 'Wangjin Street', 'tertiary',
       [(300, -900), (300, -770), (310, -650), (330, -440), (350, -150),
        (362, 100), (385, 448)])
street('yushi', '鱼市街', 'Yushi Street', 'residential',
       [(470, -905), (560, -640), (650, -380)])
street('datie', '打铁巷', 'Datie Lane', 'residential',
       [(-460, -797), (-455, -664)])
street('youfang', '油坊巷', 'Youfang Lane', 'living_street',
       [(-420, -512), (-428, -400)], free={(0, 1)})
street('shuijing', '水井巷', 'Shuijing Lane', 'living_street',
       [(150, -780), (160, -655), (172, -452)])
street('miduo', '米朵巷', 'Miduo Lane', 'living_street',
       [(-780, -500), (-770, -415)], free={(0, 1)})
# Xixi Road runs along the creek's west side, from the river to the hill road.
street('xixi', '溪西路', 'Xixi Road', 'tertiary',
       [(820, -835), (830, -650), (800, -450), (800, -250), (790, -50),
        (780, 120), (790, 300), (750, 500), (720, 680), (745, 826)])

# West: between the Jialing bank and the park.
street('jialing', '嘉陵路', 'Jialing Road', 'tertiary',
       [(-1000, -300), (-1010, 0), (-990, 300), (-1000, 600), (-985, 1012)])
street('linjiang', '临江路', 'Linjiang Road', 'residential',
       [(-1205, 100), (-1000, 100), (-780, 120)])
street('wenjin', '问津街', 'Wenjin Street', 'residential',
       [(-1220, 450), (-1000, 460), (-770, 440)])
street('gudu', '古渡路', 'Gudu Road', 'residential',
       [(-1230, 760), (-1100, 740), (-900, 700), (-760, 650), (-600, 600)])
street('yangliu', '杨柳巷', 'Yangliu Lane', 'living_street',
       [(-990, 300), (-1060, 280), (-1130, 295)], free={(0, 1)})
street('gongyuan', '公园路', 'Gongyuan Road', 'tertiary',
       [(-800, -230), (-790, 0), (-780, 150), (-760, 450), (-600, 600),
        (-300, 620), (-150, 400), (-100, 60)])
# Central north, between the avenue and the hill road.
street('juxian', '聚贤街', 'Juxian Street', 'residential',
       [(-135, 300), (100, 330), (400, 360), (780, 350)])
street('shuyuan', '书院街', 'Shuyuan Street', 'residential',
       [(-300, 620), (0, 650), (300, 680), (720, 680)])
street('wenxing', '文星街', 'Wenxing Street', 'residential',
       [(150, 228), (140, 340), (160, 660), (170, 868)])
street('guihua', '桂花巷', 'Guihua Lane', 'living_street',
       [(0, 650), (-15, 720), (-5, 790)], free={(0, 1)})
# North hill: winding road, steps and a hairpin lane.
street('longtou', '龙头山路', 'Longtoushan Road', 'tertiary',
       [(-100, 878), (-80, 930), (-180, 985), (-60, 1035), (-200, 1085),
        (-350, 1125), (-500, 1150), (-620, 1085), (-560, 1015), (-700, 975),
        (-720, 964)], speed=25)
street('longtouti', '龙头山梯道', 'Longtou Hill Steps', 'steps',
       [(-350, 1125), (-352, 1020), (-350, 905)])
street('banshan', '半山巷', 'Banshan Lane', 'residential',
       [(-180, 985), (-20, 1010), (60, 1060)], free={(0, 1)})
street('taping', '塔坪路', 'Taping Road', 'residential',
       [(300, 860), (330, 950), (260, 1030), (380, 1100), (470, 1170),
        (600, 1100), (560, 1000), (650, 940), (660, 848)])

# East of the creek.
street('xidong', '溪东路', 'Xidong Road', 'tertiary',
       [(1000, -827), (1000, -650), (1000, -450), (950, -250), (965, -50),
        (925, 150), (955, 300), (900, 500), (870, 700), (905, 835)])
street('jianxin', '建新路', 'Jianxin Road', 'secondary',
       [(1190, -820), (1200, -400), (1230, 0), (1250, 400), (1260, 867)])
street('dongcheng', '东城路', 'Dongcheng Road', 'tertiary',
       [(1430, -806), (1440, -400), (1435, 0), (1440, 450), (1430, 880)])
street('jinsha', '金沙路', 'Jinsha Road', 'residential',
       [(1000, -450), (1200, -440), (1440, -470)])
street('xingguang', '星光大道', 'Xingguang Avenue', 'secondary',
       [(965, -10), (1230, 10), (1435, 30)])
street('wangjiang', '望江路', 'Wangjiang Road', 'residential',
       [(920, 450), (1250, 430), (1440, 470)])
street('huaxin', '华新街', 'Huaxin Street', 'residential',
       [(1000, -620), (1200, -215), (1437, 250)])
street('hongye', '红叶巷', 'Hongye Lane', 'living_street',
       [(1230, 160), (1330, 170), (1345, 240)], free={(0, 1)})
# East one-way: 商业街 southbound between Xingguang Avenue and Jinsha Road.
street('shangye', '商业街', 'Shangye Street', 'residential',
       [(1375, 25), (1372, -200), (1370, -462)], oneway=True)
street('dongshan', '东山巷', 'Dongshan Lane', 'residential',
       [(1100, 860), (1080, 960), (1150, 1040)], free={(0, 1)})
# Foot: park paths and the creek footbridge.
street('yuanzhong', '园中路', 'Garden Walk', 'footway',
       [(-450, -100), (-470, 165), (-640, 260), (-650, 420), (-560, 560),
        (-520, 604)],
       [(-470, 165), (-360, 230), (-320, 380), (-170, 430)])
street('xibuqiao', '石门溪步行桥', 'Shimen Creek Footbridge', 'footway',
       [(780, 150), (930, 150)], bridge=True)
# Unnamed service roads: police yard, hospital drive, market lane.
street('svc_station', '', '', 'service', [(-255, -400), (-180, -402)], free={(0, 1)},
       named=False)
street('svc_hospital', '', '', 'service',
       [(1200, -300), (1120, -310), (1110, -240)], free={(0, 1)}, named=False)
street('svc_market', '', '', 'service', [(640, -860), (615, -790), (575, -760)],
       free={(0, 1)}, named=False)

# ---------------------------------------------------------------------------
# Build the graph
# ---------------------------------------------------------------------------


def build():
    parts = []   # (street index, part index, pts)
    for si, s in enumerate(STREETS):
        for pi, p in enumerate(s['parts']):
            parts.append([si, pi, list(p)])
    # 1. snap ends
    for _round in range(4):
        for k, (si, pi, pts) in enumerate(parts):
            for end in (0, 1):
                if (pi, end) in STREETS[si]['free']:
                    continue
                idx = 0 if end == 0 else -1
                p = pts[idx]
                best = None
                for k2, (si2, pi2, pts2) in enumerate(parts):
                    if k2 == k:
                        continue
                    q, d, _ = proj_poly(p, pts2)
                    if best is None or d < best[1]:
                        best = (q, d)
                if best and 1e-6 < best[1] <= SNAP:
                    pts[idx] = best[0]
    # 2. cut points per part (arclength, point)
    cuts = [[] for _ in parts]
    for k, (si, pi, pts) in enumerate(parts):
        cuts[k].append((0.0, pts[0]))
        cuts[k].append((polylen(pts), pts[-1]))
    for k, (_, _, pts) in enumerate(parts):
        for k2, (_, _, pts2) in enumerate(parts):
            if k2 == k:
                continue
            for p in (pts2[0], pts2[-1]):           # ends touching us
                q, d, s = proj_poly(p, pts)
                if d < TOUCH:
                    cuts[k].append((s, q))
            if k2 > k:                               # proper crossings
                acc = 0.0
                for i in range(len(pts) - 1):
                    for j in range(len(pts2) - 1):
                        x = seg_cross(pts[i], pts[i + 1], pts2[j], pts2[j + 1])
                        if x:
                            cuts[k].append((acc + dist(pts[i], x), x))
                            cuts[k2].append((proj_poly(x, pts2)[2], x))
                    acc += dist(pts[i], pts[i + 1])
    # 3. global nodes
    nodes = []   # coordinates

    def node_of(p):
        for i, q in enumerate(nodes):
            if dist(p, q) < 1.0:
                return i
        nodes.append((round(p[0], 1), round(p[1], 1)))
        return len(nodes) - 1

    raw_segs = []   # (street index, a, b, shape)
    for k, (si, pi, pts) in enumerate(parts):
        cs = sorted(cuts[k])
        merged = []
        for s, p in cs:
            if merged and s - merged[-1][0] < 1.0:
                continue
            merged.append((s, p))
        # vertex arclengths
        vs, acc = [0.0], 0.0
        for i in range(len(pts) - 1):
            acc += dist(pts[i], pts[i + 1])
            vs.append(acc)
        for c in range(len(merged) - 1):
            s0, p0 = merged[c]
            s1, p1 = merged[c + 1]
            shape = [pts[i] for i in range(len(pts))
                     if s0 + 1.0 < vs[i] < s1 - 1.0]
            raw_segs.append((si, node_of(p0), node_of(p1), shape))
    # renumber nodes north-to-south, west-to-east
    order = sorted(range(len(nodes)), key=lambda i: (-round(nodes[i][1] / 50), nodes[i][0]))
    ren = {old: new for new, old in enumerate(order)}
    nodes = [nodes[i] for i in order]
    segs = [(si, ren[a], ren[b], shape) for si, a, b, shape in raw_segs]
    return nodes, segs


NODES, SEGS = build()


def seg_pts(seg):
    si, a, b, shape = seg
    return [NODES[a]] + [(round(x, 1), round(y, 1)) for x, y in shape] + [NODES[b]]


def street_idx(sid):
    for i, s in enumerate(STREETS):
        if s['id'] == sid:
            return i
    raise KeyError(sid)


def street_polys(sid):
    si = street_idx(sid)
    return [seg_pts(g) for g in SEGS if g[0] == si]


def on_street(sid, frac, side=0.0, part=0):
    """Point at fraction frac along part `part` of street sid, pushed `side`
    metres to the left (negative: right) of the direction of travel."""
    pts = STREETS[street_idx(sid)]['parts'][part]
    p, d = point_at(pts, frac * polylen(pts))
    return (p[0] - d[1] * side, p[1] + d[0] * side), d


# ---------------------------------------------------------------------------
# Station, cameras, addresses, landmarks
# ---------------------------------------------------------------------------

STATION = ('st', '江北城派出所', 'Jiangbeicheng Police Station', (-205, -418))


def near_node(p):
    return min(range(len(NODES)), key=lambda i: dist(NODES[i], p))


# (id, name, rough position (snapped to nearest junction + corner offset),
#  facing street id or explicit degrees, fov, range, kind)
CAMERA_SPECS = [
    ('cam01', '永平门街口南', (-312, -900), 'N', 90, 120, 'fixed'),
    ('cam02', '永平门街正街口', (-262, -495), 360, 360, 60, 'dome'),
    ('cam03', '永平门街上横街口', (-285, -668), 'E', 100, 90, 'fixed'),
    ('cam04', '永平门街下横街口', (-305, -803), 'W', 100, 90, 'fixed'),
    ('cam05', '永平门街北口', (-230, 0), 'S', 80, 140, 'ptz'),
    ('cam06', '派出所门前', (-245, -400), 'E', 120, 50, 'fixed'),
    ('cam07', '江北城大街公园路口', (-800, -230), 360, 360, 80, 'dome'),
    ('cam08', '江北城大街文星街口', (150, 228), 'NE', 90, 150, 'ptz'),
    ('cam09', '江北城大街聚贤街口', (275, 340), 'SW', 90, 120, 'fixed'),
    ('cam10', '江北城大街北城路口', (520, 842), 360, 360, 100, 'dome'),
    ('cam11', '滨江路镇江门口', (-950, -905), 'NE', 110, 130, 'fixed'),
    ('cam12', '滨江路望津街口', (300, -900), 'W', 90, 150, 'ptz'),
    ('cam13', '溪口桥西', (868, -830), 'E', 60, 120, 'fixed'),
    ('cam14', '石门桥东', (884, 833), 'W', 60, 110, 'fixed'),
    ('cam15', '正街文昌街口', (-600, -510), 360, 360, 70, 'dome'),
    ('cam16', '上横街东升街口', (0, -660), 'E', 90, 100, 'fixed'),
    ('cam17', '星光大道建新路口', (1230, 10), 360, 360, 90, 'dome'),
    ('cam18', '金沙路东城路口', (1440, -470), 'W', 90, 150, 'ptz'),
    ('cam19', '望江路溪东路口', (900, 500), 'E', 80, 120, 'fixed'),
    ('cam20', '嘉陵路问津街口', (-1000, 460), 'N', 100, 110, 'fixed'),
    ('cam21', '龙头山路山顶', (-350, 1125), 'S', 120, 80, 'ptz'),
    ('cam22', '鱼市街市场口', (560, -640), 'SW', 90, 80, 'fixed'),
    ('cam23', '步行桥', (930, 150), 'W', 70, 60, 'fixed'),
    ('cam24', '古渡路嘉陵路口', (-1000, 715), 360, 360, 60, 'dome'),
    # mid-block, on a pole 10 m off the street, looking along it (+1) or back (-1)
    ('cam25', '江北城大街中段', ('jiangbeicheng', 0.42, -10), +1, 70, 150, 'fixed'),
    ('cam26', '滨江路江嘴段', ('binjiang', 0.55, 10), -1, 90, 120, 'fixed'),
    ('cam27', '永平门街中段', ('yongping', 0.40, 10), +1, 60, 100, 'fixed'),
]
DIRS = {'N': 0, 'NE': 45, 'E': 90, 'SE': 135, 'S': 180, 'SW': 225, 'W': 270, 'NW': 315}


def make_cameras():
    out = []
    for cid, name, rough, face, fov, rng, kind in CAMERA_SPECS:
        if isinstance(rough[0], str):
            at, d = on_street(*rough)
            facing = compass(d) if face > 0 else (compass(d) + 180) % 360
            out.append((cid, name, at, round(facing), fov, rng, kind))
            continue
        n = NODES[near_node(rough)]
        facing = DIRS[face] if isinstance(face, str) else face
        if fov == 360:
            facing = 0
        # stand on the corner behind the view direction, 8 m off the junction
        back = math.radians(facing + 180 + 35)
        at = (n[0] + 8 * math.sin(back), n[1] + 8 * math.cos(back))
        out.append((cid, name, at, facing, fov, rng, kind))
    return out


# Addresses: (street, numbers...) spread along the street, odd numbers on the
# left, even numbers on the right, 14 m from the centre line.
ADDRESS_PLAN = [
    ('yongping', [('1', 0.08, '永平门茶馆'), ('2', 0.16, None), ('7', 0.22, None),
                  ('12', 0.30, '老街面馆'), ('18', 0.38, None), ('23', 0.47, '永平门街23号院'),
                  ('26', 0.50, None), ('31', 0.58, None), ('40', 0.66, '江北城百货'),
                  ('45', 0.75, None), ('52', 0.85, None), ('60', 0.95, None)]),
    ('zhengjie', [('3', 0.08, None), ('16', 0.25, '正街药房'), ('27', 0.45, None),
                  ('38', 0.62, None), ('51', 0.85, None)]),
    ('shangheng', [('5', 0.2, None), ('14', 0.55, None), ('22', 0.85, '上横街22号')]),
    ('xiaheng', [('8', 0.15, None), ('19', 0.5, '下横街裁缝铺'), ('30', 0.8, None)]),
    ('baoning', [('9', 0.3, None), ('24', 0.7, None)]),
    ('zhenjiang', [('4', 0.35, None), ('11', 0.7, None)]),
    ('wenchang', [('6', 0.25, None), ('15', 0.55, '文昌街15号')]),
    ('dongsheng', [('10', 0.3, None), ('21', 0.7, None)]),
    ('wangjin', [('2', 0.2, None), ('17', 0.6, None)]),
    ('binjiang', [('88', 0.15, None), ('120', 0.45, '滨江茶楼'), ('168', 0.8, None)]),
    ('jiangbeicheng', [('100', 0.25, None), ('128', 0.5, '江北城大街128号'), ('156', 0.75, None)]),
    ('jialing', [('12', 0.3, None), ('33', 0.7, None)]),
    ('gongyuan', [('5', 0.4, None)]),
    ('juxian', [('8', 0.3, None), ('19', 0.75, None)]),
    ('shuyuan', [('3', 0.5, None)]),
    ('xixi', [('6', 0.55, '溪西路6号')]),
    ('xidong', [('9', 0.5, '溪东路9号'), ('20', 0.8, None)]),
    ('jianxin', [('35', 0.35, None), ('66', 0.7, None)]),
    ('xingguang', [('1', 0.3, None), ('18', 0.7, None)]),
    ('longtou', [('7', 0.3, None)]),
    ('gudu', [('2', 0.4, None)]),
]


def make_addresses():
    out = []
    n = 0
    for sid, items in ADDRESS_PLAN:
        for number, frac, name in items:
            n += 1
            side = 14.0 if int(number) % 2 else -14.0
            p, _ = on_street(sid, frac, side)
            out.append(('a%02d' % n, sid, number, p, name))
    return out


# Landmarks: (id, name, roman, kind, street, frac, side) or explicit point.
LANDMARK_SPECS = [
    ('lm01', '永平门', 'Yongping Gate', 'gate', (-316, -925)),
    ('lm02', '镇江门', 'Zhenjiang Gate', 'gate', (-955, -880)),
    ('lm03', '望津门', 'Wangjin Gate', 'gate', (300, -878)),
    ('lm04', '江北城博物馆', 'Jiangbeicheng Museum', 'museum', (-515, -580)),
    ('lm05', '文昌宫', 'Wenchang Temple', 'temple', (-580, -420)),
    ('lm06', '江北城小学', 'Jiangbeicheng Primary School', 'school', ('shuyuan', 0.3, -30)),
    ('lm07', '江北城中学', 'Jiangbeicheng Middle School', 'school', ('juxian', 0.55, -35)),
    ('lm08', '江北城人民医院', 'Jiangbeicheng People\'s Hospital', 'hospital', (1110, -270)),
    ('lm09', '鱼市街农贸市场', 'Yushi Street Farmers\' Market', 'market', (555, -760)),
    ('lm10', '星光广场购物中心', 'Xingguang Plaza Mall', 'mall', (1100, 60)),
    ('lm11', '江北城轮渡码头', 'Jiangbeicheng Ferry Pier', 'ferry_terminal', None),
    ('lm12', '江北城公园南门', 'Jiangbeicheng Park South Gate', 'park_gate', (-470, 150)),
    ('lm13', '龙头山观景台', 'Longtou Hill Viewpoint', 'viewpoint', (-350, 1150)),
    ('lm14', '塔坪寺', 'Taping Temple', 'temple', (470, 1195)),
    ('lm15', '溪西菜市场', 'Xixi Vegetable Market', 'market', ('xixi', 0.5, 30)),
    ('lm16', '溪东小学', 'Xidong Primary School', 'school', ('xidong', 0.55, -35)),
    ('lm17', '永平门广场', 'Yongping Gate Square', 'square', (-240, -852)),
    ('lm18', '两江汇观景台', 'Confluence Lookout', 'viewpoint', None),
]


def make_landmarks():
    out = []
    for lid, name, roman, kind, where in LANDMARK_SPECS:
        if where is None and lid == 'lm11':
            p = offset(BANK, 4)[10]
        elif where is None:
            p = offset(BANK, 10)[TIP]
        elif isinstance(where[0], str):
            p, _ = on_street(where[0], where[1], where[2])
        else:
            p = where
        out.append((lid, name, roman, kind, p))
    return out


CAMERAS = make_cameras()
ADDRESSES = make_addresses()
LANDMARKS = make_landmarks()

# ---------------------------------------------------------------------------
# Self-checks
# ---------------------------------------------------------------------------


def self_check():
    problems = []
    for g in SEGS:
        s = STREETS[g[0]]
        pts = seg_pts(g)
        if polylen(pts) < 12:
            problems.append('short segment (%.1f m) on %s at %s' % (polylen(pts), s['id'], fp(pts[0])))
        if s['bridge']:
            continue
        for poly in WATER:
            if poly_hits(pts, poly):
                problems.append('segment of %s over water near %s' % (s['id'], fp(pts[0])))
    (x0, y0), (x1, y1) = BOUNDS
    for p in NODES:
        if not (x0 <= p[0] <= x1 and y0 <= p[1] <= y1):
            problems.append('node out of bounds %s' % fp(p))
    for a in ADDRESSES:
        for poly in WATER + [PARK]:
            if in_poly(a[3], poly):
                problems.append('address %s in water/park' % a[0])
    return problems


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def q(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def emit():
    L = []
    w = L.append
    w('# 江北城 (Jiangbeicheng) — the default Watchroom precinct map.')
    w('#')
    w('# A FICTIONAL precinct modelled loosely on Jiangbeicheng, Chongqing: the north')
    w('# bank where the Jialing (嘉陵江, west) meets the Yangtze (长江, south). The')
    w('# confluence is the south-west tip, opposite Chaotianmen; hills rise to the')
    w('# north; 石门溪 (Shimen Creek, fictional) cuts the east district off from the')
    w('# old town and is crossed only by 溪口桥 and 石门桥 (cars) and a footbridge.')
    w('# Every street, house number, place and camera here is invented.')
    w('#')
    w('# Coordinates: metres, x east, y north, from the origin below; angles are')
    w('# compass degrees (0 = north, clockwise).  Format: docs/map-format.md.')
    w('# GENERATED by Maps/tools/make_jiangbei.py — edit the script, not this file;')
    w('# validate with Maps/tools/check_wrmap.py.')
    w('')
    w('watchroom-map 1')
    w('precinct key=jiangbei-city name="江北城" roman="Jiangbeicheng" timezone=Asia/Shanghai')
    w('origin lat=29.5717 lon=106.5743')
    w('bounds min=%s max=%s' % (fp(BOUNDS[0]), fp(BOUNDS[1])))
    w('')
    w('# --- Nodes (intersections, dead ends), numbered north to south ---')
    for i, p in enumerate(NODES):
        w('node n%d at=%s' % (i + 1, fp(p)))
    w('')
    w('# --- Streets, each followed by its segments ---')
    e = 0
    bridge_ids = []
    for si, s in enumerate(STREETS):
        segs = [g for g in SEGS if g[0] == si]
        w('')
        if s['named']:
            extra = ''
            if s['speed']:
                extra += ' speed=%s' % fmt(s['speed'])
            note = []
            if s['oneway']:
                note.append('one-way')
            if s['bridge']:
                note.append('bridge')
            w('street %s name=%s roman=%s class=%s%s%s' % (
                s['id'], q(s['name']), q(s['roman']), s['cls'], extra,
                ('  # ' + ', '.join(note)) if note else ''))
        else:
            w('# unnamed service road (%s)' % s['id'].replace('svc_', ''))
        for g in segs:
            e += 1
            _, a, b, shape = g
            rec = 'segment e%d' % e
            if s['named']:
                rec += ' street=%s' % s['id']
            else:
                rec += ' class=%s' % s['cls']
            rec += ' from=n%d to=n%d' % (a + 1, b + 1)
            if s['oneway']:
                rec += ' oneway=yes'
            if shape:
                rec += ' shape="%s"' % ' '.join(fp(p) for p in shape)
            if s['bridge']:
                bridge_ids.append('e%d' % e)
            w(rec)
    w('')
    w('# --- Station ---')
    sid, name, roman, at = STATION
    w('station %s name=%s roman=%s at=%s' % (sid, q(name), q(roman), fp(at)))
    w('')
    w('# --- Cameras (facing: compass degrees; fov 360 = all-round dome) ---')
    for cid, name, at, facing, fov, rng, kind in CAMERAS:
        w('camera %s name=%s at=%s facing=%s fov=%s range=%s kind=%s' % (
            cid, q(name), fp(at), fmt(facing), fmt(fov), fmt(rng), kind))
    w('')
    w('# --- Addresses (odd numbers on the left going along the street, even on the right) ---')
    for aid, st, number, at, name in ADDRESSES:
        rec = 'address %s street=%s number=%s at=%s' % (aid, st, q(number), fp(at))
        if name:
            rec += ' name=%s' % q(name)
        w(rec)
    w('')
    w('# --- Landmarks ---')
    for lid, name, roman, kind, at in LANDMARKS:
        w('landmark %s name=%s roman=%s kind=%s at=%s' % (lid, q(name), q(roman), kind, fp(at)))
    w('')
    w('# --- Areas: rivers, creek, lake, parks, square, museum block ---')
    for aid, kind, name, roman, pts in AREAS:
        w('area %s kind=%s name=%s roman=%s points="%s"' % (
            aid, kind, q(name), q(roman), ' '.join(fp(p) for p in pts)))
    return '\n'.join(L) + '\n', bridge_ids


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'jiangbei-city.wrmap')
    problems = self_check()
    for p in problems:
        print('make_jiangbei: ' + p, file=sys.stderr)
    text, bridges = emit()
    with open(out, 'w', encoding='utf-8') as f:
        f.write(text)
    oneway = sum(1 for g in SEGS if STREETS[g[0]]['oneway'])
    print('wrote %s: %d nodes, %d streets, %d segments (%d one-way), %d cameras, '
          '%d addresses, %d landmarks, %d areas; bridges: %s' % (
              os.path.normpath(out), len(NODES), sum(1 for s in STREETS if s['named']),
              len(SEGS), oneway, len(CAMERAS), len(ADDRESSES), len(LANDMARKS), len(AREAS),
              ' '.join(bridges)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
