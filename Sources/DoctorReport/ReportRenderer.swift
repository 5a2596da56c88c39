import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules

/// Turns a finished `Report` into the text of one output format.
///
/// Renderers only read the report: everything in it that came from the bundle is already
/// `RedactedText`, so a renderer cannot leak what the redactor removed. They must be
/// deterministic (no clock, no dictionary iteration order, no machine paths), so the same
/// bundle always gives the same bytes. The executable still passes the result through
/// `Redactor.gate(_:)` before writing it.
public protocol ReportRenderer: Sendable {
    /// The whole report as one string, ending with a newline.
    func render(_ report: Report) -> String
}
