extension Ops {
    /// Concatenates row-major tensors (any rank except 4, e.g. tokens [B, T, Cᵢ]) along their last
    /// dimension; matches `torch.cat(tensors, dim=-1)`. For rank-4 feature maps use
    /// `concatChannels`. Throws when the list is empty, a tensor is rank 0 or 4, or the tensors
    /// differ in any dimension but the last.
    public static func concatLastDimension(_ tensors: [Tensor]) throws -> Tensor {
        guard let first = tensors.first else { throw EngineError("concatLastDimension needs at least one tensor") }
        let leading = Array(first.shape.dropLast())
        for tensor in tensors {
            guard !tensor.shape.isEmpty, tensor.shape.count != 4 else {
                throw EngineError("concatLastDimension works on row-major tensors of rank 1 to 3 or 5+, got \(tensor.shape)"
                                  + (tensor.shape.count == 4 ? "; use concatChannels for [N, C, H, W]" : ""))
            }
            guard Array(tensor.shape.dropLast()) == leading else {
                throw EngineError("concatLastDimension needs equal leading dimensions; got \(tensors.map(\.shape))")
            }
        }
        let widths = tensors.map { $0.shape.last! }
        let values = joinRows(tensors, rows: leading.reduce(1, *), widths: widths)
        return Tensor(shape: leading + [widths.reduce(0, +)], storage: values)
    }
}
