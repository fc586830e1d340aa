import GigaEngine

/// What the tiler needs from an upscaling model: per-image conditioning, then one tile at a time.
///
/// A conforming model is stateful: `prepare` computes what every tile of one image shares (the
/// style vector, the text features, the prepared kernels), and each `upscaleTile` reuses it.
public protocol TileModel: AnyObject {
    /// The model's native, integer upscaling factor (8 for GigaGAN-8x).
    var scale: Int { get }
    /// Input tiles must have sides that are multiples of this (8 for a 3-level U-Net).
    var sizeMultiple: Int { get }
    /// The one tile side the model accepts, if it accepts only one (AuraSR runs its
    /// `input_image_size`); `nil` when any multiple of `sizeMultiple` works.
    var requiredTileSize: Int? { get }
    /// The tile side used when the caller asks for none.
    var preferredTileSize: Int { get }
    /// Whether every tile is exactly the tile size, square, with a shorter image padded up to it
    /// (a network whose attention sees the whole tile gives the same result for an image that
    /// fits in one tile as for one padded to it); otherwise a tile shrinks to a short image.
    var padsToWholeTiles: Bool { get }
    /// Whether tiles may be any size up to the tile size: then they are made as small as covering
    /// the image with the requested overlap allows (a fully convolutional network, whose time is
    /// proportional to the pixels it runs on); otherwise every tile but a short image's is the
    /// tile size, spread evenly, and neighbours may overlap by more than asked.
    var shrinksTilesToFit: Bool { get }
    /// Computes the per-image conditioning for `prompt` (nil: the empty prompt) and `seed`.
    func prepare(prompt: String?, seed: UInt64, context: ComputeContext) throws
    /// Upscales one RGB tile ([1, 3, h, w], values in [0, 1]) with standard-normal `noise` of the
    /// same shape, keyed to the tile's absolute position; returns [1, 3, h·scale, w·scale].
    func upscaleTile(_ tile: Tensor, noise: Tensor, context: ComputeContext) throws -> Tensor
    /// A second instance that can run tiles on another thread at the same time as this one
    /// (`prepare` is called on it separately, with the same prompt and seed, and must then give
    /// bit-identical tiles), or `nil` when tiles must run one at a time. A stateless model may
    /// return itself.
    func makeConcurrentInstance() throws -> TileModel?
    /// Everything that decides which convolutions a tile runs (the architecture and its config,
    /// not the weights' values), as text; nil when the model cannot say. `.auto` precision
    /// caches the convolutions it finds under it (`PrecisionCache.loadCensus(_:)`), so a run
    /// that finds its verdict cached does not run the census again.
    var architecture: String? { get }
}

extension TileModel {
    public var requiredTileSize: Int? { nil }
    public var preferredTileSize: Int { requiredTileSize ?? UpscaleOptions.defaultTileSize }
    public var padsToWholeTiles: Bool { requiredTileSize != nil }
    public var shrinksTilesToFit: Bool { false }
    public func makeConcurrentInstance() throws -> TileModel? { nil }
    public var architecture: String? { nil }
}
