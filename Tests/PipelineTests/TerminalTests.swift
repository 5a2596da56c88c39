import Testing
import ModelDoctorKit

/// How wide the text report may be and whether it may be coloured (issue #10).
@Suite struct TerminalTests {
    @Test func columnsFromTheEnvironmentWinOverTheTerminal() {
        #expect(Terminal.decide(environment: ["COLUMNS": "72"], isTerminal: true, ioctlColumns: 180).width == 72)
        #expect(Terminal.decide(environment: ["COLUMNS": " 90 "], isTerminal: false, ioctlColumns: nil).width == 90)
    }

    @Test func theTerminalsOwnWidthWhenColumnsIsUnsetOrNonsense() {
        #expect(Terminal.decide(environment: [:], isTerminal: true, ioctlColumns: 132).width == 132)
        #expect(Terminal.decide(environment: ["COLUMNS": "wide"], isTerminal: true, ioctlColumns: 132).width == 132)
        #expect(Terminal.decide(environment: ["COLUMNS": "0"], isTerminal: true, ioctlColumns: 132).width == 132)
    }

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() {
        #expect(Terminal.decide(environment: [:], isTerminal: true, ioctlColumns: 80).colour)
        #expect(!Terminal.decide(environment: [:], isTerminal: false, ioctlColumns: nil).colour)
        #expect(!Terminal.decide(environment: ["NO_COLOR": "1"], isTerminal: true, ioctlColumns: 80).colour)
        #expect(Terminal.decide(environment: ["NO_COLOR": ""], isTerminal: true, ioctlColumns: 80).colour)  // no-color.org: empty means unset
        #expect(!Terminal.decide(environment: [:], isTerminal: true, ioctlColumns: 80, colourWanted: false).colour)
    }

    @Test func oneHundredColumnsWhenNotATerminal() {
        #expect(Terminal.decide(environment: [:], isTerminal: false, ioctlColumns: nil).width == 100)
        #expect(Terminal.decide(environment: [:], isTerminal: true, ioctlColumns: 0).width == 100)
        #expect(Terminal.fallbackWidth == 100)
    }
}
