import Foundation

/// Text for a terminal that shows only ASCII (`--ascii`, a non-UTF-8 locale): Chinese and
/// other scripts transliterated to Latin letters (ICU's `Any-Latin; Latin-ASCII`, which
/// swift-corelibs-foundation carries on Linux), so a name never turns into `????`.
///
/// Han characters come out as pinyin syllables, each capitalized: `永平门街` becomes
/// `Yong Ping Men Jie`. Where a map gives a romanized name, use that instead (see
/// ``PrecinctMap/romanized()``). Results are cached: the console asks every frame.
public enum Romanizer {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: String] = [:]
    private static let transform = StringTransform("Any-Latin; Latin-ASCII")
    /// Symbols the transform leaves alone, and what an ASCII screen shows for them.
    private static let symbols: [Character: String] = ["⚠": "!", "·": "-", "—": "-", "–": "-", "→": "->", "←": "<-", "…": "...",
                                                       "◉": "*", "●": "o", "■": "#", "▲": "^", "▼": "v", "⌖": "+"]

    /// `text` in ASCII; already-ASCII text comes back unchanged.
    public static func ascii(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy(\.isASCII) { return text }
        lock.lock()
        if let hit = cache[text] { lock.unlock(); return hit }
        lock.unlock()
        var out = ""
        var run = ""
        func flush() {
            guard !run.isEmpty else { return }
            let latin = run.applyingTransform(transform, reverse: false) ?? ""
            // Capitalize each syllable of a transliterated run.
            let words = latin.split(separator: " ", omittingEmptySubsequences: false).map { w in
                w.prefix(1).uppercased() + w.dropFirst()
            }
            if let last = out.last, last.isLetter || last.isNumber { out += " " }
            out += words.joined(separator: " ")
            run = ""
        }
        for ch in text {
            if ch.unicodeScalars.allSatisfy(\.isASCII) {
                flush()
                out.append(ch)
            } else if let s = symbols[ch] {
                flush()
                out += s
            } else {
                run.append(ch)
            }
        }
        flush()
        // Whatever is still not ASCII (an emoji, a symbol ICU keeps) becomes "?" at the terminal.
        lock.lock()
        if cache.count > 20_000 { cache.removeAll() }
        cache[text] = out
        lock.unlock()
        return out
    }
}

extension PrecinctMap {
    /// The map with every name in ASCII: the romanized name where the map has one, else a
    /// transliteration (streets, places, cameras, addresses, areas, the precinct).
    public func romanized() -> PrecinctMap {
        var m = self
        m.name = roman ?? Romanizer.ascii(name)
        for i in m.streets.indices { m.streets[i].name = m.streets[i].roman ?? Romanizer.ascii(m.streets[i].name) }
        for i in m.cameras.indices { m.cameras[i].name = Romanizer.ascii(m.cameras[i].name) }
        for i in m.addresses.indices { m.addresses[i].name = m.addresses[i].name.map(Romanizer.ascii) }
        for i in m.landmarks.indices { m.landmarks[i].name = m.landmarks[i].roman ?? Romanizer.ascii(m.landmarks[i].name) }
        for i in m.areas.indices { m.areas[i].name = m.areas[i].roman ?? m.areas[i].name.map(Romanizer.ascii) }
        if var st = m.station {
            st.name = st.roman ?? Romanizer.ascii(st.name)
            m.station = st
        }
        return m
    }
}

extension PrecinctState {
    /// The state with incidents' and units' text in ASCII (``Romanizer``).
    public func romanized() -> PrecinctState {
        var s = self
        for (id, var i) in s.incidents {
            i.place = Romanizer.ascii(i.place)
            i.summary = Romanizer.ascii(i.summary)
            i.callerName = i.callerName.map(Romanizer.ascii)
            s.incidents[id] = i
        }
        for (id, var u) in s.units {
            u.callsign = Romanizer.ascii(u.callsign)
            u.name = u.name.map(Romanizer.ascii)
            u.crew = u.crew.map(Romanizer.ascii)
            s.units[id] = u
        }
        return s
    }
}
