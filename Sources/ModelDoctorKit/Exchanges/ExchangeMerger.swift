/// Placeholder merger: concatenates and numbers exchanges. Replaced by the real pairing.
public enum ExchangeMerger {
    public static func merge(_ perFile: [[Exchange]]) -> [Exchange] {
        var all = perFile.flatMap { $0 }
        for i in all.indices { all[i].index = i }
        return all
    }
}
