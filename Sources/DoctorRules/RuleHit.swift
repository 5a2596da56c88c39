import DoctorModel
import DoctorParse

/// One rule's conclusion about one subject, before it is worded: the output of the rule
/// engine and the input of the findings stage.
///
/// `exchanges` starts with the exchange that first matched; `againstExchanges` are the other
/// exchanges on which the rule's `against` condition holds (evidence against). `facts` are
/// those of the first matching exchange, for the message templates.
public struct RuleHit: Sendable {
    public var rule: Rule
    public var subject: String
    public var exchanges: [Int] {
        get { exchangeList.array }
        set { exchangeList = IndexList(newValue) }
    }
    /// `exchanges` as held: a hit of a dense log names most calls of a kind, which as an
    /// `[Int]` was made while the rule pass still held its groups (8 bytes a call at its peak);
    /// the findings stage reads this list and makes the finding's array.
    package var exchangeList: IndexList
    /// The signal lines that held, one list per member as appended (see `SignalList`).
    public var signals: [Signal] {
        get { signalList.array }
        set { signalList = SignalList(newValue) }
    }
    /// `signals` as held: a dense log's hit repeats a few signals once per member call.
    package var signalList: SignalList
    public var occurrences: Int
    public var againstExchanges: [Int]
    public var facts: Facts

    public init(rule: Rule, subject: String, exchanges: [Int], signals: [Signal], occurrences: Int,
                againstExchanges: [Int], facts: Facts) {
        self.init(rule: rule, subject: subject, exchangeList: IndexList(exchanges), signalList: SignalList(signals),
                  occurrences: occurrences, againstExchanges: againstExchanges, facts: facts)
    }

    package init(rule: Rule, subject: String, exchangeList: IndexList, signalList: SignalList, occurrences: Int,
                againstExchanges: [Int], facts: Facts) {
        self.rule = rule; self.subject = subject; self.exchangeList = exchangeList; self.signalList = signalList
        self.occurrences = occurrences; self.againstExchanges = againstExchanges; self.facts = facts
    }
}
