#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What the text report may assume about where it is going: how wide the lines may be and
/// whether ANSI colour is welcome.
///
/// Hand-written rather than a package from the machine's list: the two candidates there are
/// vapor/console-kit (its `Terminal.size` is the same `ioctl(TIOCGWINSZ)`, but the package
/// brings swift-nio and swift-log into a build that needs neither) and onevcat/Rainbow (colour
/// only, switched by a global mutable `Rainbow.enabled`, which Swift 6 strict concurrency and
/// our no-global-state rule both reject). What we need is `COLUMNS`, one ioctl and `NO_COLOR`;
/// the decision itself is a pure function (`decide`) so tests need no terminal.
public struct Terminal: Sendable, Equatable {
    /// Columns every report line must fit in.
    public var width: Int
    /// True when ANSI colour may be written.
    public var colour: Bool

    /// The width used when output is not a terminal and `COLUMNS` does not say.
    public static let fallbackWidth = 100

    public init(width: Int, colour: Bool) { self.width = width; self.colour = colour }

    /// The decision, from facts gathered elsewhere.
    /// - Parameters:
    ///   - environment: `COLUMNS` (a positive number wins over everything) and `NO_COLOR`
    ///     (set to anything non-empty: no colour, https://no-color.org).
    ///   - isTerminal: the output stream is a terminal.
    ///   - ioctlColumns: the terminal's own column count, nil or 0 when unknown.
    ///   - colourWanted: colour was not switched off on the command line.
    public static func decide(environment: [String: String], isTerminal: Bool, ioctlColumns: Int?,
                              colourWanted: Bool = true) -> Terminal {
        var width = fallbackWidth
        if let c = environment["COLUMNS"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), c > 0 {
            width = c
        } else if isTerminal, let c = ioctlColumns, c > 0 {
            width = c
        }
        let noColour = !(environment["NO_COLOR"] ?? "").isEmpty
        return Terminal(width: width, colour: colourWanted && isTerminal && !noColour)
    }

    /// The terminal standard output is (or is not), from the process environment.
    public static func standardOutput(environment: [String: String], colourWanted: Bool = true) -> Terminal {
        decide(environment: environment, isTerminal: isTerminal(STDOUT_FILENO),
               ioctlColumns: columns(STDOUT_FILENO), colourWanted: colourWanted)
    }

    /// True when `fd` is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// The column count of the terminal `fd` is, nil when it is none.
    static func columns(_ fd: Int32) -> Int? {
        var size = winsize()
        #if os(Linux)
        let request = UInt(TIOCGWINSZ)
        #else
        let request = TIOCGWINSZ
        #endif
        guard ioctl(fd, request, &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
