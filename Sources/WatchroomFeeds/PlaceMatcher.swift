import Foundation
import WatchroomCore

/// Matches a call-taker's place text against the map's addresses, landmarks and station.
///
/// In order: exact; then normalised (full-width digits and letters to ASCII, 号 and `No.`
/// dropped, case, spaces and punctuation ignored, Chinese names also compared as pinyin
/// and with the map's romanized names, the number before or after the street); then the
/// closest by edit distance, accepted only when it is close (at most 2 edits and a quarter
/// of the text), alone at that distance, and, for an address, with the same number. Anything
/// else is ``PlaceMatch/unverified(candidates:)`` with the closest few: never a silent guess.
public struct PlaceMatcher: Sendable {
    public struct Candidate: Hashable, Sendable {
        /// As the console shows it: `永平门街 18`, `江北城小学 (Jiangbeicheng Primary School)`.
        public var label: String
        public var point: Point
        /// The address's number (normalised), or `nil` for a landmark.
        fileprivate var number: String?
        /// Normalised forms of the whole name, and of the street part alone for an address.
        fileprivate var forms: [String]
        fileprivate var streetForms: [String]
        /// The forms as characters, for the edit distance.
        fileprivate var formChars: [[Character]] = []
        fileprivate var streetChars: [[Character]] = []
    }

    public enum PlaceMatch: Hashable, Sendable {
        /// The text is a candidate's name exactly.
        case exact(Candidate)
        /// The text is a candidate's name once normalised.
        case normalised(Candidate)
        /// The text is `edits` edits from one candidate and no other that close.
        case close(Candidate, edits: Int)
        /// No candidate is sure: the closest few, best first ("location unverified").
        case unverified(candidates: [Candidate])

        /// The matched candidate, if any.
        public var candidate: Candidate? {
            switch self {
            case .exact(let c), .normalised(let c), .close(let c, _): return c
            case .unverified: return nil
            }
        }
    }

    public let candidates: [Candidate]
    private let byForm: [String: [Int]]

    /// Indexes `map`'s addresses, landmarks and station.
    ///
    /// - Complexity: O(places), with one ICU transliteration per distinct Chinese name.
    public init(map: PrecinctMap) {
        var all: [Candidate] = []
        var pinyin: [String: String] = [:]
        func names(_ name: String, _ roman: String?) -> [String] {
            var out = [name]
            if let roman, !roman.isEmpty { out.append(roman) }
            if Self.hasHan(name) {
                if pinyin[name] == nil { pinyin[name] = Romanizer.ascii(name) }
                out.append(pinyin[name] ?? "")
            }
            return out.map(Self.normalize).filter { !$0.isEmpty }
        }
        for a in map.addresses where map.streets.indices.contains(a.street) {
            let st = map.streets[a.street]
            let number = Self.normalize(a.number)
            let streetForms = names(st.name, st.roman)
            var forms = streetForms.flatMap { [$0 + number, number + $0] }
            if let n = a.name { forms += names(n, nil) }
            all.append(Candidate(label: "\(st.name) \(a.number)" + (a.name.map { " (\($0))" } ?? ""), point: a.position,
                                 number: number, forms: forms, streetForms: streetForms))
        }
        for l in map.landmarks {
            all.append(Candidate(label: Self.label(l.name, l.roman), point: l.position, number: nil, forms: names(l.name, l.roman), streetForms: []))
        }
        if let s = map.station {
            all.append(Candidate(label: Self.label(s.name, s.roman), point: s.position, number: nil, forms: names(s.name, s.roman), streetForms: []))
        }
        for i in all.indices {
            all[i].formChars = all[i].forms.map { Array($0) }
            all[i].streetChars = all[i].streetForms.map { Array($0) }
        }
        var index: [String: [Int]] = [:]
        for (i, c) in all.enumerated() {
            for f in Set(c.forms) { index[f, default: []].append(i) }
        }
        candidates = all
        byForm = index
    }

    /// The longest text matched by edit distance: 80 characters.
    static let maxEditText = 80

    public func match(_ raw: String) -> PlaceMatch {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let c = candidates.first(where: { $0.label == text || $0.label.hasPrefix(text + " (") }) { return .exact(c) }
        var keys = [Self.normalize(text)]
        if Self.hasHan(text) { keys.append(Self.normalize(Romanizer.ascii(text))) }
        keys = keys.filter { !$0.isEmpty }
        for key in keys {
            if let hits = byForm[key] {
                let unique = Array(Set(hits)).sorted()
                if unique.count == 1 { return .normalised(candidates[unique[0]]) }
                return .unverified(candidates: unique.prefix(5).map { candidates[$0] })
            }
        }
        guard let key = keys.first, key.count <= Self.maxEditText else { return .unverified(candidates: []) }
        // Closest by edit distance. An address's number must be the text's own number.
        let number = Self.trailingOrLeadingNumber(key)
        let keyChars = keys.map { Array($0) }
        let restChars = keys.map { Array(number?.rest(of: $0) ?? $0) }
        // Only as many edits as a close match may have are worth counting in the first pass.
        let room = Swift.max(1, Swift.min(2, key.count / 4))
        var scored: [(edits: Int, index: Int)] = []
        for (i, c) in candidates.enumerated() {
            var best = Int.max
            for k in keys.indices {
                if let cn = c.number {
                    guard let number, number.digits == cn else { continue }
                    for f in c.streetChars { best = Swift.min(best, Self.editDistance(restChars[k], f, limit: room)) }
                } else {
                    for f in c.formChars { best = Swift.min(best, Self.editDistance(keyChars[k], f, limit: room)) }
                }
            }
            if best <= room { scored.append((best, i)) }
        }
        scored.sort { ($0.edits, $0.index) < ($1.edits, $1.index) }
        if let first = scored.first {
            let alone = scored.count == 1 || scored[1].edits > first.edits
            if first.edits > 0, alone { return .close(candidates[first.index], edits: first.edits) }
        }
        // Not sure: the closest few to read out to the caller. An address scores its street's
        // distance plus one for another number, then the nearer number first.
        let wanted = number.flatMap { Int($0.digits.prefix(9)) }
        var offered: [(edits: Int, numberGap: Int, index: Int)] = []
        for (i, c) in candidates.enumerated() {
            var best = Int.max
            for k in keys.indices {
                if c.number != nil {
                    for f in c.streetChars { best = Swift.min(best, Self.editDistance(restChars[k], f, limit: 5) + (c.number == number?.digits ? 0 : 1)) }
                } else {
                    for f in c.formChars { best = Swift.min(best, Self.editDistance(keyChars[k], f, limit: 5)) }
                }
            }
            let gap = wanted.flatMap { w in c.number.flatMap { Int($0.prefix(9)) }.map { abs($0 - w) } } ?? Int.max
            offered.append((best, gap, i))
        }
        offered.sort { ($0.edits, $0.numberGap, $0.index) < ($1.edits, $1.numberGap, $1.index) }
        return .unverified(candidates: offered.prefix(3).map { candidates[$0.index] })
    }

    // MARK: - Normalising

    /// Whether `text` holds a Chinese character (worth comparing as pinyin; ICU's
    /// transliteration is the slow part of a match, so other scripts are not sent to it).
    static func hasHan(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) || (0xF900...0xFAFF).contains($0.value) }
    }

    /// Full-width forms to ASCII (NFKC), lower case, `号`/`號`/`no.` dropped, letters and
    /// digits only: `永平门街１８号` → `永平门街18`, `No. 18, Yongping Gate St.` → `18yongpinggatest`.
    static func normalize(_ s: String) -> String {
        var t = s.precomposedStringWithCompatibilityMapping.lowercased()
        for mark in ["号", "號"] { t = t.replacingOccurrences(of: mark, with: " ") }
        t = t.replacingOccurrences(of: "no.", with: " ")
        // English abbreviations as words: `St` → `street`, `Rd.` → `road`.
        let words = t.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "." }).map { w -> String in
            Self.abbreviations[String(w)] ?? String(w)
        }
        t = words.joined(separator: " ")
        return String(String.UnicodeScalarView(t.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }))
    }

    static let abbreviations = ["st": "street", "rd": "road", "ave": "avenue", "av": "avenue", "blvd": "boulevard",
                                "ln": "lane", "sq": "square", "br": "bridge"]

    /// The run of ASCII digits at the end (else at the start) of a normalised text.
    struct NumberPart {
        var digits: String
        var atEnd: Bool
        func rest(of key: String) -> String {
            atEnd ? String(key.dropLast(digits.count)) : String(key.dropFirst(digits.count))
        }
    }

    static func trailingOrLeadingNumber(_ key: String) -> NumberPart? {
        let tail = String(key.reversed().prefix { $0.isASCII && $0.isNumber }.reversed())
        if !tail.isEmpty, tail.count < key.count { return NumberPart(digits: tail, atEnd: true) }
        let head = String(key.prefix { $0.isASCII && $0.isNumber })
        if !head.isEmpty, head.count < key.count { return NumberPart(digits: head, atEnd: false) }
        return nil
    }

    /// Levenshtein distance over characters, giving up (returning `limit + 1`) past `limit`.
    ///
    /// - Complexity: O(a × b) time, O(b) space.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        editDistance(Array(a), Array(b), limit: limit)
    }

    static func editDistance(_ x: [Character], _ y: [Character], limit: Int) -> Int {
        if abs(x.count - y.count) > limit { return limit + 1 }
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count), current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            var rowBest = i
            for j in 1...y.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                rowBest = Swift.min(rowBest, current[j])
            }
            if rowBest > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    private static func label(_ name: String, _ roman: String?) -> String {
        if let roman, !roman.isEmpty, roman != name { return "\(name) (\(roman))" }
        return name
    }
}
