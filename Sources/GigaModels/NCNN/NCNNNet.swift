import Foundation
import GigaEngine

/// An ncnn model (`.param` + `.bin`) ready to run on GigaEngine: its layers are built and their
/// weights read once; each `run` interprets the graph on one input, freeing every blob after
/// its last reader.
///
/// The graph must have one `Input` layer (the image, [1, 3, H, W] RGB) and one output: the blob
/// named `output` if there is one, else the only blob no layer reads.
public final class NCNNNet {
    /// The `.param` file's path (or a name given to in-memory models), used in errors.
    public let source: String
    /// The parsed layers.
    public let param: NCNNParam
    private let layers: [NCNNLayer?]
    private let bottoms: [[Int]], tops: [[Int]]
    /// For each layer, the blobs it reads for the last time (freed after it runs).
    private let freedAfter: [[Int]]
    /// Concat layers whose output only convolutions read: their inputs are handed to those
    /// convolutions as pieces (`NCNNConvolution.forward(concatenationOf:)`), so the bf16
    /// Winograd kernel reads them in place and the concatenation is not written out.
    private let deferredConcats: Set<Int>
    /// Tensors two or more convolutions read (directly or as a deferred Concat's piece): for each
    /// such blob, every blob that holds the same tensor (it and its Split copies). They share
    /// one `WinogradInputCache`, so the bf16 Winograd kernel transforms the tensor once.
    let convolutionInputGroups: [Int: [Int]]
    /// The memory of those caches, reused from tile to tile.
    private let cachePool = WinogradCachePool()
    private let inputBlob: Int
    /// The blob the net returns.
    public let outputBlob: Int
    /// The output blob's name.
    public let outputName: String

    /// Loads `paramPath` and the `.bin` beside it (same name, `.bin` extension) unless `binPath` is given.
    /// - Throws: `ModelError` naming the file, the line or layer, and what is wrong.
    public convenience init(paramPath: String, binPath: String? = nil) throws {
        let binPath = binPath ?? Self.binPath(forParam: paramPath)
        let text: String, weights: [UInt8]
        do { text = try String(contentsOfFile: paramPath, encoding: .utf8) }
        catch { throw ModelError("\(paramPath): cannot read it as a UTF-8 text .param file: \(error.localizedDescription)") }
        guard let data = FileManager.default.contents(atPath: binPath) else {
            throw ModelError("\(paramPath): its weights \(binPath) cannot be read (the .bin must sit beside the .param)")
        }
        weights = [UInt8](data)
        try self.init(param: NCNNParam(text: text, source: paramPath), weights: weights, source: paramPath, binSource: binPath)
    }

    /// The `.bin` that belongs to a `.param`: the same path with the extension replaced.
    public static func binPath(forParam path: String) -> String {
        (path.hasSuffix(".param") ? String(path.dropLast(6)) : path) + ".bin"
    }

    /// Builds the net from a parsed `.param` and the bytes of its `.bin`.
    public init(param: NCNNParam, weights: [UInt8], source: String, binSource: String? = nil) throws {
        self.source = source
        self.param = param
        var bin = NCNNModelBin(bytes: weights, source: binSource ?? source + " (.bin)")
        var index: [String: Int] = [:]
        var built: [NCNNLayer?] = []
        var inputs: [Int] = []
        for spec in param.layers {
            let layer: NCNNLayer?
            do { layer = try NCNNLayerFactory.make(spec, weights: &bin) }
            catch let error as NCNNParseError {
                throw ModelError("\(source): line \(spec.line): layer '\(spec.name)' (\(spec.type)): \(error.message)")
            }
            for top in spec.tops { index[top] = index.count }
            if spec.type == "Input" { inputs.append(index[spec.tops[0]]!) }
            built.append(layer)
        }
        try bin.finish()
        guard inputs.count == 1 else { throw ModelError("\(source): the graph has \(inputs.count) Input layers; an image model has exactly one") }
        let bottoms = param.layers.map { $0.bottoms.map { index[$0]! } }
        self.bottoms = bottoms
        tops = param.layers.map { $0.tops.map { index[$0]! } }
        let read = Set(bottoms.joined())
        let unread = param.layers.flatMap(\.tops).filter { !read.contains(index[$0]!) }
        let output: (blob: Int, name: String)
        if let named = index["output"] {
            output = (named, "output")
        } else if unread.count == 1, let only = unread.first {
            output = (index[only]!, only)
        } else {
            throw ModelError("\(source): no blob is named 'output' and \(unread.count) blobs are never read, so the output is ambiguous: \(unread.prefix(5).joined(separator: ", "))")
        }
        var readers = [Int: [Int]]()     // blob → the layers that read it, in order
        for (layer, reads) in bottoms.enumerated() { for blob in reads { readers[blob, default: []].append(layer) } }
        freedAfter = (0..<param.layers.count).map { layer in Set(bottoms[layer]).filter { readers[$0]?.last == layer && $0 != output.blob } }
        (outputBlob, outputName) = output
        let tops = self.tops
        deferredConcats = Set(built.indices.filter { i in
            guard built[i] is NCNNConcat, tops[i].count == 1, tops[i][0] != output.blob,
                  let reading = readers[tops[i][0]] else { return false }
            return reading.allSatisfy { built[$0] is NCNNConvolution && bottoms[$0].count == 1 }
        })
        convolutionInputGroups = Self.sharedConvolutionInputs(layers: built, bottoms: bottoms, tops: tops,
                                                               readers: readers, deferredConcats: deferredConcats)
        layers = built
        inputBlob = inputs[0]
    }

    private init(copying other: NCNNNet) {
        source = other.source
        param = other.param
        layers = other.layers.map { $0?.makeConcurrentCopy() }
        bottoms = other.bottoms
        tops = other.tops
        freedAfter = other.freedAfter
        deferredConcats = other.deferredConcats
        convolutionInputGroups = other.convolutionInputGroups
        inputBlob = other.inputBlob
        outputBlob = other.outputBlob
        outputName = other.outputName
    }

    /// The groups of `convolutionInputGroups`: blobs are grouped by the tensor they hold (a Split's
    /// tops hold its bottom's), and a group is kept when convolutions read it twice or more.
    private static func sharedConvolutionInputs(layers: [NCNNLayer?], bottoms: [[Int]], tops: [[Int]],
                                                readers: [Int: [Int]], deferredConcats: Set<Int>) -> [Int: [Int]] {
        var source = [Int: Int]()           // a Split top → the blob it copies (resolved to the first)
        for (i, layer) in layers.enumerated() where layer is NCNNSplit && bottoms[i].count == 1 {
            let origin = source[bottoms[i][0]] ?? bottoms[i][0]
            for top in tops[i] { source[top] = origin }
        }
        func convolutionReads(_ blob: Int) -> Int {
            (readers[blob] ?? []).reduce(0) { count, layer in
                if deferredConcats.contains(layer) { return count + (readers[tops[layer][0]]?.count ?? 0) }
                return count + (layers[layer] is NCNNConvolution && bottoms[layer].count == 1 ? 1 : 0)
            }
        }
        var groups = [Int: [Int]]()
        for blob in Set(readers.keys).union(source.keys) { groups[source[blob] ?? blob, default: []].append(blob) }
        var shared = [Int: [Int]]()
        for group in groups.values where group.reduce(0, { $0 + convolutionReads($1) }) >= 2 {
            for blob in group { shared[blob] = group }
        }
        return shared
    }

    /// A second net over the same weights that can run on another thread at the same time.
    public func makeConcurrentCopy() -> NCNNNet { NCNNNet(copying: self) }

    /// Runs the graph on `input` ([1, C, H, W]) and returns the output blob.
    /// - Throws: `ModelError` naming the layer that failed (a shape it cannot take, a blob too large).
    public func run(_ input: Tensor, context: ComputeContext) throws -> Tensor {
        guard input.shape.count == 4, input.batch == 1 else { throw ModelError("\(source): the input must be one [1, C, H, W] image, not \(input.shape)") }
        var blobs = [Tensor?](repeating: nil, count: param.blobCount)
        var pieces = [Int: [Tensor]]()      // a deferred Concat's output: its inputs
        var pieceCaches = [Int: [WinogradInputCache?]]()
        var caches = [Int: WinogradInputCache]()   // per blob; Split copies share theirs
        func cache(of blob: Int) -> WinogradInputCache? {
            if let kept = caches[blob] { return kept }
            guard let group = convolutionInputGroups[blob] else { return nil }
            let fresh = WinogradInputCache(pool: cachePool)
            for member in group where blobs[member] != nil { caches[member] = fresh }   // freed ones stay out
            return fresh
        }
        blobs[inputBlob] = input
        for (i, layer) in layers.enumerated() {
            guard let layer else { continue }
            let spec = param.layers[i]
            let outputs: [Tensor]
            do {
                let convolution = bottoms[i].count == 1 ? layer as? NCNNConvolution : nil
                if let convolution, let parts = pieces[bottoms[i][0]] {
                    outputs = [try context.stage(spec.type) {
                        try convolution.forward(concatenationOf: parts, caches: pieceCaches[bottoms[i][0]], context: context)
                    }]
                } else if let convolution, let kept = cache(of: bottoms[i][0]), let value = blobs[bottoms[i][0]] {
                    outputs = [try context.stage(spec.type) {
                        try convolution.forward(concatenationOf: [value], caches: [kept], context: context)
                    }]
                } else {
                    let inputs = try bottoms[i].map { blob in
                        guard let value = blobs[blob] else { throw EngineError("an input blob was not produced") }
                        return value
                    }
                    // A deferred Concat keeps its inputs as pieces; one that cannot concatenate
                    // them runs, to report why.
                    if deferredConcats.contains(i), Ops.areConcatenableAlongChannels(inputs) {
                        pieces[tops[i][0]] = inputs
                        pieceCaches[tops[i][0]] = bottoms[i].map { cache(of: $0) }
                        outputs = []
                    } else {
                        outputs = try context.stage(spec.type) { try layer.forward(inputs, context: context) }
                    }
                }
            } catch {
                let detail = (error as? EngineError)?.description ?? "\(error)"
                throw ModelError("\(source): layer '\(spec.name)' (\(spec.type)): \(detail)")
            }
            for blob in freedAfter[i] { blobs[blob] = nil; pieces[blob] = nil; pieceCaches[blob] = nil; caches[blob] = nil }
            for (blob, value) in zip(tops[i], outputs) { blobs[blob] = value }
        }
        guard let output = blobs[outputBlob] else { throw ModelError("\(source): the output blob '\(outputName)' was never produced") }
        return output
    }
}
