import ArgumentParser
import Foundation
import WatchroomCore

extension InterfaceLanguage {
    /// `--lang`: `en` or `zh-Hans` (also `zh-CN`, `zh_CN.UTF-8`, `zh-SG`); anything else is one clear line.
    static func argument(_ text: String) throws -> InterfaceLanguage {
        guard let language = parse(text) else {
            throw ValidationError("the interface languages are en and zh-Hans (Simplified Chinese)")
        }
        return language
    }

    /// `--lang` when given, else the locale's (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    static func chosen(_ flag: InterfaceLanguage?) -> InterfaceLanguage {
        flag ?? fromEnvironment(ProcessInfo.processInfo.environment)
    }

    static let optionHelp = ArgumentHelp(
        "Interface language: en or zh-Hans (default: zh-Hans for a zh_CN, zh_SG or zh_Hans locale, else en). With --ascii the interface is English.",
        valueName: "lang")
}
