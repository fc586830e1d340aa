extension Ops {
    /// Applies `transform` to every element of `input`, keeping its shape and storage order.
    @inline(__always)
    static func mapElements(_ input: Tensor, _ transform: (Float) -> Float) -> Tensor {
        let count = input.count
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            input.storage.withUnsafeBufferPointer { src in
                for i in 0..<count { out[i] = transform(src[i]) }
            }
            initialized = count
        }
        return Tensor(shape: input.shape, storage: values)
    }

    /// Combines two tensors of equal shape element by element; throws naming `operation` otherwise.
    @inline(__always)
    static func zipElements(_ a: Tensor, _ b: Tensor, operation: String, _ combine: (Float, Float) -> Float) throws -> Tensor {
        guard a.shape == b.shape else {
            throw EngineError("\(operation) needs tensors of the same shape, got \(a.shape) and \(b.shape)")
        }
        let count = a.count
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            a.storage.withUnsafeBufferPointer { x in
                b.storage.withUnsafeBufferPointer { y in
                    for i in 0..<count { out[i] = combine(x[i], y[i]) }
                }
            }
            initialized = count
        }
        return Tensor(shape: a.shape, storage: values)
    }

    /// Throws unless `tensor` is rank 4 ([N, C, H, W]).
    static func requireRank4(_ tensor: Tensor, _ operation: String) throws {
        guard tensor.shape.count == 4 else {
            throw EngineError("\(operation) expects a rank-4 [N, C, H, W] tensor, got shape \(tensor.shape)")
        }
    }
}

extension Ops {
    /// The length of the axis that channel-wise ops normalise over: C for rank 4 (innermost in
    /// NHWC storage), the last dimension otherwise. Either way it is contiguous in storage.
    static func featureAxisLength(_ tensor: Tensor, _ operation: String) throws -> Int {
        switch tensor.shape.count {
        case 0: throw EngineError("\(operation) needs a tensor of rank 1 or more")
        case 4: return tensor.channels
        default: return tensor.shape.last!
        }
    }
}
