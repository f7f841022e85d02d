// libFuzzer harness: the two decoders of a recorded event (docs/events.md).
//
// Input `TYPE<TAB>DATA` (how a shift file's row holds an event): the fast decoder
// (FastEventDecoder) and the Codable one (EventCodec) must agree: whatever the fast one
// decodes, the Codable one decodes to the same event. Any other input is a JSON Lines
// recording: read line by line (EventLogReader) and as one line (EventCodec.decode),
// and every event read writes, reads back and writes again to the same line.
import Foundation
import WatchroomCore

/// Made once, not per input.
private let time = Date(timeIntervalSince1970: 1_773_489_600)
private let codec = EventCodec(timeZone: TimeZone(identifier: "UTC") ?? .current)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzShiftLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    if let tab = bytes.firstIndex(of: 0x09) {
        let type = UnsafeBufferPointer(rebasing: bytes[..<tab])
        let payload = UnsafeBufferPointer(rebasing: bytes[(tab + 1)...])
        let fast = FastEventDecoder.decodeData(type: type, data: payload)
        let typeText = String(decoding: type, as: UTF8.self), dataText = String(decoding: payload, as: UTF8.self)
        let codable = try? EventCodec.decode(seq: 1, time: time, type: typeText, data: dataText)
        if let fast {
            guard let codable else { fatalError("the fast decoder read what EventCodec refuses: \(typeText) \(dataText)") }
            guard codable.event == fast else { fatalError("the decoders disagree on \(typeText) \(dataText): \(fast) vs \(codable.event)") }
        }
        if let codable { roundTrip(codable) }
        return 0
    }
    let whole = Data(buffer: bytes)
    let result = EventLogReader().read(whole)
    for (_, envelope) in result.entries.prefix(50) { roundTrip(envelope) }
    if let envelope = try? EventCodec.decode(String(decoding: whole, as: UTF8.self)) { roundTrip(envelope) }
    return 0
}

/// An event read must write (unless a number is not finite), read back, and write
/// again to the same line (the first write may round a time to the millisecond).
private func roundTrip(_ envelope: EventEnvelope) {
    guard let line = try? codec.encode(envelope) else { return }
    guard let back = try? EventCodec.decode(line) else { fatalError("a written line does not read back: \(line)") }
    guard let again = try? codec.encode(back), again == line else { fatalError("a written line reads back different: \(line)") }
}
