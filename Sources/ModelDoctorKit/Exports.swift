// The facade: the command-line tool (and any other front end) imports this one module and
// sees every stage's public API. Stages themselves import only the stages before them.
@_exported import DoctorFindings
@_exported import DoctorIngest
@_exported import DoctorModel
@_exported import DoctorParse
@_exported import DoctorRedact
@_exported import DoctorReport
@_exported import DoctorRules
