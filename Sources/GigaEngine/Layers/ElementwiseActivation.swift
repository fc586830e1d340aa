import CDNNLShim
import CKernels

/// An activation applied element by element by oneDNN's vectorised, threaded kernel (SiLU by
/// Gigascale's own AVX-512 loop where the CPU has one, several times faster than oneDNN 2.6's);
/// the counterpart of `Ops.silu` and friends (the reference implementations) on hot paths.
///
/// A primitive is created per element count and kept, as `Conv2d` does per shape, so a tile loop
/// creates primitives only for its first tile. Like the other layers, an instance serves one
/// thread at a time.
public final class ElementwiseActivation {
    /// The activation computed.
    public let activation: Activation
    /// The layer's name in profiles.
    public var name: String
    private var primitives: [Int: UnaryPrimitive] = [:]

    /// An element-wise `activation` (not `.none`).
    public init(_ activation: Activation, name: String? = nil) {
        precondition(activation != .none, "an element-wise activation needs an activation")
        self.activation = activation
        self.name = name ?? "\(activation)"
    }

    /// The activation of every element of `input` (any rank and layout), as a new tensor.
    public func callAsFunction(_ input: Tensor, in context: ComputeContext) throws -> Tensor {
        var output = Tensor(uninitialized: input.shape)
        try run(input.storage, into: &output.storage, context: context)
        return output
    }

    /// Replaces every element of `tensor` by its activation.
    public func apply(to tensor: inout Tensor, in context: ComputeContext) throws {
        let count = tensor.count
        let primitive = try oneDNNPrimitive(count: count, context: context)
        try measured(count: count, context: context) {
            try tensor.storage.withUnsafeMutableBufferPointer { values in
                guard let base = values.baseAddress else { return }
                try execute(primitive, UnsafePointer(base), base, count: count, threads: context.threads)
            }
        }
    }

    private func run(_ source: [Float], into destination: inout [Float], context: ComputeContext) throws {
        let count = source.count
        let primitive = try oneDNNPrimitive(count: count, context: context)
        try measured(count: count, context: context) {
            try source.withUnsafeBufferPointer { src in
                try destination.withUnsafeMutableBufferPointer { dst in
                    guard let from = src.baseAddress, let to = dst.baseAddress else { return }
                    try execute(primitive, from, to, count: count, threads: context.threads)
                }
            }
        }
    }

    /// The oneDNN primitive for `count` values, or nil where SiLU runs on `gs_silu` (AVX-512).
    private func oneDNNPrimitive(count: Int, context: ComputeContext) throws -> UnaryPrimitive? {
        activation == .silu && gs_avx512_supported() != 0 ? nil : try primitive(count: count, context: context)
    }

    /// Runs `primitive`, or without one `gs_silu` in up to `threads` slices of at least 64 Ki values.
    private func execute(_ primitive: UnaryPrimitive?, _ from: UnsafePointer<Float>, _ to: UnsafeMutablePointer<Float>,
                         count: Int, threads: Int) throws {
        if let primitive { return try primitive.execute(from, to, threads: threads) }
        forEachPart(of: count, parts: max(1, min(threads, count / 65_536))) { first, end in
            _ = gs_silu(from + first, to + first, Int64(end - first))
        }
    }

    private func measured(count: Int, context: ComputeContext, _ body: () throws -> Void) throws {
        try context.primitive(name, kind: "\(activation) on \(count) values", flops: 0, body)
    }

    private func primitive(count: Int, context: ComputeContext) throws -> UnaryPrimitive {
        if let cached = primitives[count] { return cached }
        let (kind, alpha) = (activation.shimKind, activation.shimAlpha)
        let made = try UnaryPrimitive(context: context, what: "element-wise \(activation) on \(count) values") { handle, err, len in
            gs_eltwise_create(context.handle, Int64(count), kind, alpha, &handle, err, len)
        }
        primitives[count] = made
        return made
    }
}
