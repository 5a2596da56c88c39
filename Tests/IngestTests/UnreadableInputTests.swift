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
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Which command-line inputs could not be read at all (exit status 2), however they fail.
@Suite struct UnreadableInputTests {
    @Test func missingLoopingAndUnopenableInputsAreReported() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("nope.log").path
        let loop = dir.appendingPathComponent("loop").path
        #expect(symlink(loop, loop) == 0)
        let fine = dir.appendingPathComponent("fine.log")
        try "ok\n".write(to: fine, atomically: true, encoding: .utf8)
        var inputs = [missing, loop, fine.path]
        var expected = [missing, loop]
        if geteuid() != 0 {   // root reads a chmod 000 file anyway
            let locked = dir.appendingPathComponent("locked.log")
            try "x\n".write(to: locked, atomically: true, encoding: .utf8)
            #expect(chmod(locked.path, 0) == 0)
            inputs.append(locked.path)
            expected.append(locked.path)
        }
        var visited: [String] = []
        let walk = Ingestor().walkInputs(inputs) { visited.append($0.path) }
        #expect(visited == ["fine.log"])
        #expect(walk.unreadableInputs == expected)
        #expect(walk.entries.map(\.path) == expected, "one entry per input, named as given")
        #expect(walk.entries.allSatisfy { $0.problems.count == 1 && $0.problems[0].message.hasPrefix("cannot read: ") })
    }

    @Test func aFileInsideAFolderThatCannotBeReadIsAProblemNotAnUnreadableInput() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(symlink("missing-target", dir.appendingPathComponent("dangling.log").path) == 0)
        try "ok\n".write(to: dir.appendingPathComponent("fine.log"), atomically: true, encoding: .utf8)
        let walk = Ingestor().walkInputs([dir.path]) { _ in }
        #expect(walk.unreadableInputs.isEmpty)
        #expect(walk.entries.map(\.path) == ["dangling.log"])
    }
}
