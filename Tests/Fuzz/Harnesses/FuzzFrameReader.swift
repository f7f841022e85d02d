// libFuzzer harness: the shift server's frame reader and message decoders (docs/protocol.md).
//
// The input is a byte stream from a peer, fed to a FrameDecoder (the client bound, 64 KiB)
// in pieces whose sizes come from the first byte. Every frame cut out must decode as a
// client message, a server message or an event, or be refused with an error, never trap;
// a message that decodes must encode and decode again to the same message, and a frame
// must write back to the bytes it was read from.
import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol

private let codec = WireCodec(timeZone: TimeZone(identifier: "Asia/Shanghai") ?? .current)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let first = bytes.first else { return 0 }
    let chunk = Int(first % 17) + 1
    var decoder = FrameDecoder(limit: Frame.maxClientLength)
    var k = 1
    var frames = 0
    while k < bytes.count {
        decoder.feed(bytes[k..<min(bytes.count, k + chunk)])
        k += chunk
        do {
            while let frame = try decoder.next() {
                frames += 1
                check(frame)
                if frames > 64 { return 0 }
            }
        } catch {
            return 0
        }
    }
    return 0
}

private func check(_ frame: Frame) {
    var again = FrameDecoder()
    again.feed(frame.bytes)
    guard let back = try? again.next(), back == frame else { fatalError("a frame does not write back to itself") }
    if let message = try? codec.clientMessage(frame) {
        guard let written = try? codec.frame(message) else { fatalError("a client message read does not write: \(message)") }
        guard let reread = try? codec.clientMessage(written), reread == message else {
            fatalError("a client message does not read back the same: \(message)")
        }
    }
    if let message = try? codec.serverMessage(frame) {
        guard let written = try? codec.frame(message), (try? codec.serverMessage(written)) != nil else {
            fatalError("a server message read does not write and read back: \(message.type)")
        }
    }
    if let (envelope, _) = try? codec.event(frame) {
        guard let written = try? codec.frame(envelope), let (back, _) = try? codec.event(written), back == envelope else {
            fatalError("an event frame does not read back the same: \(envelope)")
        }
    }
}
