import Foundation
import Testing
@testable import GigascaleBench

/// The end-to-end table names what `auto` chose, so one run can set the default beside the two
/// precisions it chooses between.
@Suite struct EndToEndReportTests {
    private static func run(_ seconds: Double, ranIn precision: String) -> EndToEndRun {
        EndToEndRun(seconds: seconds, peakRSSBytes: 1 << 20, outputWidth: 64, outputHeight: 64, model: "m", precision: precision)
    }

    @Test func autoRowsSayWhatRan() throws {
        let header = EndToEndHeader(executable: "gigascale", photo: "p.png", repeats: 2, threads: nil, isa: "isa", notes: [])
        let rows = [
            EndToEndRow(side: 8, precision: .auto, runs: [Self.run(1, ranIn: "bf16"), Self.run(3, ranIn: "bf16")]),
            EndToEndRow(side: 8, precision: .fp32, runs: [Self.run(4, ranIn: "fp32"), Self.run(6, ranIn: "fp32")]),
        ]
        let table = EndToEndRow.table(rows, header: header)
        #expect(table.contains("| 8² | 64x64 | auto (bf16) | 2.00 |"))
        #expect(table.contains("| 8² | 64x64 | fp32 | 5.00 |"))
        let json = try JSONSerialization.jsonObject(with: Data(EndToEndRow.json(rows, header: header).utf8)) as? [String: Any]
        let results = json?["results"] as? [[String: Any]]
        #expect(results?.first?["precision"] as? String == "auto")
        #expect(results?.first?["ranIn"] as? [String] == ["bf16"])
    }
}
