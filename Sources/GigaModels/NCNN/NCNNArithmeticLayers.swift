import Foundation
import GigaEngine

/// ncnn's BinaryOp operation codes (`0=`): 0 add, 1 sub, 2 mul, 3 div, 4 max, 5 min, 6 pow,
/// 7 rsub, 8 rdiv, 9 rpow, 10 atan2, 11 ratan2.
enum NCNNBinaryOperation: Int {
    case add, sub, mul, div, max, min, pow, rsub, rdiv, rpow, atan2, ratan2

    func callAsFunction(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .add: a + b
        case .sub: a - b
        case .mul: a * b
        case .div: a / b
        case .max: Swift.max(a, b)
        case .min: Swift.min(a, b)
        case .pow: Foundation.pow(a, b)
        case .rsub: b - a
        case .rdiv: b / a
        case .rpow: Foundation.pow(b, a)
        case .atan2: Foundation.atan2(a, b)
        case .ratan2: Foundation.atan2(b, a)
        }
    }
}

/// ncnn's BinaryOp: two blobs combined element-wise with broadcasting (each of C, H, W equal or
/// 1 in one of them), or one blob with the scalar `2=` when `1=1`.
final class NCNNBinaryOp: NCNNLayer {
    private let operation: NCNNBinaryOperation
    private let scalar: Float?

    init(operation: NCNNBinaryOperation, scalar: Float?) {
        self.operation = operation
        self.scalar = scalar
    }

    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor] {
        let a = inputs[0]
        if let scalar {
            var out = a
            out.storage.withUnsafeMutableBufferPointer { values in
                for i in values.indices { values[i] = operation(values[i], scalar) }
            }
            return [out]
        }
        return [try Self.broadcast(a, inputs[1], operation)]
    }

    /// Combines [1, C, H, W] blobs whose dimensions are pairwise equal or 1.
    static func broadcast(_ a: Tensor, _ b: Tensor, _ op: NCNNBinaryOperation) throws -> Tensor {
        if a.shape == b.shape {
            var out = a
            out.storage.withUnsafeMutableBufferPointer { x in
                b.storage.withUnsafeBufferPointer { y in for i in x.indices { x[i] = op(x[i], y[i]) } }
            }
            return out
        }
        let dims = try (1...3).map { axis in
            let (m, n) = (a.shape[axis], b.shape[axis])
            guard m == n || m == 1 || n == 1 else { throw EngineError("cannot broadcast \(a.shape) with \(b.shape)") }
            return Swift.max(m, n)
        }
        let (c, h, w) = (dims[0], dims[1], dims[2])
        try ncnnCheckBlobSize(channels: c, height: h, width: w)
        func index(_ t: Tensor, _ y: Int, _ x: Int, _ k: Int) -> Int {
            ((t.height == 1 ? 0 : y) * t.width + (t.width == 1 ? 0 : x)) * t.channels + (t.channels == 1 ? 0 : k)
        }
        var out = Tensor(uninitialized: [1, c, h, w])
        out.storage.withUnsafeMutableBufferPointer { dst in
            for y in 0..<h { for x in 0..<w { for k in 0..<c {
                dst[(y * w + x) * c + k] = op(a.storage[index(a, y, x, k)], b.storage[index(b, y, x, k)])
            } } }
        }
        return out
    }
}

/// ncnn's Eltwise over any number of same-shaped blobs: 0 product, 1 sum (each blob times its
/// coefficient from `1=`, when given), 2 maximum.
final class NCNNEltwise: NCNNLayer {
    private let operation: Int
    private let coefficients: [Float]

    init(operation: Int, coefficients: [Float]) {
        self.operation = operation
        self.coefficients = coefficients
    }

    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor] {
        for input in inputs.dropFirst() where input.shape != inputs[0].shape {
            throw EngineError("inputs have different shapes \(inputs.map(\.shape))")
        }
        guard coefficients.isEmpty || coefficients.count == inputs.count else {
            throw EngineError("\(coefficients.count) coefficients for \(inputs.count) inputs")
        }
        let weight = { (i: Int) -> Float in self.coefficients.isEmpty ? 1 : self.coefficients[i] }
        var out = inputs[0]
        out.storage.withUnsafeMutableBufferPointer { acc in
            if operation == 1 { let w0 = weight(0); if w0 != 1 { for j in acc.indices { acc[j] *= w0 } } }
            for (i, input) in inputs.enumerated().dropFirst() {
                input.storage.withUnsafeBufferPointer { x in
                    switch operation {
                    case 0: for j in acc.indices { acc[j] *= x[j] }
                    case 1: let wi = weight(i); for j in acc.indices { acc[j] += x[j] * wi }
                    default: for j in acc.indices { acc[j] = max(acc[j], x[j]) }
                    }
                }
            }
        }
        return [out]
    }
}
