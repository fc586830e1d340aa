/// One layer line of an ncnn `.param` file: `Type Name nBottom nTop bottoms… tops… k=v…`.
public struct NCNNLayerSpec: Sendable, Equatable {
    /// The layer type, e.g. `Convolution`.
    public var type: String
    /// The layer's name, unique in well-formed files.
    public var name: String
    /// Input blob names.
    public var bottoms: [String]
    /// Output blob names.
    public var tops: [String]
    /// Its parameters.
    public var params: NCNNParamDict
    /// The 1-based line of the file it was read from.
    public var line: Int
}

/// The text half of an ncnn model: its layers in file order, checked to form a graph in which
/// every blob is produced once, before any layer reads it (so there are no cycles).
public struct NCNNParam: Sendable, Equatable {
    /// The first line of every text `.param` file.
    public static let magic = 7767517
    /// Upper bounds that keep a hostile header from asking for huge tables.
    public static let maxLayers = 100_000, maxBlobsPerLayer = 4096

    /// The layers, in file (and execution) order.
    public let layers: [NCNNLayerSpec]
    /// The number of distinct blobs.
    public let blobCount: Int

    /// Parses the text of a `.param` file.
    /// - Parameter source: the file's path, used in error messages.
    /// - Throws: `ModelError` naming `source`, the line and what is wrong.
    public init(text: String, source: String) throws(ModelError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().lazy
            .map { (number: $0.offset + 1, tokens: $0.element.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })) }
            .filter { !$0.tokens.isEmpty }
            .makeIterator()
        func fail(_ line: Int, _ message: String) -> ModelError { ModelError("\(source): line \(line): \(message)") }

        guard let magicLine = lines.next() else { throw ModelError("\(source): empty file, not an ncnn .param") }
        guard magicLine.tokens.count == 1, Int(magicLine.tokens[0]) == Self.magic else {
            throw ModelError("\(source): not an ncnn text .param file (the first line must be \(Self.magic))")
        }
        guard let counts = lines.next() else { throw fail(magicLine.number + 1, "missing the layer and blob counts") }
        guard counts.tokens.count == 2, let layerCount = Int(counts.tokens[0]), let blobCount = Int(counts.tokens[1]),
              (1...Self.maxLayers).contains(layerCount), (1...Self.maxLayers * 4).contains(blobCount) else {
            throw fail(counts.number, "expected '<layer count> <blob count>' with 1…\(Self.maxLayers) layers")
        }

        var layers: [NCNNLayerSpec] = []
        layers.reserveCapacity(layerCount)
        var produced: Set<String> = []
        var names: Set<String> = []
        while let line = lines.next() {
            guard layers.count < layerCount else { throw fail(line.number, "more layers than the \(layerCount) the header declares") }
            let tokens = line.tokens
            guard tokens.count >= 4, let bottomCount = Int(tokens[2]), let topCount = Int(tokens[3]),
                  (0...Self.maxBlobsPerLayer).contains(bottomCount), (0...Self.maxBlobsPerLayer).contains(topCount) else {
                throw fail(line.number, "expected 'Type Name <inputs> <outputs> blobs… params…'")
            }
            guard tokens.count >= 4 + bottomCount + topCount else {
                throw fail(line.number, "layer '\(tokens[1])' names fewer blobs than its counts \(bottomCount) and \(topCount)")
            }
            let bottoms = tokens[4..<(4 + bottomCount)].map(String.init)
            let tops = tokens[(4 + bottomCount)..<(4 + bottomCount + topCount)].map(String.init)
            let params: NCNNParamDict
            do { params = try NCNNParamDict(tokens: tokens[(4 + bottomCount)...].dropFirst(topCount)) }
            catch { throw fail(line.number, "layer '\(tokens[1])': \(error.message)") }
            let name = String(tokens[1])
            guard names.insert(name).inserted else { throw fail(line.number, "a second layer named '\(name)'") }
            for bottom in bottoms where !produced.contains(bottom) {
                throw fail(line.number, "layer '\(name)' reads blob '\(bottom)' before any layer produces it (missing, or a cycle)")
            }
            for top in tops where !produced.insert(top).inserted {
                throw fail(line.number, "layer '\(name)' produces blob '\(top)', which an earlier layer already produces")
            }
            layers.append(NCNNLayerSpec(type: String(tokens[0]), name: name, bottoms: bottoms, tops: tops, params: params, line: line.number))
        }
        guard layers.count == layerCount else {
            throw ModelError("\(source): the header declares \(layerCount) layers but the file has \(layers.count)")
        }
        guard produced.count == blobCount else {
            throw ModelError("\(source): the header declares \(blobCount) blobs but the layers produce \(produced.count)")
        }
        self.layers = layers
        self.blobCount = blobCount
    }
}
