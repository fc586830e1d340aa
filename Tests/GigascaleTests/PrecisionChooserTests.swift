import Foundation
import GigaEngine
import Testing
@testable import Gigascale

/// The automatic precision choice: its cache, its key and when it measures. The measurement is
/// replaced by a stand-in that counts its calls; no test asserts a timing.
@Suite struct PrecisionChooserTests {
    /// A stand-in measurement and how often it was asked for.
    final class FakeProbe: @unchecked Sendable {
        var measurements = 0
        var censuses = 0
        let result: PrecisionMeasurement
        init(fp32: Double = 0.10, bf16: Double = 0.05, agreement: Double = 60) {
            result = PrecisionMeasurement(shapes: ["conv 3x3 20→20 @512x512 ×2"], fp32Seconds: fp32, bf16Seconds: bf16,
                                          agreementDB: agreement)
        }
        func chooser(_ cache: PrecisionCache, cpuHasBF16: Bool = true) -> PrecisionChooser {
            PrecisionChooser(cache: cache, cpuHasBF16: cpuHasBF16) { [self] _, _ in measurements += 1; return result }
        }
        func shapes() -> [ConvolutionCensus.Entry] {
            censuses += 1
            return [ConvolutionCensus.Entry(shape: .init(inChannels: 20, outChannels: 20, height: 512, width: 512, kernelHeight: 3,
                                                         kernelWidth: 3, padding: [1, 1, 1, 1]), calls: 2)]
        }
    }

    private static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-precision-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test func aMeasurementIsCachedAndTheNextChoiceReadsIt() throws {
        let cache = PrecisionCache(directory: try Self.temporaryDirectory() + "/gigascale")
        let probe = FakeProbe()
        let first = try probe.chooser(cache).choose(.auto, threads: 1, dominantShapes: probe.shapes)
        #expect(first.basis == .measured && first.precision == .bf16 && first.cacheProblem == nil)
        let file = try #require(first.cacheFile)
        #expect(FileManager.default.fileExists(atPath: file))

        let second = try probe.chooser(cache).choose(.auto, threads: 1, dominantShapes: probe.shapes)
        #expect(second.basis == .cached && second.precision == .bf16 && second.cacheFile == file)
        #expect(second.measurement == probe.result)
        #expect(probe.measurements == 1)
    }

    @Test func theCacheRoundTripsAMeasurementUnderItsKey() throws {
        let cache = PrecisionCache(directory: try Self.temporaryDirectory())
        let key = PrecisionKey(threads: 2, shapes: ["conv 3x3 32→32 @256x256 ×2"])
        let slower = PrecisionMeasurement(shapes: key.shapes, fp32Seconds: 0.02, bf16Seconds: 0.03, agreementDB: 70)
        #expect(cache.load(key) == nil)
        #expect(cache.store(slower, for: key) == nil)
        #expect(cache.load(key) == slower)
        #expect(cache.load(PrecisionKey(threads: 1, shapes: key.shapes)) == nil)
        // Nothing but the file itself is left behind (the temporary file was renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.directory) == [key.fileName])
    }

    @Test(arguments: ["", "not json", "{\"key\": 3}", "{\"precision\": \"bf16\"}"])
    func aCorruptCacheFileIsIgnoredAndReplaced(content: String) throws {
        let cache = PrecisionCache(directory: try Self.temporaryDirectory())
        let probe = FakeProbe()
        let key = PrecisionKey(threads: 1, shapes: probe.shapes().map(PrecisionProbe.label))
        try Data(content.utf8).write(to: URL(fileURLWithPath: cache.path(for: key)))
        #expect(cache.load(key) == nil)

        let choice = try probe.chooser(cache).choose(.auto, threads: 1, dominantShapes: probe.shapes)
        #expect(choice.basis == .measured && choice.precision == .bf16)
        #expect(cache.load(key) == probe.result)
    }

    @Test func aFileForAnotherKeyIsNotTrusted() throws {
        let cache = PrecisionCache(directory: try Self.temporaryDirectory())
        let mine = PrecisionKey(threads: 1, shapes: ["a"]), other = PrecisionKey(threads: 1, shapes: ["b"])
        #expect(cache.store(FakeProbe().result, for: other) == nil)
        try FileManager.default.moveItem(atPath: cache.path(for: other), toPath: cache.path(for: mine))
        #expect(cache.load(mine) == nil)
    }

    @Test func anUnwritableCacheDirectoryDoesNotFailTheChoice() throws {
        // A folder inside a regular file cannot be created, whoever runs the test (root too).
        let file = try Self.temporaryDirectory() + "/a-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let cache = PrecisionCache(directory: file + "/gigascale")
        let probe = FakeProbe()
        for _ in 0..<2 {
            let choice = try probe.chooser(cache).choose(.auto, threads: 1, dominantShapes: probe.shapes)
            #expect(choice.basis == .measured && choice.precision == .bf16)
            #expect(choice.cacheFile == nil)
            #expect(choice.cacheProblem?.contains(file) == true)
        }
        #expect(probe.measurements == 2)  // nothing stored, so measured again
    }

    @Test(arguments: [ComputePrecision.fp32, .bf16])
    func aForcedPrecisionBypassesMeasurement(precision: ComputePrecision) throws {
        let directory = try Self.temporaryDirectory() + "/gigascale"
        let probe = FakeProbe()
        let choice = try probe.chooser(PrecisionCache(directory: directory)).choose(precision, threads: 1, dominantShapes: probe.shapes)
        #expect(choice == PrecisionChoice(precision: precision, basis: .forced))
        #expect(probe.measurements == 0 && probe.censuses == 0)
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func withoutBF16InstructionsAutoIsFP32WithoutMeasuring() throws {
        let probe = FakeProbe()
        let choice = try probe.chooser(PrecisionCache(directory: try Self.temporaryDirectory()), cpuHasBF16: false)
            .choose(.auto, threads: 1, dominantShapes: probe.shapes)
        #expect(choice.precision == .fp32 && choice.basis == .noBF16)
        #expect(probe.measurements == 0 && probe.censuses == 0)
    }

    @Test func aModelWithoutConvolutionsIsFP32() throws {
        let probe = FakeProbe()
        let choice = try probe.chooser(PrecisionCache(directory: try Self.temporaryDirectory()))
            .choose(.auto, threads: 1, dominantShapes: { [] })
        #expect(choice.precision == .fp32 && choice.basis == .noConvolutions && probe.measurements == 0)
    }

    @Test func theKeyChangesWithThreadsCPUOneDNNAndShapes() {
        let base = PrecisionKey(threads: 1, shapes: ["s"], cpu: "A", processors: 2, oneDNN: "2.6.3", isa: "avx512_core_bf16")
        var variants = [PrecisionKey]()
        for change in 0..<6 {
            var key = base
            switch change {
            case 0: key.threads = 2
            case 1: key.cpu = "B"
            case 2: key.processors = 4
            case 3: key.oneDNN = "3.5.0"
            case 4: key.isa = "avx512_core_amx"
            default: key.shapes = ["s", "t"]
            }
            variants.append(key)
        }
        #expect(Set(([base] + variants).map(\.fileName)).count == 7)
        #expect(base.fileName == PrecisionKey(threads: 1, shapes: ["s"], cpu: "A", processors: 2, oneDNN: "2.6.3",
                                               isa: "avx512_core_bf16").fileName)
        #expect(base.fileName.hasPrefix("precision-") && base.fileName.hasSuffix(".json"))
    }

    @Test func bf16IsChosenOnlyWhenItAgreesAndSavesEnough() {
        func verdict(_ fp32: Double, _ bf16: Double, _ dB: Double) -> ComputePrecision {
            PrecisionMeasurement(shapes: [], fp32Seconds: fp32, bf16Seconds: bf16, agreementDB: dB).verdict
        }
        #expect(verdict(0.100, 0.050, 60) == .bf16)
        #expect(verdict(0.100, 0.120, 60) == .fp32)   // slower, as on a Xeon without AMX
        #expect(verdict(0.100, 0.095, 60) == .fp32)   // within noise: the reference wins
        #expect(verdict(0.100, 0.050, 35) == .fp32)   // faster but disagreeing
    }

    @Test func theDefaultDirectoryFollowsXDG() {
        let directory = PrecisionCache.defaultDirectory
        if let xdg = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            #expect(directory == xdg + "/gigascale")
        } else {
            #expect(directory.hasSuffix("/.cache/gigascale"))
        }
    }
}
