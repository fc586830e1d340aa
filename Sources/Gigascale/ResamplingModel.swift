import GigaEngine
import GigaImage

/// A classical upscaler in the shape of a tile model: each tile is resized with a resampling
/// filter (Lanczos-3 or Catmull-Rom bicubic). It ignores prompt, seed and noise. It is the
/// baseline the GAN is measured against, and a fast choice when no model is wanted.
public final class ResamplingModel: TileModel {
    /// The filter used.
    public let filter: ResamplingFilter
    public let scale: Int
    public let sizeMultiple = 1

    /// Creates the model.
    public init(filter: ResamplingFilter = .lanczos3, scale: Int = 8) {
        precondition(scale >= 1)
        self.filter = filter
        self.scale = scale
    }

    public func prepare(prompt: String?, seed: UInt64, context: ComputeContext) throws {}

    /// Itself: the model has no state, so any number of threads can share it.
    public func makeConcurrentInstance() throws -> TileModel? { self }

    public func upscaleTile(_ tile: Tensor, noise: Tensor, context: ComputeContext) throws -> Tensor {
        let height = tile.height, width = tile.width
        let nchw = tile.nchwValues()
        let planes = (0..<3).map { c in Array(nchw[(c * height * width)..<((c + 1) * height * width)]) }
        let resized = Image(width: width, height: height, planes: planes)
            .resized(width: width * scale, height: height * scale, filter: filter, clampingToUnitRange: false)
        return Tensor(nchw: resized.planes.flatMap { $0 }, shape: [1, 3, height * scale, width * scale])
    }
}
