import DoctorModel
import DoctorRules

/// `modeldoctor causes`: the cause taxonomy (`rules/causes.yaml` and packs' own causes) as
/// text or JSON, in one language.
public enum CauseListing {
    public static func text(_ causes: [CauseDefinition], lang: Lang) -> String {
        causes.map { c in
            "\(c.key) (\(c.symptom))\n  \(c.title.text(lang))\n  \(c.description.text(lang))\n"
        }.joined(separator: "\n")
    }

    public static func json(_ causes: [CauseDefinition], lang: Lang) -> String {
        OrderedJSON.array(causes.map { c in
            .object([
                ("key", .string(c.key)),
                ("symptom", .string(c.symptom)),
                ("title", .string(c.title.text(lang))),
                ("description", .string(c.description.text(lang))),
                ("pack", .string(c.pack)),
            ])
        }).serialised()
    }
}
