import Foundation
import Testing
@testable import GigaImage

@Suite struct ImageWriterTests {
    private let photo: Image

    init() throws { photo = try ImageReader.read(path: Fixtures.sample("face-128.png")) }

    private func contents(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test(arguments: ImageFormat.allCases)
    func bandByBandWritingEqualsWritingTheWholeImage(format: ImageFormat) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let settings = EncodeSettings.defaults(for: format)
        let whole = dir.appendingPathComponent("whole").path, banded = dir.appendingPathComponent("banded").path
        try ImageWriter.write(photo, to: whole, settings: settings)
        let writer = try ImageWriter(path: banded, settings: settings, header: EncodeHeader(describing: photo))
        var row = 0
        for height in [1, 7, 50, 64, 6] {   // uneven bands, 128 rows in all
            try writer.write(photo.rows(row..<(row + height)))
            row += height
        }
        try writer.finish()
        let a = try Data(contentsOf: URL(fileURLWithPath: whole)), b = try Data(contentsOf: URL(fileURLWithPath: banded))
        #expect(a == b)
        #expect(try ImageWriter.encode(photo, settings: settings) == a)
        #expect(try contents(dir) == ["banded", "whole"])
    }

    @Test func nothingAppearsUntilFinishAndCancelLeavesNothing() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.png").path
        let writer = try ImageWriter(path: path, settings: .defaults(for: .png), header: EncodeHeader(describing: photo))
        try writer.write(photo.rows(0..<64))
        #expect(!FileManager.default.fileExists(atPath: path))
        writer.cancel()
        #expect(try contents(dir).isEmpty)
    }

    @Test func aMisfitBandFailsAndLeavesNoFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.tif").path
        let writer = try ImageWriter(path: path, settings: .defaults(for: .tiff), header: EncodeHeader(describing: photo))
        let narrow = Image(width: 64, height: 2, colorChannels: 3)
        do {
            try writer.write(narrow)
            Issue.record("a 64-pixel band was accepted by a 128-pixel image")
        } catch let error as ImageError {
            #expect(error.reason == .invalidArgument)
            #expect(error.description.hasPrefix(path + ": band is 64 pixels wide"))
        }
        #expect(try contents(dir).isEmpty)
    }

    @Test func finishingEarlyFailsAndLeavesNoFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.jpg").path
        let writer = try ImageWriter(path: path, settings: .defaults(for: .jpeg), header: EncodeHeader(describing: photo))
        try writer.write(photo.rows(0..<100))
        #expect(throws: ImageError.self) { try writer.finish() }
        #expect(try contents(dir).isEmpty)
    }

    @Test func unwritableFolderIsAClearError() {
        do {
            try ImageWriter.write(photo, to: "/nonexistent-folder/out.png", settings: .defaults(for: .png))
            Issue.record("wrote into a folder that does not exist")
        } catch let error as ImageError {
            #expect(error.reason == .io)
            #expect(error.description.contains("/nonexistent-folder"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func outputsOverTheLimitAreRefusedBeforeWriting() throws {
        let limits = DecodeLimits(maxOutputPixels: 10_000)
        #expect(throws: ImageError.self) { try ImageWriter.encode(photo, settings: .defaults(for: .png), limits: limits) }
    }
}
