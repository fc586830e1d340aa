import GigaEngine

/// One runnable layer of an ncnn graph. Blobs are rank-4 tensors [1, C, H, W]: an ncnn 3-D blob
/// (w, h, c) maps to [1, c, h, w], a 2-D one (w, h) to [1, 1, h, w] and a 1-D one (w) to
/// [1, w, 1, 1], so that a per-channel vector broadcasts over a feature map as in ncnn.
protocol NCNNLayer: AnyObject {
    /// Computes the layer's outputs (one per top blob) from its inputs (one per bottom blob).
    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor]
    /// A copy that can run on another thread at the same time (stateless layers return self).
    func makeConcurrentCopy() -> NCNNLayer
}

extension NCNNLayer {
    func makeConcurrentCopy() -> NCNNLayer { self }
}

/// A layer whose work is one function of its single input.
final class NCNNUnaryLayer: NCNNLayer {
    private let transform: (Tensor) throws -> Tensor
    init(_ transform: @escaping (Tensor) throws -> Tensor) { self.transform = transform }
    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor] { [try transform(inputs[0])] }
}

/// The largest blob the interpreter will make (2^28 floats, 1 GiB): a hostile shape or scale
/// is refused before it is allocated.
let ncnnMaxBlobElements = 1 << 28

/// Throws unless a [1, c, h, w] blob is non-empty and within `ncnnMaxBlobElements`.
func ncnnCheckBlobSize(channels c: Int, height h: Int, width w: Int) throws {
    guard c >= 1, h >= 1, w >= 1 else { throw EngineError("would make an empty \(c)x\(h)x\(w) blob") }
    let (hw, o1) = h.multipliedReportingOverflow(by: w)
    let (chw, o2) = hw.multipliedReportingOverflow(by: c)
    guard !o1, !o2, chw <= ncnnMaxBlobElements else {
        throw EngineError("would make a \(c)x\(h)x\(w) blob, over the \(ncnnMaxBlobElements)-element limit")
    }
}
