import GigaEngine
import GigaModels

/// An ncnn super-resolution graph (`NAME.param` with `NAME.bin` beside it) as a tile model.
///
/// The graph takes RGB in [0, 1] at its `Input` blob and returns RGB in [0, 1] at `output`
/// (the convention of realesrgan-ncnn-vulkan's models). Its scale is measured by one probe run
/// at load, which also refuses a graph that does not take a 3-channel image or does not enlarge
/// both sides by the same whole factor. Prompt, seed and noise are ignored.
public final class NCNNModel: TileModel {
    /// The interpreted graph.
    public let net: NCNNNet
    public let scale: Int
    public let sizeMultiple = 1
    /// 128: larger than the GAN's 64, because an ncnn SR graph (RRDBNet, SRVGG) runs the same
    /// per pixel at any size and fewer tiles mean less overlap recomputed.
    public let preferredTileSize = 128
    public let shrinksTilesToFit = true

    /// The side of the probe tile: large enough for every sampling mode.
    static let probeSide = 16

    /// Loads the graph and probes its scale.
    /// - Throws: `ModelError` naming the file: unreadable or malformed files, unsupported layers,
    ///   a graph that does not map an RGB image to an RGB image a whole factor larger.
    public convenience init(paramPath: String, binPath: String? = nil) throws {
        let net = try NCNNNet(paramPath: paramPath, binPath: binPath)
        try self.init(net: net, scale: try Self.probeScale(of: net))
    }

    private init(net: NCNNNet, scale: Int) throws {
        self.net = net
        self.scale = scale
    }

    /// The factor the graph enlarges by, from one run on a grey probe tile.
    static func probeScale(of net: NCNNNet) throws -> Int {
        let side = probeSide
        let probe = Tensor(shape: [1, 3, side, side], storage: [Float](repeating: 0.5, count: 3 * side * side))
        let output: Tensor
        do { output = try net.run(probe, context: ComputeContext(precision: .fp32, threads: 1)) }
        catch let error as ModelError { throw ModelError("\(error.message) (while probing the model with a \(side)x\(side) RGB tile; ncnn models must take RGB in [0, 1] at their Input)") }
        guard output.shape.count == 4, output.channels == 3, output.height == output.width,
              output.height % side == 0, output.height >= side else {
            throw ModelError("\(net.source): a \(side)x\(side) RGB tile gives an output of shape \(output.shape); an upscaler must return RGB a whole factor larger on both sides")
        }
        return output.height / side
    }

    /// The number of layers in the graph.
    public var layerCount: Int { net.param.layers.count }

    public func prepare(prompt: String?, seed: UInt64, context: ComputeContext) throws {}

    public func upscaleTile(_ tile: Tensor, noise: Tensor, context: ComputeContext) throws -> Tensor {
        let output = try net.run(tile, context: context)
        let expected = [1, 3, tile.height * scale, tile.width * scale]
        guard output.shape == expected else {
            throw ModelError("\(net.source): a \(tile.height)x\(tile.width) tile gives \(output.shape), not the \(scale)x \(expected)")
        }
        return output
    }

    public func makeConcurrentInstance() throws -> TileModel? { try NCNNModel(net: net.makeConcurrentCopy(), scale: scale) }
}
