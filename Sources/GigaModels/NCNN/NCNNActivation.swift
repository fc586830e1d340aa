import Foundation
import GigaEngine

/// The activation an ncnn Convolution, ConvolutionDepthWise or Deconvolution applies after its
/// bias (`9=type`, `10=params`): 0 none, 1 ReLU, 2 leaky ReLU (slope), 3 clip (min, max),
/// 4 sigmoid, 5 mish, 6 hard-swish (alpha, beta).
enum NCNNActivation: Equatable {
    case none, relu, leakyReLU(Float), clip(Float, Float), sigmoid, mish, hardSwish(Float, Float)

    init(params: NCNNParamDict) throws(NCNNParseError) {
        let values = try params.array(10)
        func value(_ i: Int, _ name: String) throws(NCNNParseError) -> Float {
            guard i < values.count else { throw NCNNParseError("activation type \((try? params.int(9, 0)) ?? 0) needs its \(name) in parameter 10") }
            return values[i]
        }
        switch try params.int(9, 0) {
        case 0: self = .none
        case 1: self = .relu
        case 2: self = .leakyReLU(try value(0, "slope"))
        case 3: self = .clip(try value(0, "minimum"), try value(1, "maximum"))
        case 4: self = .sigmoid
        case 5: self = .mish
        case 6: self = .hardSwish(try value(0, "alpha"), try value(1, "beta"))
        case let other: throw NCNNParseError("unknown fused activation type \(other)")
        }
    }

    /// The part oneDNN can fuse into a convolution, if any.
    var fusable: Activation? {
        switch self {
        case .none: .some(.none)
        case .relu: .leakyReLU(slope: 0)
        case .leakyReLU(let slope): .leakyReLU(slope: slope)
        default: nil
        }
    }

    /// The activation of one value.
    func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .none: x
        case .relu: max(x, 0)
        case .leakyReLU(let slope): x > 0 ? x : x * slope
        case .clip(let low, let high): min(max(x, low), high)
        case .sigmoid: 1 / (1 + exp(-x))
        case .mish: x * tanh(log(exp(x) + 1))
        case .hardSwish(let alpha, let beta):
            // Zero below -beta/alpha, x above (1 - beta)/alpha, x·(alpha·x + beta) between.
            x < -beta / alpha ? 0 : x > (1 - beta) / alpha ? x : x * (alpha * x + beta)
        }
    }

    /// Applies the activation to every element.
    func apply(_ tensor: Tensor) -> Tensor {
        if self == .none { return tensor }
        var out = tensor
        out.storage.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] = self(values[i]) }
        }
        return out
    }
}
