import Foundation
import Testing
import GigaEngine
@testable import GigaModels

/// Malformed ncnn `.param`/`.bin` pairs (truncated, wrong counts, absurd shapes, cycles, unknown
/// layers): each is one `ModelError` that names the file and the reason, never a crash or a huge
/// allocation. Built here from text, so each case shows what it breaks.
@Suite struct HostileNCNNTests {
    /// A valid 3 → 3 channel, 1x1 convolution model: fp32-tagged weights, raw bias.
    static let convLine = "Convolution conv 1 1 data output 0=3 1=1 5=1 6=9"
    static var convWeights: [UInt8] { bytes(tag: 0, floats: [1, 0, 0, 0, 1, 0, 0, 0, 1]) + bytes(floats: [0, 0, 0]) }

    static func bytes(tag: UInt32? = nil, floats: [Float]) -> [UInt8] {
        var out: [UInt8] = []
        if let tag { withUnsafeBytes(of: tag.littleEndian) { out += $0 } }
        for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    static func param(_ lines: [String], layers: Int? = nil, blobs: Int? = nil) -> String {
        "7767517\n\(layers ?? lines.count) \(blobs ?? lines.count)\n" + lines.joined(separator: "\n") + "\n"
    }

    /// Writes the pair to a temporary folder, loads it (with a run on a 4x4 RGB input) and
    /// returns the error's text, recording an issue if it loads.
    static func failure(param: String, bin: [UInt8] = [], run: Bool = true) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncnn-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("model.param").path
        try Data(param.utf8).write(to: URL(fileURLWithPath: path))
        try Data(bin).write(to: URL(fileURLWithPath: NCNNNet.binPath(forParam: path)))
        do {
            let net = try NCNNNet(paramPath: path)
            if run { _ = try net.run(Tensor(zeros: [1, 3, 4, 4]), context: ComputeContext(precision: .fp32, threads: 1)) }
            Issue.record("accepted: \(param)")
            return ""
        } catch let error as ModelError {
            #expect(error.message.hasPrefix(path) || error.message.hasPrefix(NCNNNet.binPath(forParam: path)), "\(error.message)")
            return error.message
        }
    }

    @Test func theValidBaselineLoadsAndRuns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncnn-ok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ok.param").path
        try Data(Self.param(["Input in 0 1 data", Self.convLine]).utf8).write(to: URL(fileURLWithPath: path))
        try Data(Self.convWeights).write(to: URL(fileURLWithPath: NCNNNet.binPath(forParam: path)))
        let input = Tensor(shape: [1, 3, 2, 2], storage: (0..<12).map(Float.init))
        #expect(try NCNNNet(paramPath: path).run(input, context: ComputeContext()) == input)
    }

    @Test(arguments: [
        ("", "empty file"),
        ("7767518\n1 1\n", "not an ncnn text .param"),
        ("7767517\n", "missing the layer and blob counts"),
        ("7767517\n0 0\n", "expected '<layer count> <blob count>'"),
        ("7767517\n99999999999 1\n", "expected '<layer count> <blob count>'"),
        ("7767517\n-1 1\n", "expected '<layer count> <blob count>'"),
        ("7767517\n1 1\nInput in 0\n", "expected 'Type Name <inputs> <outputs>"),
        ("7767517\n1 1\nInput in 0 9999999\n", "expected 'Type Name <inputs> <outputs>"),
        ("7767517\n1 1\nInput in 0 3 a\n", "names fewer blobs than its counts"),
    ])
    func malformedHeadersAreRefused(_ text: String, _ phrase: String) throws {
        #expect(try Self.failure(param: text).contains(phrase))
    }

    @Test func wrongCountsAreRefused() throws {
        let lines = ["Input in 0 1 data", Self.convLine]
        #expect(try Self.failure(param: Self.param(lines, layers: 3), bin: Self.convWeights).contains("declares 3 layers but the file has 2"))
        #expect(try Self.failure(param: Self.param(lines, layers: 1), bin: Self.convWeights).contains("more layers than the 1"))
        #expect(try Self.failure(param: Self.param(lines, blobs: 7), bin: Self.convWeights).contains("declares 7 blobs but the layers produce 2"))
    }

    @Test func cyclesAndMissingBlobsAreRefused() throws {
        let cycle = ["Input in 0 1 data", "ReLU a 1 1 b c", "ReLU b 1 1 c b"]
        #expect(try Self.failure(param: Self.param(cycle, blobs: 3)).contains("reads blob 'b' before any layer produces it"))
        let missing = ["Input in 0 1 data", "ReLU a 1 1 nowhere output"]
        #expect(try Self.failure(param: Self.param(missing)).contains("reads blob 'nowhere'"))
        let twice = ["Input in 0 1 data", "ReLU a 1 1 data data"]
        #expect(try Self.failure(param: Self.param(twice, blobs: 1)).contains("already produces"))
        let sameName = ["Input in 0 1 data", "ReLU in 1 1 data output"]
        #expect(try Self.failure(param: Self.param(sameName)).contains("a second layer named 'in'"))
    }

    @Test func anUnknownLayerNamesTheFileLineLayerAndType() throws {
        let message = try Self.failure(param: Self.param(["Input in 0 1 data", "Swish act 1 1 data output"]))
        #expect(message.contains(": line 4: layer 'act' (Swish): layer type 'Swish' is not supported"), "\(message)")
    }

    @Test(arguments: [
        ("ReLU r 1 1 data output 99=1", "parameter key 99 is outside"),
        ("ReLU r 1 1 data output -2147483648=1", "parameter key -2147483648 is outside"),
        ("ReLU r 1 1 data output -23300=5,1,2", "must be N followed by N"),
        ("ReLU r 1 1 data output 0=abc,1", "not a finite number"),
        ("ReLU r 1 1 data output 0=nan", "parameter 0 must be a number"),
        ("ReLU r 1 1 data output 0", "is not a key=value parameter"),
        ("ReLU r 1 1 data output 0=1 0=2", "given twice"),
        ("Convolution c 1 1 data output 0=3 1=1 6=10", "weight count 10 is not a multiple"),
        ("Convolution c 1 1 data output 0=9223372036854775807 1=3 6=9", "0=outputs in 1…"),
        ("Convolution c 1 1 data output 0=3 1=1000 6=9", "kernel and stride in 1…64"),
        ("Convolution c 1 1 data output 0=3 1=1 2=2 6=9", "dilation"),
        ("Convolution c 1 1 data output 0=3 1=1 6=9 8=1", "int8-quantised Convolution"),
        ("Convolution c 1 1 data output 0=3 1=1 6=9 9=77", "unknown fused activation type 77"),
        ("Interp i 1 1 data output 0=1 1=1e30 2=2", "Interp scales must be"),
        ("Interp i 1 1 data output 0=9", "resize type 9"),
        ("PixelShuffle p 1 1 data output 0=1000", "factor in 1…16"),
        ("MemoryData m 0 1 output 0=100000 1=100000 2=100000", "too large"),
        ("BinaryOp b 1 1 data output 0=99", "unknown BinaryOp operation 99"),
        ("Concat c 1 1 data output 0=2", "axis 2"),
        ("Eltwise e 1 1 data output 0=1", "takes 2"),
    ])
    func badParametersNameTheLayer(_ line: String, _ phrase: String) throws {
        let message = try Self.failure(param: Self.param(["Input in 0 1 data", line]))
        #expect(message.contains(phrase), "\(message)")
        #expect(message.contains("line 4"), "\(message)")
    }

    @Test func truncatedAndOversizedWeightsAreRefused() throws {
        let text = Self.param(["Input in 0 1 data", Self.convLine])
        let weights = Self.convWeights
        for cut in [0, 3, 4, 20, weights.count - 1] {
            #expect(try Self.failure(param: text, bin: Array(weights.prefix(cut))).contains("truncated, or the wrong .bin"))
        }
        #expect(try Self.failure(param: text, bin: weights + [0, 0, 0, 0]).contains("4 bytes left over"))
        let huge = Self.param(["Input in 0 1 data", "Convolution c 1 1 data output 0=1024 1=64 5=1 6=4294967296"])
        #expect(try Self.failure(param: huge, bin: weights).contains("truncated"))
    }

    @Test func int8WeightsAreRefusedClearly() throws {
        let message = try Self.failure(param: Self.param(["Input in 0 1 data", Self.convLine]),
                                       bin: Self.bytes(tag: 0x000D_4B38, floats: [0, 0, 0]))
        #expect(message.contains("int8-quantised weights are not supported"), "\(message)")
    }

    @Test func graphsWithoutOneInputOrOneOutputAreRefused() throws {
        #expect(try Self.failure(param: Self.param(["MemoryData m 0 1 output 0=1"]), bin: Self.bytes(floats: [1])).contains("0 Input layers"))
        let two = ["Input in 0 1 data", "Split s 1 2 data a b"]
        #expect(try Self.failure(param: Self.param(two, blobs: 3)).contains("output is ambiguous"))
    }

    @Test func shapesThatExplodeAtRunTimeAreRefusedBeforeAllocating() throws {
        let growth = (0..<8).map { "Interp i\($0) 1 1 b\($0) b\($0 + 1) 0=1 1=64.0 2=64.0" }
        let lines = ["Input in 0 1 b0"] + growth + ["Noop n 1 1 b8 output"]
        let message = try Self.failure(param: Self.param(lines))
        #expect(message.contains("layer 'i1' (Interp)") && message.contains("element limit"), "\(message)")
        let crop = ["Input in 0 1 data", "Crop c 1 1 data output 0=10 3=4"]
        #expect(try Self.failure(param: Self.param(crop)).contains("does not fit"))
        let mismatch = ["Input in 0 1 data", "Split s 1 2 data a b", "Interp i 1 1 a big 0=1 1=2.0 2=2.0", "Eltwise e 2 1 big b output 0=1"]
        #expect(try Self.failure(param: Self.param(mismatch, blobs: 5)).contains("different shapes"))
        let channels = ["Input in 0 1 data", "Convolution c 1 1 data output 0=1 1=1 6=4"]
        #expect(try Self.failure(param: Self.param(channels), bin: Self.bytes(tag: 0, floats: [1, 1, 1, 1])).contains("expects 4 input channels, got 3"))
    }
}
