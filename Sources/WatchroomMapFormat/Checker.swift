import Foundation
import WatchroomCore

extension MapParser {
    /// Byte offset of `key`'s value on the record line starting at `ls` (the line start
    /// when the key is absent). Re-reads the line; only used when reporting.
    mutating func locate(_ ls: Int, _ key: FieldKey?) -> Int {
        guard let key else { return ls }
        var le = ls
        while le < buf.count, buf[le] != Bytes.lf { le += 1 }
        _ = tokenize(ls, le, emit: false)
        for t in toks where t.isPair && bytesEqual(t.start, t.keyEnd, FieldKey.bytes[key.rawValue]) {
            return t.valueAnchor
        }
        return ls
    }

    mutating func reportAt(_ severity: Severity, _ line: Int32, _ ls: Int, _ key: FieldKey?, _ message: String) {
        // Count first so nothing is computed for diagnostics that will not be stored.
        if diagnostics.count >= MapParser.storedLimit {
            if severity == .error { errorCount += 1 } else { warningCount += 1 }
            return
        }
        let offset = locate(ls, key)
        report(severity, line: Int(line), lineStart: ls, at: offset, message)
    }

    func streetLabel(slot: Int32) -> String {
        guard slot >= 0, let s = streets.payload[Int(slot)] else { return "an unnamed road" }
        if let r = s.roman, !r.isEmpty, r != s.name { return TextSanitizer.quote(s.name) + " (" + TextSanitizer.quote(r) + ")" }
        return TextSanitizer.quote(s.name)
    }

    // MARK: - Second pass

    /// Resolves references, runs the semantic checks and builds the map.
    mutating func finish() -> MapCheckResult {
        var map: PrecinctMap?
        if precinctOK, let key = precinctKey, let name = precinctName, let zone = precinctTimeZone {
            map = PrecinctMap(key: key, name: name, roman: precinctRoman, timeZone: zone, origin: origin,
                              declaredBounds: bounds)
        } else if firstRecordSeen && precinctLine == 0 {
            reportFixed(.error, line: 1, column: 1, "no 'precinct' record: a map needs precinct key=.. name=.. timezone=..")
        }

        // Nodes and streets in definition order.
        var nodeFinal = [Int32](repeating: -1, count: nodes.keys.count)
        var intersections: [Intersection] = []
        intersections.reserveCapacity(nodes.definitionOrder.count)
        for slot in nodes.definitionOrder {
            if let p = nodes.payload[Int(slot)] {
                nodeFinal[Int(slot)] = Int32(intersections.count)
                intersections.append(p)
            }
        }
        var streetFinal = [Int32](repeating: -1, count: streets.keys.count)
        var streetList: [Street] = []
        for slot in streets.definitionOrder {
            if let p = streets.payload[Int(slot)] {
                streetFinal[Int(slot)] = Int32(streetList.count)
                streetList.append(p)
            }
        }

        // Segments.
        var segmentList: [Segment] = []
        segmentList.reserveCapacity(segments.count)
        var nodeDegree = [Int32](repeating: 0, count: nodes.keys.count)
        var streetUsed = [Bool](repeating: false, count: streets.keys.count)
        // Resolved per pending segment for the graph checks.
        var carOK = [Bool](repeating: false, count: segments.count)
        var footOK = [Bool](repeating: false, count: segments.count)
        for (si, s) in segments.enumerated() {
            var ok = s.ok
            if s.from >= 0 { nodeDegree[Int(s.from)] &+= 1 }
            if s.to >= 0 { nodeDegree[Int(s.to)] &+= 1 }
            if s.street >= 0 { streetUsed[Int(s.street)] = true }
            for (slot, key) in [(s.from, FieldKey.from), (s.to, FieldKey.to)] where slot >= 0 && !nodes.isDefined(slot) {
                ok = false
                let name = nodes.keys[Int(slot)]
                reportAt(.error, s.line, s.lineStart, key, "segment \(TextSanitizer.quote(s.key)): node \(TextSanitizer.quote(name)) is not defined")
            }
            var street: Street?
            if s.street >= 0 {
                if !streets.isDefined(s.street) {
                    ok = false
                    let name = streets.keys[Int(s.street)]
                    reportAt(.error, s.line, s.lineStart, .street, "segment \(TextSanitizer.quote(s.key)): street \(TextSanitizer.quote(name)) is not defined")
                } else {
                    street = streets.payload[Int(s.street)]
                    if street == nil { ok = false }
                }
            }
            let cls = s.roadClass ?? street?.roadClass
            if cls == nil && s.street < 0 && s.ok {
                ok = false
                reportAt(.error, s.line, s.lineStart, nil, "segment \(TextSanitizer.quote(s.key)) has no street, so it needs class=")
            }
            let roadClass = cls ?? .unclassified
            let access = s.access ?? roadClass.defaultAccess
            let speed = s.speed ?? street?.speedKmh ?? roadClass.defaultSpeedKmh
            if access.allowsCar && !(speed > 0) && cls != nil {
                ok = false
                reportAt(.error, s.line, s.lineStart, s.access == nil ? .roadClass : .access,
                         "segment \(TextSanitizer.quote(s.key)) lets cars through but class \(roadClass.rawValue) has no car speed; give speed= or access=foot")
            }
            let endsKnown = nodes.isDefined(s.from) && nodes.isDefined(s.to)
            if endsKnown && s.from == s.to && s.shape.isEmpty {
                ok = false
                let node = TextSanitizer.quote(nodes.keys[Int(s.from)])
                reportAt(.error, s.line, s.lineStart, .to, "segment \(TextSanitizer.quote(s.key)) goes from node \(node) to itself with no shape")
            } else if endsKnown, let a = nodes.payload[Int(s.from)], let b = nodes.payload[Int(s.to)] {
                let length = segmentLength(a.position, s.shape, b.position)
                if !(length > 0) {
                    ok = false
                    reportAt(.error, s.line, s.lineStart, .to, "segment \(TextSanitizer.quote(s.key)) has zero length")
                } else if !length.isFinite {
                    // Never dropped without a word: its points lie too far apart to measure.
                    ok = false
                    reportAt(.error, s.line, s.lineStart, .to, "segment \(TextSanitizer.quote(s.key)) is too long to measure; keep its points within 10000 km of the origin")
                } else {
                    if s.shape.isEmpty && length > 2000 {
                        reportAt(.warning, s.line, s.lineStart, .to, "segment \(TextSanitizer.quote(s.key)) is \(formatNumber(length / 1000)) km long with no shape points")
                    }
                    if ok, map != nil {
                        let fi = nodeFinal[Int(s.from)], ti = nodeFinal[Int(s.to)]
                        let sf: Int32 = s.street >= 0 ? streetFinal[Int(s.street)] : -1
                        if fi >= 0, ti >= 0, s.street < 0 || sf >= 0 {
                            segmentList.append(Segment(key: s.key, street: sf >= 0 ? Int(sf) : nil, from: Int(fi), to: Int(ti),
                                                       shape: s.shape, oneway: s.oneway, roadClass: roadClass,
                                                       speedKmh: speed, access: access, lengthMeters: length))
                        }
                    }
                }
            }
            if endsKnown && s.from != s.to {
                carOK[si] = access.allowsCar
                footOK[si] = access.allowsFoot
            }
        }

        // Unused nodes and streets.
        for slot in nodes.definitionOrder where nodeDegree[Int(slot)] == 0 {
            let key = nodes.keys[Int(slot)]
            reportAt(.warning, nodes.line[Int(slot)], nodes.lineStart[Int(slot)], nil, "node \(TextSanitizer.quote(key)) is not used by any segment")
        }
        for slot in streets.definitionOrder where !streetUsed[Int(slot)] {
            let key = streets.keys[Int(slot)]
            reportAt(.warning, streets.line[Int(slot)], streets.lineStart[Int(slot)], nil, "street \(TextSanitizer.quote(key)) has no segments")
        }

        // Station.
        if stations.isEmpty {
            if firstRecordSeen { reportFixed(.error, line: 1, column: 1, "no station: a map needs exactly one 'station' record") }
        } else {
            let firstLine = stations[0].line
            for extra in stations.dropFirst() {
                reportAt(.error, extra.line, extra.lineStart, nil, "more than one station (the first is at line \(firstLine)); a map has exactly one")
            }
        }
        let station = stations.first?.value

        // Addresses.
        var addressList: [(Address, Int32, Int)] = []
        for a in addresses {
            var ok = a.ok
            if a.street >= 0 && !streets.isDefined(a.street) {
                ok = false
                let name = TextSanitizer.quote(streets.keys[Int(a.street)])
                reportAt(.error, a.line, a.lineStart, .street, "address \(TextSanitizer.quote(a.key)): street \(name) is not defined")
            }
            guard ok, a.street >= 0, let pos = a.position else { continue }
            let sf = streetFinal[Int(a.street)]
            guard sf >= 0 else { continue }
            addressList.append((Address(key: a.key, street: Int(sf), number: a.number, position: pos, name: a.name), a.line, a.lineStart))
        }

        guard var m = map else {
            return result(map: nil)
        }
        m.intersections = intersections
        m.streets = streetList
        m.segments = segmentList
        m.station = station
        m.cameras = cameras.compactMap(\.value)
        m.addresses = addressList.map(\.0)
        m.landmarks = landmarks.compactMap(\.value)
        m.areas = areas.compactMap(\.value)

        // Bounds.
        let b = m.bounds
        let boundsText = "\(formatNumber(b.min.x))..\(formatNumber(b.max.x)) × \(formatNumber(b.min.y))..\(formatNumber(b.max.y))"
        func outside(_ p: Point) -> Bool { !b.contains(p) }
        if let st = stations.first, let v = st.value, outside(v.position) {
            reportAt(.error, st.line, st.lineStart, .at, "station \(TextSanitizer.quote(v.key)) lies outside the map bounds (\(boundsText))")
        }
        for c in cameras {
            if let v = c.value, outside(v.position) {
                reportAt(.error, c.line, c.lineStart, .at, "camera \(TextSanitizer.quote(v.key)) lies outside the map bounds (\(boundsText))")
            }
        }
        for l in landmarks {
            if let v = l.value, outside(v.position) {
                reportAt(.error, l.line, l.lineStart, .at, "landmark \(TextSanitizer.quote(v.key)) lies outside the map bounds (\(boundsText))")
            }
        }
        for (a, line, ls) in addressList where outside(a.position) {
            reportAt(.error, line, ls, .at, "address \(TextSanitizer.quote(a.key)) lies outside the map bounds (\(boundsText))")
        }

        // Addresses far from their street.
        var streetSegments = [[Int]](repeating: [], count: m.streets.count)
        for (i, s) in m.segments.enumerated() {
            if let st = s.street { streetSegments[st].append(i) }
        }
        for (a, line, ls) in addressList where !streetSegments[a.street].isEmpty {
            if !isNear(a.position, segments: streetSegments[a.street], in: m, within: 100) {
                reportAt(.warning, line, ls, .at, "address \(TextSanitizer.quote(a.key)) is more than 100 m from its street \(TextSanitizer.quote(m.streets[a.street].name))")
            }
        }

        // Road graph.
        if let position = station?.position ?? firstStationPosition {
            checkGraph(station: position, carOK: carOK, footOK: footOK)
            if let st = stations.first { checkCoverage(m, station: position, line: st.line, lineStart: st.lineStart) }
        }

        return result(map: m)
    }

    func result(map: PrecinctMap?) -> MapCheckResult {
        var order = Array(diagnostics.indices)
        let d = diagnostics
        order.sort { i, j in
            if d[i].line != d[j].line { return d[i].line < d[j].line }
            if d[i].column != d[j].column { return d[i].column < d[j].column }
            return i < j
        }
        return MapCheckResult(map: map, diagnostics: order.map { d[$0] }, errorCount: errorCount, warningCount: warningCount)
    }

    func segmentLength(_ a: Point, _ shape: [Point], _ b: Point) -> Double {
        if shape.isEmpty { return a.distance(to: b) }
        var total = 0.0
        var prev = a
        for p in shape {
            total += prev.distance(to: p)
            prev = p
        }
        return total + prev.distance(to: b)
    }

    func isNear(_ p: Point, segments list: [Int], in m: PrecinctMap, within d: Double) -> Bool {
        for i in list {
            let s = m.segments[i]
            var pts = [m.intersections[s.from].position]
            pts.append(contentsOf: s.shape)
            pts.append(m.intersections[s.to].position)
            guard let box = Rect(enclosing: pts), box.insetBy(-d).contains(p) else { continue }
            if Polyline.project(p, onto: pts).distance <= d { return true }
        }
        return false
    }
}

/// Numbers in messages: integers without a fraction, others with up to 2 decimals.
func formatNumber(_ v: Double) -> String {
    guard v.isFinite else { return "\(v)" }
    let r = (v * 100).rounded() / 100
    if r == r.rounded(), abs(r) < 1e15 { return String(Int64(r)) }
    return "\(r)"
}
