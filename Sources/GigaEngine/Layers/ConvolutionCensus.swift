/// The convolutions a forward pass asks for, counted by shape, without computing them.
///
/// Attach one to a `ComputeContext` (`context.census`) and run the model once: every `Conv2d`
/// call on that context records its shape and writes zeros instead of convolving (it creates no
/// oneDNN primitive either), while everything else runs as usual. The pass costs the model's
/// glue, not its arithmetic, and its outputs mean nothing. Used to find a model's dominant
/// convolutions before timing them (`Gigascale`'s automatic precision choice).
///
/// Not thread-safe: count one context on one thread.
public final class ConvolutionCensus: @unchecked Sendable {
    /// One convolution as oneDNN sees it: input size, channels, kernel, stride and padding.
    public struct Shape: Hashable, Sendable, Codable, CustomStringConvertible {
        public var batch: Int
        public var inChannels: Int
        public var outChannels: Int
        public var height: Int
        public var width: Int
        public var kernelHeight: Int
        public var kernelWidth: Int
        public var strideHeight: Int
        public var strideWidth: Int
        /// Zero padding: top, left, bottom, right.
        public var padding: [Int]

        /// Creates a shape; `padding` is top, left, bottom, right.
        public init(batch: Int = 1, inChannels: Int, outChannels: Int, height: Int, width: Int,
                    kernelHeight: Int, kernelWidth: Int, strideHeight: Int = 1, strideWidth: Int = 1,
                    padding: [Int] = [0, 0, 0, 0]) {
            self.batch = batch
            self.inChannels = inChannels
            self.outChannels = outChannels
            self.height = height
            self.width = width
            self.kernelHeight = kernelHeight
            self.kernelWidth = kernelWidth
            self.strideHeight = strideHeight
            self.strideWidth = strideWidth
            self.padding = padding
        }

        /// Output height and width.
        public var outputSize: (height: Int, width: Int) {
            ((height + padding[0] + padding[2] - kernelHeight) / strideHeight + 1,
             (width + padding[1] + padding[3] - kernelWidth) / strideWidth + 1)
        }

        /// Floating-point operations of one call, a multiply-add counted as two.
        public var flops: Double {
            let (outH, outW) = outputSize
            return 2 * Double(batch * outChannels * inChannels * kernelHeight * kernelWidth * outH * outW)
        }

        /// E.g. "conv 3x3 20→20 @512x512" (with the stride when it is not 1).
        public var description: String {
            let strided = strideHeight == 1 && strideWidth == 1 ? "" : " /\(strideHeight)"
            let batched = batch == 1 ? "" : " ×\(batch)"
            return "conv \(kernelHeight)x\(kernelWidth) \(inChannels)→\(outChannels) @\(height)x\(width)\(strided)\(batched)"
        }
    }

    /// A shape and how many times one pass ran it.
    public struct Entry: Sendable, Equatable, Codable {
        public var shape: Shape
        public var calls: Int
        /// FLOPs of all the calls.
        public var flops: Double { Double(calls) * shape.flops }

        public init(shape: Shape, calls: Int) {
            self.shape = shape
            self.calls = calls
        }
    }

    /// Every shape seen, in the order first seen.
    public private(set) var entries: [Entry] = []
    private var index: [Shape: Int] = [:]

    public init() {}

    /// Counts one call of `shape`.
    public func record(_ shape: Shape) {
        if let i = index[shape] {
            entries[i].calls += 1
        } else {
            index[shape] = entries.count
            entries.append(Entry(shape: shape, calls: 1))
        }
    }

    /// The `limit` shapes with the most FLOPs in all, largest first (ties in the order seen).
    public func dominant(_ limit: Int) -> [Entry] {
        Array(entries.enumerated().sorted { a, b in
            a.element.flops != b.element.flops ? a.element.flops > b.element.flops : a.offset < b.offset
        }.map(\.element).prefix(limit))
    }

    /// FLOPs of every convolution counted.
    public var totalFlops: Double { entries.reduce(0) { $0 + $1.flops } }
}
