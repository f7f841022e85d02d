import Foundation
import WatchroomCore

extension MapParser {
    func bytesEqual(_ s: Int, _ e: Int, _ word: [UInt8]) -> Bool {
        guard e - s == word.count else { return false }
        var i = 0
        while i < word.count {
            if buf[s + i] != word[i] { return false }
            i += 1
        }
        return true
    }

    func recordKind(_ t: Token) -> RecordKind? {
        for kind in RecordKind.allCases where bytesEqual(t.valueStart, t.valueEnd, RecordKind.nameBytes[kind.rawValue]) {
            return kind
        }
        return nil
    }

    func fieldKey(_ t: Token, in specs: [FieldSpec]) -> FieldKey? {
        for spec in specs where bytesEqual(t.start, t.keyEnd, FieldKey.bytes[spec.key.rawValue]) {
            return spec.key
        }
        return nil
    }

    // MARK: - Records

    mutating func processLine(_ ls: Int, _ le: Int, _ line: Int) {
        curLine = line
        curLineStart = ls
        recordOK = true
        let structural = tokenize(ls, le, emit: true)
        guard let first = toks.first else { return }  // blank or comment
        guard !first.isPair, !first.quoted else {
            fail(at: first.start, "expected a record kind (\(RecordKind.allNames)) at the start of the line")
            return
        }
        guard let kind = recordKind(first) else {
            fail(at: first.start, "unknown record kind \(quoteBytes(first.valueStart, first.valueEnd)); expected one of \(RecordKind.allNames)")
            if !firstRecordSeen { firstRecordSeen = true; reportMissingHeader(at: first.start) }
            return
        }
        if !firstRecordSeen {
            firstRecordSeen = true
            if kind != .header { reportMissingHeader(at: first.start) }
        }

        var firstField = 1
        var id: String?
        var idToken: Token?
        if kind.hasID {
            if toks.count >= 2, !toks[1].isPair {
                let t = toks[1]
                firstField = 2
                idToken = t
                if t.quoted {
                    fail(at: t.start, "an ID is a bare word, not quoted")
                } else if let bad = firstNonIDChar(t.valueStart, t.valueEnd) {
                    fail(at: bad, "invalid \(kind.name) ID \(quoteBytes(t.valueStart, t.valueEnd)): IDs use ASCII letters, digits, '_', '-', '.' and ':'")
                } else {
                    id = String(decoding: UnsafeBufferPointer(rebasing: buf[t.valueStart..<t.valueEnd]), as: UTF8.self)
                }
            } else if structural {
                fail(at: toks.count >= 2 ? toks[1].start : le, "missing \(kind.name) ID after '\(kind.name)'")
            }
        } else if kind == .header {
            firstField = 2
        }

        // Fields.
        let specs = RecordKind.fieldTable[kind.rawValue]
        for k in 0..<fieldTok.count { fieldTok[k] = -1 }
        var ti = firstField
        while ti < toks.count {
            let t = toks[ti]
            defer { ti += 1 }
            if !t.isPair, countedOnly() { continue }
            guard t.isPair else {
                fail(at: t.start, "unexpected \(quoteBytes(t.start, t.quoted ? t.valueEnd + 1 : t.valueEnd)): expected key=value")
                continue
            }
            guard let key = fieldKey(t, in: specs) else {
                if countedOnly() { continue }
                let known = specs.map(\.key.text).joined(separator: ", ")
                fail(at: t.start, "unknown key \(quoteBytes(t.start, t.keyEnd)) for \(kind.name)" + (known.isEmpty ? " (it takes none)" : " (known: \(known))"))
                continue
            }
            if fieldTok[key.rawValue] >= 0 {
                if countedOnly() { continue }
                let prev = toks[fieldTok[key.rawValue]]
                let prevCol = column(lineStart: ls, offset: prev.start)
                fail(at: t.start, "key '\(key.text)' given twice (first at column \(prevCol))")
                continue
            }
            if t.bad { recordOK = false }
            fieldTok[key.rawValue] = ti
        }
        if structural {
            for spec in specs where spec.required && fieldTok[spec.key.rawValue] < 0 {
                fail(at: first.start, "\(kind.name)\(id.map { " " + $0 } ?? ""): missing required key '\(spec.key.text)'")
            }
        } else {
            recordOK = false
        }

        switch kind {
        case .header: headerRecord(ls)
        case .precinct: precinctRecord()
        case .origin: originRecord(first)
        case .bounds: boundsRecord(first)
        case .node: nodeRecord(id, idToken)
        case .street: streetRecord(id, idToken)
        case .segment: segmentRecord(id, idToken)
        case .station: stationRecord(id, idToken)
        case .camera: cameraRecord(id, idToken)
        case .address: addressRecord(id, idToken)
        case .landmark: landmarkRecord(id, idToken)
        case .area: areaRecord(id, idToken)
        }
    }

    mutating func reportMissingHeader(at offset: Int) {
        fail(at: offset, "expected 'watchroom-map 1' as the first record")
    }

    func firstNonIDChar(_ s: Int, _ e: Int) -> Int? {
        var i = s
        while i < e {
            if !Bytes.isIDChar(buf[i]) { return i }
            i += 1
        }
        return nil
    }

    // MARK: - Field values

    func tok(_ k: FieldKey) -> Token? {
        let i = fieldTok[k.rawValue]
        return i >= 0 ? toks[i] : nil
    }

    /// A string field; nil when absent or broken.
    func text(_ k: FieldKey) -> String? {
        guard let t = tok(k), !t.bad else { return nil }
        return string(of: t)
    }

    /// Checks a value is unquoted-escape-free; numbers, points and IDs take no escapes.
    mutating func plain(_ t: Token, _ what: String) -> Bool {
        if t.bad { return false }
        if t.hasEscapes {
            fail(at: t.valueAnchor, "\(what) cannot contain escapes")
            return false
        }
        return true
    }

    mutating func num(_ k: FieldKey) -> Double? {
        guard let t = tok(k), plain(t, "a number") else { return nil }
        guard let v = number(t.valueStart, t.valueEnd) else {
            fail(at: t.valueAnchor, "malformed number \(quoteBytes(t.valueStart, t.valueEnd)) for '\(k.text)' (expected a finite decimal such as 12, -3.5 or 1e3)")
            return nil
        }
        return v
    }

    mutating func positiveNum(_ k: FieldKey, max: Double = .infinity, unit: String) -> Double? {
        guard let v = num(k) else { return nil }
        guard let t = tok(k) else { return nil }
        if !(v > 0) || v > max {
            fail(at: t.valueAnchor, "'\(k.text)' must be greater than 0" + (max.isFinite ? " and at most \(formatNumber(max))" : "") + " \(unit)")
            return nil
        }
        return v
    }

    mutating func pointField(_ k: FieldKey) -> Point? {
        guard let t = tok(k), plain(t, "a point") else { return nil }
        guard let p = point(t.valueStart, t.valueEnd) else {
            fail(at: t.valueAnchor, "malformed point \(quoteBytes(t.valueStart, t.valueEnd)) for '\(k.text)' (expected X,Y in metres)")
            return nil
        }
        do { try Bounds.check(p) } catch {
            fail(at: t.valueAnchor, "'\(k.text)': \(error)")
            return nil
        }
        return p
    }

    mutating func pointList(_ k: FieldKey) -> [Point]? {
        guard let t = tok(k), plain(t, "a point list") else { return nil }
        var out: [Point] = []
        var i = t.valueStart
        let e = t.valueEnd
        while true {
            while i < e, Bytes.isBlank(buf[i]) { i += 1 }
            if i >= e { break }
            let s = i
            while i < e, !Bytes.isBlank(buf[i]) { i += 1 }
            guard let p = point(s, i) else {
                fail(at: s, "malformed point \(quoteBytes(s, i)) in '\(k.text)' (expected \"X,Y X,Y ...\")")
                return nil
            }
            do { try Bounds.check(p) } catch {
                fail(at: s, "'\(k.text)': \(error)")
                return nil
            }
            out.append(p)
        }
        return out
    }

    /// An ID reference, interned in the table at `table`.
    mutating func ref<P>(_ k: FieldKey, _ table: WritableKeyPath<MapParser, SlotTable<P>>) -> Int32 {
        guard let t = tok(k), plain(t, "an ID") else { return -1 }
        if let bad = firstNonIDChar(t.valueStart, t.valueEnd) {
            fail(at: bad, "invalid ID \(quoteBytes(t.valueStart, t.valueEnd)) for '\(k.text)'")
            return -1
        }
        guard t.valueEnd > t.valueStart else {
            fail(at: t.valueAnchor, "empty ID for '\(k.text)'")
            return -1
        }
        let key = String(decoding: UnsafeBufferPointer(rebasing: buf[t.valueStart..<t.valueEnd]), as: UTF8.self)
        return self[keyPath: table].intern(key)
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ k: FieldKey, _: E.Type) -> E? where E.RawValue == String {
        guard let t = tok(k), !t.bad else { return nil }
        let s = string(of: t)
        if let v = E(rawValue: s) { return v }
        let allowed = E.allCases.map(\.rawValue).joined(separator: " ")
        fail(at: t.valueAnchor, "unknown \(k.text) \(TextSanitizer.quote(s)) (expected one of: \(allowed))")
        return nil
    }

    mutating func yesNo(_ k: FieldKey) -> Bool? {
        guard let t = tok(k), !t.bad else { return nil }
        if bytesEqual(t.valueStart, t.valueEnd, Array("yes".utf8)) { return true }
        if bytesEqual(t.valueStart, t.valueEnd, Array("no".utf8)) { return false }
        fail(at: t.valueAnchor, "'\(k.text)' must be yes or no, not \(quoteBytes(t.valueStart, t.valueEnd))")
        return nil
    }

    /// Registers a definition; nil (reported) when the ID is taken.
    mutating func define<P>(_ table: WritableKeyPath<MapParser, SlotTable<P>>, _ id: String, _ idToken: Token, kind: RecordKind) -> Int32? {
        let slot = self[keyPath: table].intern(id)
        let s = Int(slot)
        let first = self[keyPath: table].line[s]
        if first != 0 {
            fail(at: idToken.start, "duplicate \(kind.name) ID \(TextSanitizer.quote(id)) (first defined at line \(first))")
            return nil
        }
        self[keyPath: table].line[s] = Int32(truncatingIfNeeded: curLine)
        self[keyPath: table].lineStart[s] = curLineStart
        self[keyPath: table].definitionOrder.append(slot)
        return slot
    }

    mutating func unique(_ seen: WritableKeyPath<MapParser, [String: Int32]>, _ id: String, _ idToken: Token, kind: RecordKind) -> Bool {
        if let first = self[keyPath: seen][id] {
            fail(at: idToken.start, "duplicate \(kind.name) ID \(TextSanitizer.quote(id)) (first defined at line \(first))")
            return false
        }
        self[keyPath: seen][id] = Int32(truncatingIfNeeded: curLine)
        return true
    }

    // MARK: - Header records

    mutating func headerRecord(_ ls: Int) {
        if headerLine != 0 {
            fail(at: ls, "repeated 'watchroom-map' record (first at line \(headerLine))")
            return
        }
        headerLine = curLine
        guard toks.count >= 2, !toks[1].isPair, !toks[1].quoted else {
            fail(at: toks.count >= 2 ? toks[1].start : ls, "missing version: the first record is 'watchroom-map 1'")
            return
        }
        let t = toks[1]
        guard let v = number(t.valueStart, t.valueEnd), v == v.rounded() else {
            fail(at: t.start, "malformed version \(quoteBytes(t.valueStart, t.valueEnd)): the first record is 'watchroom-map 1'")
            return
        }
        if v != 1 {
            fail(at: t.start, "unsupported format version \(quoteBytes(t.valueStart, t.valueEnd)): this reader knows version 1")
        }
    }

    mutating func repeated(_ previous: Int, _ name: String) -> Bool {
        guard previous != 0 else { return false }
        fail(at: curLineStart, "repeated '\(name)' record (first at line \(previous))")
        return true
    }

    mutating func precinctRecord() {
        if repeated(precinctLine, "precinct") { return }
        precinctLine = curLine
        var key: String?
        if let t = tok(.key), plain(t, "an ID") {
            if t.valueEnd > t.valueStart, firstNonIDChar(t.valueStart, t.valueEnd) == nil {
                key = string(of: t)
            } else {
                fail(at: t.valueAnchor, "invalid precinct key \(quoteBytes(t.valueStart, t.valueEnd)): IDs use ASCII letters, digits, '_', '-', '.' and ':'")
            }
        }
        let name = text(.name)
        let roman = text(.roman)
        var zone = text(.timezone)
        if let z = zone, let t = tok(.timezone), !MapParser.isKnownTimeZone(z) {
            fail(at: t.valueAnchor, "unknown time zone \(TextSanitizer.quote(z)) (expected an IANA zone such as Asia/Shanghai)")
            zone = z
        }
        precinctKey = key
        precinctName = name
        precinctRoman = roman
        precinctTimeZone = zone
        precinctOK = key != nil && name != nil && zone != nil
    }

    static func isKnownTimeZone(_ z: String) -> Bool {
        guard !z.isEmpty, z.utf8.count <= 64, !z.contains(".."), !z.hasPrefix("/") else { return false }
        for c in z.utf8 where !(Bytes.isIDChar(c) || c == 0x2F || c == Bytes.plus) { return false }
        return TimeZone(identifier: z) != nil
    }

    mutating func originRecord(_ first: Token) {
        if repeated(originLine, "origin") { return }
        originLine = curLine
        let lat = num(.lat)
        let lon = num(.lon)
        if let lat, let lon, checkLatLon(lat, lon) { origin = LatLon(lat: lat, lon: lon) }
    }

    mutating func checkLatLon(_ lat: Double, _ lon: Double) -> Bool {
        var ok = true
        if abs(lat) > 90, let t = tok(.lat) { fail(at: t.valueAnchor, "latitude must be between -90 and 90"); ok = false }
        if abs(lon) > 180, let t = tok(.lon) { fail(at: t.valueAnchor, "longitude must be between -180 and 180"); ok = false }
        return ok
    }

    mutating func boundsRecord(_ first: Token) {
        if repeated(boundsLine, "bounds") { return }
        boundsLine = curLine
        boundsLineStart = curLineStart
        guard let lo = pointField(.min), let hi = pointField(.max) else { return }
        if lo.x >= hi.x || lo.y >= hi.y {
            fail(at: tok(.max)?.valueAnchor ?? first.start, "bounds 'max' must lie east and north of 'min'")
            return
        }
        bounds = Rect(min: lo, max: hi)
    }

    // MARK: - Entity records

    mutating func nodeRecord(_ id: String?, _ idToken: Token?) {
        let at = pointField(.at)
        let lat = num(.lat)
        let lon = num(.lon)
        var latLon: LatLon?
        if (tok(.lat) == nil) != (tok(.lon) == nil) {
            fail(at: (tok(.lat) ?? tok(.lon))?.start ?? curLineStart, "a node gives both 'lat' and 'lon', or neither")
        } else if let lat, let lon, checkLatLon(lat, lon) {
            latLon = LatLon(lat: lat, lon: lon)
        }
        guard let id, let idToken, let slot = define(\.nodes, id, idToken, kind: .node) else { return }
        if recordOK, let at {
            nodes.payload[Int(slot)] = Intersection(key: id, position: at, latLon: latLon)
        }
    }

    mutating func streetRecord(_ id: String?, _ idToken: Token?) {
        let name = text(.name)
        let roman = text(.roman)
        let cls = choice(.roadClass, RoadClass.self)
        let speed = tok(.speed) == nil ? nil : positiveNum(.speed, max: 300, unit: "km/h")
        guard let id, let idToken, let slot = define(\.streets, id, idToken, kind: .street) else { return }
        if recordOK, let name, let cls {
            streets.payload[Int(slot)] = Street(key: id, name: name, roman: roman, roadClass: cls, speedKmh: speed)
        }
    }

    mutating func segmentRecord(_ id: String?, _ idToken: Token?) {
        let from = ref(.from, \.nodes)
        let to = ref(.to, \.nodes)
        let street = ref(.street, \.streets)
        let cls = choice(.roadClass, RoadClass.self)
        let speed = tok(.speed) == nil ? nil : positiveNum(.speed, max: 300, unit: "km/h")
        let oneway = yesNo(.oneway) ?? false
        let access = choice(.access, Access.self)
        let shape = tok(.shape) == nil ? [] : (pointList(.shape) ?? [])
        guard let id, let idToken, unique(\.segmentSeen, id, idToken, kind: .segment) else { return }
        segments.append(PendingSegment(key: id, line: Int32(truncatingIfNeeded: curLine), lineStart: curLineStart,
                                       from: from, to: to, street: street, roadClass: cls, speed: speed,
                                       oneway: oneway, access: access, shape: shape, ok: recordOK))
    }

    mutating func stationRecord(_ id: String?, _ idToken: Token?) {
        let name = text(.name)
        let roman = text(.roman)
        let at = pointField(.at)
        if stations.isEmpty { firstStationPosition = at }
        guard let id, let idToken, unique(\.stationSeen, id, idToken, kind: .station) else {
            if id == nil { stations.append(Placed(line: Int32(truncatingIfNeeded: curLine), lineStart: curLineStart, value: nil)) }
            return
        }
        var value: Station?
        if recordOK, let name, let at { value = Station(key: id, name: name, roman: roman, position: at) }
        stations.append(Placed(line: Int32(truncatingIfNeeded: curLine), lineStart: curLineStart, value: value))
    }

    mutating func cameraRecord(_ id: String?, _ idToken: Token?) {
        let name = text(.name)
        let at = pointField(.at)
        let facing = num(.facing)
        let fov = positiveNum(.fov, max: 360, unit: "degrees")
        let range = positiveNum(.range, unit: "metres")
        let kind = text(.kind)
        if let range, range > 500, let t = tok(.range) {
            report(.warning, line: curLine, lineStart: curLineStart, at: t.valueAnchor,
                   "camera range \(formatNumber(range)) m is over 500 m; few cameras see that far usefully")
        }
        guard let id, let idToken, unique(\.cameraSeen, id, idToken, kind: .camera) else { return }
        var value: Camera?
        if recordOK, let name, let at, let facing, let fov, let range {
            value = Camera(key: id, name: name, position: at, facing: facing, fieldOfView: fov, range: range, kind: kind)
        }
        cameras.append(Placed(line: Int32(truncatingIfNeeded: curLine), lineStart: curLineStart, value: value))
    }

    mutating func addressRecord(_ id: String?, _ idToken: Token?) {
        let street = ref(.street, \.streets)
        let number = text(.number)
        let at = pointField(.at)
        let name = text(.name)
        guard let id, let idToken, unique(\.addressSeen, id, idToken, kind: .address) else { return }
        addresses.append(PendingAddress(key: id, line: Int32(truncatingIfNeeded: curLine), lineStart: curLineStart,
                                        street: street, number: number ?? "", position: at, name: name,
                                        ok: recordOK && number != nil && at != nil))
    }

    mutating func landmarkRecord(_ id: String?, _ idToken: Token?) {
        let name = text(.name)
        let roman = text(.roman)
        let kind = text(.kind)
        let at = pointField(.at)
        guard let id, let idToken, unique(\.landmarkSeen, id, idToken, kind: .landmark) else { return }
        var value: Landmark?
        if recordOK, let name, let kind, let at { value = Landmark(key: id, name: name, roman: roman, kind: kind, position: at) }
        landmarks.append(Placed(line: Int32(truncatingIfNeeded: curLine), lineStart: curLineStart, value: value))
    }

    mutating func areaRecord(_ id: String?, _ idToken: Token?) {
        let kind = choice(.kind, AreaKind.self)
        let name = text(.name)
        let roman = text(.roman)
        let points = pointList(.points)
        if let points, points.count < 3, let t = tok(.points) {
            fail(at: t.valueAnchor, "an area needs at least 3 points, not \(points.count)")
        }
        guard let id, let idToken, unique(\.areaSeen, id, idToken, kind: .area) else { return }
        var value: Area?
        if recordOK, let kind, let points { value = Area(key: id, kind: kind, name: name, roman: roman, points: points) }
        areas.append(Placed(line: Int32(truncatingIfNeeded: curLine), lineStart: curLineStart, value: value))
    }
}

