import Foundation
@testable import WatchroomCore
import XCTest

/// The interface tables: every key in both languages, the same placeholders, no key the
/// code uses missing, and the language chosen from `--lang` and the locale.
final class InterfaceTextTests: XCTestCase {
    func testEveryKeyIsInBothLanguagesOnce() {
        var keys: [InterfaceLanguage: Set<String>] = [:]
        for language in InterfaceLanguage.allCases {
            let entries = InterfaceText.entries(language)
            var seen = Set<String>()
            for e in entries {
                XCTAssertTrue(seen.insert(e.key).inserted, "\(language.rawValue): \(e.key) is in the table twice")
                XCTAssertFalse(e.text.trimmingCharacters(in: .whitespaces).isEmpty, "\(language.rawValue): \(e.key) is empty")
            }
            keys[language] = seen
        }
        let en = keys[.english] ?? [], zh = keys[.simplifiedChinese] ?? []
        XCTAssertGreaterThan(en.count, 100)
        XCTAssertEqual(en.subtracting(zh).sorted(), [], "missing in zh-Hans (InterfaceText+SimplifiedChinese.swift)")
        XCTAssertEqual(zh.subtracting(en).sorted(), [], "missing in en (InterfaceText+English.swift)")
    }

    func testPlaceholdersAgreeKeyByKey() {
        for (key, english) in InterfaceText.entries(.english) {
            let chinese = InterfaceText.string(key, in: .simplifiedChinese)
            XCTAssertEqual(InterfaceText.placeholders(english), InterfaceText.placeholders(chinese),
                           "\(key): en \"\(english)\" and zh-Hans \"\(chinese)\" take different arguments")
            // Placeholders are {0}, {1}... without a gap.
            let used = Set(InterfaceText.placeholders(english))
            XCTAssertEqual(used, Set(0..<used.count), "\(key): placeholders must run {0}...{\(used.count - 1)}")
        }
    }

    /// Every key named in the code (a literal passed to `.t(`, a `KeyBinding`, a `KeyHint` or
    /// an `InterfacePhrase`) is in the tables; the keys
    /// built from a value (`mode.live`, `compass.NE`, a category, a status) are checked by value.
    func testEveryKeyTheCodeUsesIsInTheTables() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        let areas = Set(InterfaceText.entries(.english).compactMap { $0.key.split(separator: ".").first.map(String.init) })
        let literal = try NSRegularExpression(pattern: "\"([a-zA-Z]+(?:\\.[A-Za-z0-9_]+)+)\"")
        var used = Set<String>()
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift", !url.path.contains("/Text/Interface/") else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains(".t(") || line.contains("KeyBinding(") || line.contains("KeyHint(")
                || line.contains("InterfacePhrase(") {
                let s = String(line)
                for m in literal.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
                    guard let r = Range(m.range(at: 1), in: s) else { continue }
                    let key = String(s[r])
                    if let area = key.split(separator: ".").first, areas.contains(String(area)) { used.insert(key) }
                }
            }
        }
        XCTAssertGreaterThan(used.count, 50, "the scan found the keys the code uses")
        for mode in ShiftMode.allCases { used.insert("mode." + mode.rawValue) }
        for point in ["N", "NE", "E", "SE", "S", "SW", "W", "NW"] { used.insert("compass." + point) }
        for status in UnitStatus.allCases { used.insert("status.code." + status.rawValue) }
        for category in IncidentCategory.allCases { used.insert("category.words." + category.rawValue) }
        for key in used.sorted() {
            for language in InterfaceLanguage.allCases {
                XCTAssertTrue(InterfaceText.has(key, in: language), "\(key) is used in Sources/ but missing in \(language.rawValue)")
            }
        }
    }

    func testFormatPutsArgumentsInTheirPlaces() {
        XCTAssertEqual(InterfaceText.format("{1} to {0}", ["C16", "I0007"]), "I0007 to C16")
        XCTAssertEqual(InterfaceText.format("警情 {0}  P1 {1}", ["3", "1"]), "警情 3  P1 1")
        XCTAssertEqual(InterfaceText.format("{2} {x} {", ["a"]), "{2} {x} {", "unknown placeholders stay")
        XCTAssertEqual(InterfaceLanguage.simplifiedChinese.t("status.alert", 2), "超时 2")
        XCTAssertEqual(InterfaceLanguage.english.t("status.alert", 2), "ALERT 2")
        XCTAssertEqual(InterfaceText.string("no.such.key", in: .simplifiedChinese), "no.such.key")
    }

    func testLanguageFromFlagAndLocale() {
        XCTAssertEqual(InterfaceLanguage.parse("zh-Hans"), .simplifiedChinese)
        XCTAssertEqual(InterfaceLanguage.parse("zh_CN.UTF-8"), .simplifiedChinese)
        XCTAssertEqual(InterfaceLanguage.parse("zh_SG.utf8"), .simplifiedChinese)
        XCTAssertEqual(InterfaceLanguage.parse("zh-Hans-CN"), .simplifiedChinese)
        XCTAssertEqual(InterfaceLanguage.parse("en_GB.UTF-8"), .english)
        XCTAssertEqual(InterfaceLanguage.parse("C.UTF-8"), .english)
        XCTAssertNil(InterfaceLanguage.parse("zh_TW.UTF-8"), "Traditional Chinese is not Simplified")
        XCTAssertNil(InterfaceLanguage.parse("zh-Hant"))
        XCTAssertNil(InterfaceLanguage.parse("fr"))
        XCTAssertNil(InterfaceLanguage.parse(""))
        XCTAssertEqual(InterfaceLanguage.fromEnvironment(["LANG": "zh_CN.UTF-8"]), .simplifiedChinese)
        XCTAssertEqual(InterfaceLanguage.fromEnvironment(["LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"]), .english,
                       "LC_ALL overrides LANG")
        XCTAssertEqual(InterfaceLanguage.fromEnvironment(["LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"]), .simplifiedChinese)
        XCTAssertEqual(InterfaceLanguage.fromEnvironment(["LANG": "zh_CN.UTF-8", "LC_ALL": ""]), .simplifiedChinese,
                       "an empty variable is not set")
        XCTAssertEqual(InterfaceLanguage.fromEnvironment(["LANG": "zh_TW.UTF-8"]), .english)
        XCTAssertEqual(InterfaceLanguage.fromEnvironment([:]), .english)
        XCTAssertEqual(InterfaceLanguage.shown(requested: .simplifiedChinese, unicode: false), .english,
                       "an ASCII screen cannot show Chinese")
        XCTAssertEqual(InterfaceLanguage.shown(requested: .simplifiedChinese, unicode: true), .simplifiedChinese)
    }
}
