import Dispatch
import Foundation
import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

/// A stream of numbered one-byte chunks, then an error or the end; counts reads, and
/// signals when it is released.
private final class Numbers: ByteStream {
    let count: Int?
    let failAtEnd: Bool
    var reads = 0
    let released: DispatchSemaphore

    init(count: Int?, failAtEnd: Bool = false, released: DispatchSemaphore) {
        self.count = count; self.failAtEnd = failAtEnd; self.released = released
    }
    deinit { released.signal() }

    func read() throws -> ArraySlice<UInt8>? {
        defer { reads += 1 }
        if let count, reads >= count {
            if failAtEnd { throw IngestError.truncated(path: "n", format: "test", offset: reads) }
            return nil
        }
        return [UInt8(truncatingIfNeeded: reads)][...]
    }
}

@Suite struct PrefetchStreamTests {
    @Test func deliversChunksInOrderThenTheError() throws {
        let released = DispatchSemaphore(value: 0)
        let s = PrefetchStream(Numbers(count: 50, failAtEnd: true, released: released))
        var got: [UInt8] = []
        var error: (any Error)?
        do { while let c = try s.read() { got += c } } catch let e { error = e }
        #expect(got == (0..<50).map { UInt8($0) })
        #expect(error as? IngestError == .truncated(path: "n", format: "test", offset: 50))
        #expect(try s.read() == nil)
    }

    @Test func endsCleanly() throws {
        let released = DispatchSemaphore(value: 0)
        let s = PrefetchStream(Numbers(count: 3, released: released))
        var got: [UInt8] = []
        while let c = try s.read() { got += c }
        #expect(got == [0, 1, 2])
        #expect(s.producerEnded(within: 5))
    }

    @Test func producerThreadEndsWhenTheConsumerStopsEarly() throws {
        let released = DispatchSemaphore(value: 0)
        let s = PrefetchStream(Numbers(count: nil, released: released), depth: 2)
        #expect(try s.read() == [0][...])
        #expect(try s.read() == [1][...])
        s.stop()
        #expect(s.producerEnded(within: 0))
        // The endless source was released with the thread, well before it could run away.
        #expect(released.wait(timeout: .now() + 5) == .success)
    }

    @Test func theSourceIsReleasedBeforeStopReturns() throws {
        // `stop()` promises the source (a zip archive and its data, say) is no longer held by
        // the producer thread: not "soon after", already — or a caller freeing or reusing it races.
        for _ in 0..<20 {
            let released = DispatchSemaphore(value: 0)
            let s = PrefetchStream(Numbers(count: nil, released: released), depth: 2)
            _ = try s.read()
            s.stop()
            #expect(released.wait(timeout: .now()) == .success)
        }
    }

    @Test func releasingWithoutStopAlsoEndsTheThread() throws {
        let released = DispatchSemaphore(value: 0)
        do {
            let s = PrefetchStream(Numbers(count: nil, released: released), depth: 3)
            _ = try s.read()
        }
        #expect(released.wait(timeout: .now() + 5) == .success)
    }

    @Test func pushProducerErrorsArriveAfterItsChunks() throws {
        let s = PrefetchStream(depth: 2) { send in
            for i in 0..<5 { guard send([UInt8(i)][...]) else { return } }
            throw IngestError.corrupt(path: "z", format: "zip", offset: 5, reason: "bad")
        }
        var got: [UInt8] = []
        var error: IngestError?
        do { while let c = try s.read() { got += c } } catch let e { error = e as? IngestError }
        #expect(got == [0, 1, 2, 3, 4])
        #expect(error == .corrupt(path: "z", format: "zip", offset: 5, reason: "bad"))
    }
}
