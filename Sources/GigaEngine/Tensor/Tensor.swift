/// A dense Float32 tensor.
///
/// Callers think in PyTorch's terms: a rank-4 tensor has the logical shape [N, C, H, W]. The
/// engine stores rank-4 tensors channels-last (NHWC) because that is the layout oneDNN's
/// convolutions read and write without reorders, and it makes the [N, H*W, C] token view used by
/// attention and layer norms a free reshape. Tensors of other ranks are stored row-major.
/// Convert at the edges with `init(nchw:shape:)` and `nchwValues()`.
public struct Tensor: Sendable, Equatable {
    /// Logical shape; [N, C, H, W] for rank 4.
    public let shape: [Int]
    /// The elements in storage order: NHWC for rank 4, row-major otherwise.
    public var storage: [Float]

    /// Wraps elements already in storage order.
    public init(shape: [Int], storage: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(shape.reduce(1, *) == storage.count, "\(storage.count) elements do not fill shape \(shape)")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, storage: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// A tensor whose elements are left for an op to write: every element must be written before
    /// it is read (used for outputs, to skip a pass of zero-filling).
    public init(uninitialized shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        let count = shape.reduce(1, *)
        self.init(shape: shape, storage: [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count })
    }

    /// A tensor from elements in PyTorch's order (NCHW for rank 4, row-major otherwise).
    public init(nchw values: [Float], shape: [Int]) {
        guard shape.count == 4 else { self.init(shape: shape, storage: values); return }
        precondition(shape.reduce(1, *) == values.count, "\(values.count) elements do not fill shape \(shape)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        var nhwc = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { src in
            nhwc.withUnsafeMutableBufferPointer { dst in
                for b in 0..<n { for ch in 0..<c { for y in 0..<h { for x in 0..<w {
                    dst[((b * h + y) * w + x) * c + ch] = src[((b * c + ch) * h + y) * w + x]
                } } } }
            }
        }
        self.init(shape: shape, storage: nhwc)
    }

    /// The elements in PyTorch's order (NCHW for rank 4).
    public func nchwValues() -> [Float] {
        guard shape.count == 4 else { return storage }
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        var nchw = [Float](repeating: 0, count: storage.count)
        storage.withUnsafeBufferPointer { src in
            nchw.withUnsafeMutableBufferPointer { dst in
                for b in 0..<n { for y in 0..<h { for x in 0..<w { for ch in 0..<c {
                    dst[((b * c + ch) * h + y) * w + x] = src[((b * h + y) * w + x) * c + ch]
                } } } }
            }
        }
        return nchw
    }

    /// Number of elements.
    public var count: Int { storage.count }
    /// Rank-4 accessors.
    public var batch: Int { shape[0] }
    public var channels: Int { shape[1] }
    public var height: Int { shape[2] }
    public var width: Int { shape[3] }

    /// The same storage under another shape of equal size. Rank-4 shapes are NHWC in storage, so
    /// [N, C, H, W] → [N, H*W, C] (tokens) and back are free.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }
}
