import Foundation
import NIOCore
import NIOPosix
import WatchroomCore
import WatchroomProtocol

/// `watchroom status`: one status request, answered by the shift, its seq and the clients.
public enum StatusQuery {
    /// - Throws: ``ClientError`` when nothing answers, the token is refused, or on timeout.
    public static func ask(_ endpoint: Endpoint, token: String?, timeout: TimeInterval = 5) throws -> ShiftStatus {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let codec = WireCodec(timeZone: TimeZone(secondsFromGMT: 0) ?? .current)
        let promise = group.next().makePromise(of: ShiftStatus.self)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StatusHandler(promise: promise, codec: codec))
                }
            }
        let connecting: EventLoopFuture<Channel>
        switch endpoint {
        case .unix(let path): connecting = bootstrap.connect(unixDomainSocketPath: path)
        case .tcp(let host, let port): connecting = bootstrap.connect(host: host, port: port)
        }
        let channel: Channel
        do { channel = try connecting.wait() } catch {
            promise.fail(error)
            throw ClientError("no shift server answers on \(endpoint) (\(error)); start one with `watchroom serve`")
        }
        defer { channel.close(promise: nil) }
        let frame = try codec.frame(ClientMessage.status(StatusRequest(token: token)))
        var buffer = channel.allocator.buffer(capacity: frame.payload.count + Frame.headerSize)
        buffer.writeBytes(frame.bytes)
        channel.writeAndFlush(buffer, promise: nil)
        let timer = group.next().scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
            promise.fail(ClientError("\(endpoint): no status within \(Int(timeout)) s"))
        }
        defer { timer.cancel() }
        return try promise.futureResult.wait()
    }
}

private final class StatusHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let promise: EventLoopPromise<ShiftStatus>
    private let codec: WireCodec
    private var decoder = FrameDecoder(limit: Frame.maxLength)

    init(promise: EventLoopPromise<ShiftStatus>, codec: WireCodec) {
        self.promise = promise
        self.codec = codec
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { decoder.feed($0) }
        do {
            while let frame = try decoder.next() {
                switch try codec.serverMessage(frame) {
                case .status(let status): promise.succeed(status)
                case .bye(let bye): promise.fail(ClientError(bye.reason))
                default: break
                }
            }
        } catch {
            promise.fail(ClientError("the server sent \(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ClientError("the server closed the connection"))
    }
}
