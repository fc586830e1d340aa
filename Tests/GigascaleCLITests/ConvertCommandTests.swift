import Foundation
import Testing

@Suite struct ConvertCommandTests {
    private static let samples = ["astronaut.png", "face-128.png", "rocket.jpg", "grass.png", "brick.png",
                                  "text.png", "chelsea.png", "coffee.jpg"]

    /// Decodes a PNG written by the tool back through the tool: `info --json` gives its size.
    private func size(of path: String) throws -> (Int, Int) {
        let result = try CommandRunner.run(["info", "--json", path])
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        return (object["width"] as? Int ?? -1, object["height"] as? Int ?? -1)
    }

    /// PNG → JPEG → TIFF → PNG for every sample: every step succeeds, sizes are kept, and the
    /// lossless steps agree byte for byte when converted back to PNG.
    @Test(arguments: samples)
    func convertsThroughEveryFormat(sample: String) throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = CommandRunner.sample(sample)
        let chain = ["a.png", "b.jpg", "c.tif", "d.png"].map { dir.appendingPathComponent($0).path }
        var previous = input
        for next in chain {
            let result = try CommandRunner.run(["convert", previous, "-o", next])
            #expect(result.status == 0, "\(previous) → \(next): \(result.stderr)")
            previous = next
        }
        let original = try size(of: input)
        for path in chain { #expect(try size(of: path) == original, "\(path)") }
        // c.tif → d.png is lossless; so is re-encoding d.png as TIFF and back.
        let again = dir.appendingPathComponent("e.tif").path, back = dir.appendingPathComponent("f.png").path
        #expect(try CommandRunner.run(["convert", chain[3], "-o", again]).status == 0)
        #expect(try CommandRunner.run(["convert", again, "-o", back]).status == 0)
        let png1 = try Data(contentsOf: URL(fileURLWithPath: chain[3])), png2 = try Data(contentsOf: URL(fileURLWithPath: back))
        #expect(png1 == png2)
    }

    @Test func pipesImageBytesOnlyToStandardOutput() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: CommandRunner.sample("face-128.png")))
        let result = try CommandRunner.run(["convert", "-", "-o", "-", "--format", "jpeg"], stdin: bytes)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.starts(with: [0xFF, 0xD8, 0xFF]))
        let roundTrip = try CommandRunner.run(["info", "-"], stdin: result.stdout)
        #expect(String(decoding: roundTrip.stdout, as: UTF8.self).contains("JPEG"))
    }

    @Test func refusesToWriteOntoItsOwnInput() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("photo.png").path
        try FileManager.default.copyItem(atPath: CommandRunner.sample("face-128.png"), toPath: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try CommandRunner.run(["convert", path, "-o", dir.path + "/./photo.png"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("refusing to write the output onto its own input"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aFailedConversionLeavesNoFileBehind() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = dir.appendingPathComponent("broken.png").path
        let png = try Data(contentsOf: URL(fileURLWithPath: CommandRunner.sample("face-128.png")))
        try png.prefix(png.count / 2).write(to: URL(fileURLWithPath: broken))
        let result = try CommandRunner.run(["convert", broken, "-o", dir.appendingPathComponent("out.tif").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(broken))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["broken.png"])
    }

    @Test func rejectsBadOptionsWithAUsageError() throws {
        let result = try CommandRunner.run(["convert", CommandRunner.sample("face-128.png"), "-o", "/tmp/x.jpg", "--quality", "0"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--quality"))
    }
}
