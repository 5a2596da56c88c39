import Dispatch
import DoctorModel
import Foundation

/// Reads a stream on a background thread, a few chunks ahead of the consumer.
///
/// With gzip input this puts inflate on one core and line splitting/parsing on the other
/// (see the perf baselines: one thread inflating, one parsing, reached 95–100 % of raw inflate).
/// The queue is bounded (`depth` chunks), so memory stays flat whatever the stream's size.
///
/// Chunks and the error that ends the stream arrive in the order the producer met them.
/// When the consumer stops early, `stop()` (or releasing the stream) tells the producer, which
/// ends after the read it is in; `stop()` also waits for that, so the source the producer
/// was reading (a tar member, a zip archive) can be used again safely.
public final class PrefetchStream: ByteStream {
    private let channel: ChunkChannel
    private var finished = false

    /// Prefetches `base`, reading it on a new thread from now on.
    public convenience init(_ base: any ByteStream, depth: Int = 2) {
        let box = UncheckedBox(base)
        self.init(depth: depth) { send in
            var base = box.value
            while let chunk = try base.read() {
                guard send(chunk) else { return }
            }
        }
    }

    /// Runs a push-style `producer` on a new thread; it hands chunks to `send`, which blocks
    /// while the queue is full and returns false once the consumer has stopped (the producer
    /// should then return). A thrown error reaches the consumer after the chunks sent before it.
    public init(depth: Int = 2,
                producer: @escaping @Sendable (_ send: (ArraySlice<UInt8>) -> Bool) throws -> Void) {
        let channel = ChunkChannel(capacity: max(1, depth))
        self.channel = channel
        // The thread's closure holds only the box: the producer (and what it captured, such as
        // a zip archive and its data) is released before the channel closes, so once `stop()`
        // returns nothing of the source is still alive on the producer thread.
        let box = ProducerBox(producer)
        let thread = Thread {
            let error = PrefetchStream.run(box.take(), channel: channel)
            channel.close(error: error)
        }
        thread.name = "modeldoctor.prefetch"
        thread.start()
    }

    deinit {
        channel.cancel()
    }

    /// Runs `producer` and returns the error it threw; the closure is released on return.
    private static func run(_ producer: consuming Producer?, channel: ChunkChannel) -> (any Error)? {
        guard let producer = producer.take() else { return nil }
        do {
            try producer { channel.send($0) }
            return nil
        } catch {
            return error
        }
    }

    public func read() throws -> ArraySlice<UInt8>? {
        if finished { return nil }
        switch channel.receive() {
        case .element(let c):
            return c
        case .end:
            finished = true
            return nil
        case .failure(let e):
            finished = true
            throw e
        }
    }

    /// Tells the producer to end and waits until its thread has returned.
    public func stop() {
        finished = true
        channel.cancel()
        channel.waitForProducer()
    }

    /// True once the producer thread has returned (for tests).
    public func producerEnded(within seconds: Double) -> Bool {
        channel.waitForProducer(timeout: seconds)
    }
}

typealias Producer = @Sendable (_ send: (ArraySlice<UInt8>) -> Bool) throws -> Void

/// Hands the producer closure to its thread exactly once.
private final class ProducerBox: @unchecked Sendable {
    private var producer: Producer?
    init(_ producer: @escaping Producer) { self.producer = producer }
    func take() -> Producer? {
        defer { producer = nil }
        return producer
    }
}

/// Moves a non-Sendable value to the one thread that will use it from then on.
package struct UncheckedBox<T>: @unchecked Sendable {
    package var value: T
    package init(_ value: T) { self.value = value }
}

/// The queue between the prefetch thread and the reader: chunks of bytes.
typealias ChunkChannel = BoundedChannel<ArraySlice<UInt8>>

/// The bounded queue between a producer thread and the consumer (chunks of bytes here, batches
/// of lines for the line cutter).
///
/// `slots` counts free places, `items` queued items. Both semaphores start at 0 and are
/// signalled up, because libdispatch traps when a semaphore is released with a value below
/// the one it was created with.
package final class BoundedChannel<Element>: @unchecked Sendable {
    package enum Item {
        case element(Element)
        case end
        case failure(any Error)
    }

    private let lock = NSLock()
    private var queue: [Item] = []
    private var cancelled = false
    private let slots = DispatchSemaphore(value: 0)
    private let items = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var producerDone = false

    package init(capacity: Int) {
        for _ in 0..<capacity { slots.signal() }
    }

    private var isCancelled: Bool {
        lock.lock(); defer { lock.unlock() }
        return cancelled
    }

    /// Producer side: queues an element, waiting for a free slot. False once cancelled.
    package func send(_ chunk: Element) -> Bool {
        if isCancelled { return false }
        slots.wait()
        lock.lock()
        if cancelled {
            lock.unlock()
            slots.signal()  // pass the wake-up on
            return false
        }
        queue.append(.element(chunk))
        lock.unlock()
        items.signal()
        return true
    }

    /// Producer side: the last item (end or error); never blocks, so a stopped consumer
    /// cannot leave the producer waiting.
    package func close(error: (any Error)?) {
        lock.lock()
        if !cancelled { queue.append(error.map { .failure($0) } ?? .end) }
        producerDone = true
        lock.unlock()
        items.signal()
        done.signal()
    }

    /// Consumer side: the next item, waiting for the producer.
    package func receive() -> Item {
        items.wait()
        lock.lock()
        let item = queue.isEmpty ? .end : queue.removeFirst()
        lock.unlock()
        slots.signal()
        return item
    }

    /// Consumer side: stop the producer (it ends after its current read).
    package func cancel() {
        lock.lock()
        let already = cancelled
        cancelled = true
        queue.removeAll()
        lock.unlock()
        if !already { slots.signal() }
    }

    /// Waits until the producer thread has returned.
    @discardableResult
    package func waitForProducer(timeout seconds: Double? = nil) -> Bool {
        lock.lock()
        if producerDone { lock.unlock(); return true }
        lock.unlock()
        if let seconds {
            guard done.wait(timeout: .now() + seconds) == .success else { return false }
        } else {
            done.wait()
        }
        done.signal()  // later waiters pass too
        return true
    }
}
