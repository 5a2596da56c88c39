import Testing
import DoctorIngest
import DoctorModel
@testable import DoctorReport

@Suite struct NoteCatalogTests {
    @Test func fillsThePlaceholdersOfTheChineseTemplate() {
        #expect(NoteCatalog.zh("no parser recognised this content (12 lines not read)") == "没有解析器能识别此内容（12 行未读取）")
        #expect(NoteCatalog.zh("3 line(s) not understood (e.g. line 4, 9)") == "3 行无法理解（例如第 4, 9 行）")
        #expect(NoteCatalog.zh("the bundle does not give: status, endpoint") == "包中缺少这些字段：status, endpoint")
    }

    @Test func prefersTheLongerTemplateAndDropsEnglishPlurals() {
        #expect(NoteCatalog.zh("salvaged 2 complete entries from the damaged file (1 incomplete or unreadable)")
                == "从损坏的文件中救回 2 个完整条目（1 个不完整或无法读取）")
        #expect(NoteCatalog.zh("salvaged 1 complete entry from the damaged file") == "从损坏的文件中救回 1 个完整条目")
    }

    @Test func unknownNotesStayAsWrittenAndEnglishIsUntouched() {
        #expect(NoteCatalog.zh("a note nobody wrote a template for") == nil)
        #expect(NoteCatalog.text("a note nobody wrote a template for", .zh) == "a note nobody wrote a template for")
        #expect(NoteCatalog.text("empty file", .en) == "empty file")
        #expect(NoteCatalog.text("empty file", .zh) == "空文件")
    }

    @Test func ingestProblemsAsTheIngestLayerWordsThem() {
        let cases: [(IngestError, String)] = [
            (.unreadable(path: "a", reason: "Permission denied"), "无法读取：Permission denied"),
            (.corrupt(path: "a", format: "gzip", offset: 12, reason: "invalid block type"), "gzip 数据在第 12 字节处损坏：invalid block type"),
            (.truncated(path: "a", format: "gzip", offset: 99), "gzip 数据不完整：输入在第 99 字节处结束"),
            (.limitExceeded(path: "a", limit: "decompressed bytes", value: 10, flag: "--max-bytes"), "超出解压后字节数上限 10（可用 --max-bytes 调高）"),
        ]
        for (error, zh) in cases { #expect(NoteCatalog.zh(error.problem.message) == zh) }
    }

    @Test func everyTemplateCompilesAndMatchesItself() {
        for t in NoteCatalog.templates {
            #expect(NoteCatalog.zh(t.en) != nil, "\(t.en)")
        }
    }
}
