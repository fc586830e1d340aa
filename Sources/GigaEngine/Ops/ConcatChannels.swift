extension Ops {
    /// Concatenates rank-4 tensors [N, Cᵢ, H, W] along the channel axis into [N, ΣCᵢ, H, W];
    /// matches `torch.cat(tensors, dim=1)`. Storage is NHWC, so each output pixel holds the
    /// channel runs of the inputs one after another. Throws unless every input is rank 4 with the
    /// same N, H and W, or when the list is empty.
    public static func concatChannels(_ tensors: [Tensor]) throws -> Tensor {
        guard let first = tensors.first else { throw EngineError("concatChannels needs at least one tensor") }
        for tensor in tensors {
            try requireRank4(tensor, "concatChannels")
            guard tensor.batch == first.batch, tensor.height == first.height, tensor.width == first.width else {
                throw EngineError("concatChannels needs equal N, H, W; got \(tensors.map(\.shape))")
            }
        }
        let pixels = first.batch * first.height * first.width
        let channelCounts = tensors.map(\.channels)
        let total = channelCounts.reduce(0, +)
        let values = [Float](unsafeUninitializedCapacity: pixels * total) { out, initialized in
            var offset = 0
            for (tensor, c) in zip(tensors, channelCounts) {
                tensor.storage.withUnsafeBufferPointer { src in
                    for p in 0..<pixels {
                        let from = p * c, to = p * total + offset
                        for k in 0..<c { out[to + k] = src[from + k] }
                    }
                }
                offset += c
            }
            initialized = pixels * total
        }
        return Tensor(shape: [first.batch, total, first.height, first.width], storage: values)
    }
}
