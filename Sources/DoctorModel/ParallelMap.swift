import Dispatch
import Foundation

/// Work split over the machine's cores with results in input order, for the per-item stages
/// of a large input (HAR entries, per-exchange facts). A small input runs inline: below
/// `minimum` items the threads cost more than they save.
package enum ParallelMap {
    /// How many workers a parallel stage uses (the cores the process may use, at most 8).
    package static let workers = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))

    /// `transform(i)` for every i in `0..<count`, in order. The items are cut into contiguous
    /// chunks (a run of indices each, so a worker reads memory in order); a chunk runs on one
    /// thread and writes only its own slots. `transform` must be safe to call from several
    /// threads at once (it reads shared state only).
    package static func map<T>(count: Int, minimum: Int = 256, _ transform: (Int) -> T) -> [T] {
        map(count: count, minimum: minimum, state: { () }, { _, i in transform(i) }).results
    }

    /// The same with a state per chunk (a scratch buffer, a memo, a timer): `state()` makes
    /// one for each chunk, `transform` may change it, and the chunks' final states are
    /// returned in chunk order.
    package static func map<S, T>(count: Int, minimum: Int = 256, state: () -> S,
                                  _ transform: (inout S, Int) -> T) -> (results: [T], states: [S]) {
        let chunks = count < minimum || workers < 2 ? 1 : min(workers * 4, count)
        if chunks == 1 {
            var s = state()
            let out = (0..<count).map { transform(&s, $0) }
            return (out, [s])
        }
        var states = (0..<chunks).map { _ in state() }
        let results = [T](unsafeUninitializedCapacity: count) { buf, initialized in
            states.withUnsafeMutableBufferPointer { st in
                withoutActuallyEscaping(transform) { transform in
                    // The workers write disjoint slots and are joined before this returns;
                    // the box only tells the compiler so (the closure type is not Sendable).
                    let shared = Shared(results: buf.baseAddress!, states: st.baseAddress!, transform: transform)
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        let lo = count * c / chunks, hi = count * (c + 1) / chunks
                        for i in lo..<hi { (shared.results + i).initialize(to: shared.transform(&shared.states[c], i)) }
                    }
                }
            }
            initialized = count
        }
        return (results, states)
    }

    /// `a()` and `b()` at the same time (two independent passes over one buffer), or one
    /// after the other on a one-core machine.
    package static func both<A, B>(_ a: () -> A, _ b: () -> B) -> (A, B) {
        guard workers > 1 else { return (a(), b()) }
        var ra: A?, rb: B?
        withoutActuallyEscaping(a) { a in
            withoutActuallyEscaping(b) { b in
                withUnsafeMutablePointer(to: &ra) { pa in
                    withUnsafeMutablePointer(to: &rb) { pb in
                        let shared = Pair(a: a, b: b, ra: pa, rb: pb)
                        DispatchQueue.concurrentPerform(iterations: 2) { i in
                            if i == 0 { shared.ra.pointee = shared.a() } else { shared.rb.pointee = shared.b() }
                        }
                    }
                }
            }
        }
        return (ra!, rb!)
    }

    private struct Pair<A, B>: @unchecked Sendable {
        let a: () -> A
        let b: () -> B
        let ra: UnsafeMutablePointer<A?>
        let rb: UnsafeMutablePointer<B?>
    }

    private struct Shared<S, T>: @unchecked Sendable {
        let results: UnsafeMutablePointer<T>
        let states: UnsafeMutablePointer<S>
        let transform: (inout S, Int) -> T
    }
}
