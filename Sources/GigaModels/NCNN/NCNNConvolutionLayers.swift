import GigaEngine

/// The geometry common to ncnn's Convolution, ConvolutionDepthWise and Deconvolution params.
struct NCNNConvolutionGeometry {
    var outChannels: Int, kernelW: Int, kernelH: Int, strideW: Int, strideH: Int
    var padLeft: Int, padRight: Int, padTop: Int, padBottom: Int
    var hasBias: Bool, weightCount: Int
    var activation: NCNNActivation

    /// The largest kernel side or stride accepted (real models use 1…11).
    static let maxKernel = 64
    /// The most output channels accepted (real models use at most a few thousand).
    static let maxChannels = 1 << 20

    init(_ p: NCNNParamDict, type: String) throws(NCNNParseError) {
        outChannels = try p.int(0, 0)
        kernelW = try p.int(1, 0); kernelH = try p.int(11, kernelW)
        let dilationW = try p.int(2, 1), dilationH = try p.int(12, dilationW)
        strideW = try p.int(3, 1); strideH = try p.int(13, strideW)
        padLeft = try p.int(4, 0); padRight = try p.int(15, padLeft)
        padTop = try p.int(14, padLeft); padBottom = try p.int(16, padTop)
        hasBias = try p.int(5, 0) != 0
        weightCount = try p.int(6, 0)
        activation = try NCNNActivation(params: p)
        guard (1...Self.maxChannels).contains(outChannels), (1...Self.maxKernel).contains(kernelW), (1...Self.maxKernel).contains(kernelH),
              (1...Self.maxKernel).contains(strideW), (1...Self.maxKernel).contains(strideH) else {
            throw NCNNParseError("\(type) needs 0=outputs in 1…\(Self.maxChannels) and kernel and stride in 1…\(Self.maxKernel)")
        }
        guard dilationW == 1, dilationH == 1 else { throw NCNNParseError("\(type) with dilation \(dilationW)x\(dilationH) is not supported") }
        guard try p.int(8, 0) == 0 else { throw NCNNParseError("int8-quantised \(type) is not supported") }
        guard try p.int(type == "Deconvolution" ? 28 : 19, 0) == 0 else { throw NCNNParseError("\(type) with dynamic weights is not supported") }
        guard try p.float(18, 0) == 0 || type == "Deconvolution" else { throw NCNNParseError("\(type) with a non-zero pad value is not supported") }
        for pad in [padLeft, padRight, padTop, padBottom] where !(0...Self.maxKernel).contains(pad) && pad != -233 && pad != -234 {
            throw NCNNParseError("\(type) padding \(pad) is not supported")
        }
        let perOutput = kernelW * kernelH
        guard weightCount > 0, weightCount % (outChannels * perOutput) == 0 else {
            throw NCNNParseError("\(type) weight count \(weightCount) is not a multiple of \(outChannels) outputs x \(kernelH)x\(kernelW)")
        }
    }

    /// Padding for an input of `height` x `width`: explicit, or ncnn's -233 ("same", extra at the
    /// end) and -234 ("same", extra at the start).
    func padding(height: Int, width: Int) -> (top: Int, left: Int, bottom: Int, right: Int) {
        guard padLeft == -233 || padLeft == -234 else { return (padTop, padLeft, padBottom, padRight) }
        func split(_ size: Int, _ kernel: Int, _ stride: Int) -> (Int, Int) {
            let total = max((size + stride - 1) / stride * stride - stride + kernel - size, 0)
            return padLeft == -233 ? (total / 2, total - total / 2) : (total - total / 2, total / 2)
        }
        let (top, bottom) = split(height, kernelH, strideH), (left, right) = split(width, kernelW, strideW)
        return (top, left, bottom, right)
    }
}

/// ncnn's Convolution: a oneDNN convolution with the bias and, where it can, the activation fused.
final class NCNNConvolution: NCNNLayer {
    private let geometry: NCNNConvolutionGeometry
    private let weights: [Float], bias: [Float]?
    private let inChannels: Int
    /// One prepared convolution per padding (only "same" padding varies with the input size).
    private var convolutions: [[Int]: Conv2d] = [:]
    private let name: String

    init(geometry: NCNNConvolutionGeometry, weights: [Float], bias: [Float]?, name: String) {
        self.geometry = geometry
        self.weights = weights
        self.bias = bias
        self.name = name
        inChannels = geometry.weightCount / (geometry.outChannels * geometry.kernelW * geometry.kernelH)
    }

    func makeConcurrentCopy() -> NCNNLayer { NCNNConvolution(geometry: geometry, weights: weights, bias: bias, name: name) }

    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor] {
        [try forward(concatenationOf: [inputs[0]], context: context)]
    }

    /// The convolution of `parts` concatenated along channels (a deferred Concat's inputs, see
    /// `NCNNNet`), which the bf16 Winograd kernel reads without concatenating them; `caches`
    /// as in `Conv2d.callAsFunction(concatenationOf:caches:in:)`.
    func forward(concatenationOf parts: [Tensor], caches: [WinogradInputCache?]? = nil, context: ComputeContext) throws -> Tensor {
        let channels = parts.reduce(0) { $0 + $1.channels }
        guard channels == inChannels else {
            throw EngineError("expects \(inChannels) input channels, got \(channels)")
        }
        let pad = geometry.padding(height: parts[0].height, width: parts[0].width)
        let key = [pad.top, pad.left, pad.bottom, pad.right]
        let convolution: Conv2d
        if let cached = convolutions[key] { convolution = cached } else {
            convolution = Conv2d(weights: weights, bias: bias, outChannels: geometry.outChannels, inChannels: inChannels,
                                 kernel: (geometry.kernelH, geometry.kernelW), stride: (geometry.strideH, geometry.strideW),
                                 padding: pad, activation: geometry.activation.fusable ?? .none)
            convolution.name = name
            convolutions[key] = convolution
        }
        let output = try convolution(concatenationOf: parts, caches: caches, in: context)
        return geometry.activation.fusable == nil ? geometry.activation.apply(output) : output
    }
}

/// ncnn's ConvolutionDepthWise (a grouped convolution; groups = channels is depthwise).
final class NCNNGroupedConvolution: NCNNLayer {
    private let geometry: NCNNConvolutionGeometry
    private let weights: [Float], bias: [Float]?
    private let groups: Int

    init(geometry: NCNNConvolutionGeometry, groups: Int, weights: [Float], bias: [Float]?) {
        self.geometry = geometry
        self.groups = groups
        self.weights = weights
        self.bias = bias
    }

    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor] {
        let input = inputs[0]
        let output = try Ops.groupedConv2d(input, weights: weights, bias: bias, outChannels: geometry.outChannels, groups: groups,
                                           kernel: (geometry.kernelH, geometry.kernelW), stride: (geometry.strideH, geometry.strideW),
                                           padding: geometry.padding(height: input.height, width: input.width))
        return [geometry.activation.apply(output)]
    }
}

/// ncnn's Deconvolution (groups = 1): a transposed convolution whose padding crops the output.
final class NCNNDeconvolution: NCNNLayer {
    private let geometry: NCNNConvolutionGeometry
    private let weights: [Float], bias: [Float]?
    private let extra: (bottom: Int, right: Int)

    init(geometry: NCNNConvolutionGeometry, extra: (bottom: Int, right: Int), weights: [Float], bias: [Float]?) {
        self.geometry = geometry
        self.extra = extra
        self.weights = weights
        self.bias = bias
    }

    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor] {
        let g = geometry, input = inputs[0]
        try ncnnCheckBlobSize(channels: g.outChannels, height: (input.height - 1) * g.strideH + g.kernelH + extra.bottom,
                              width: (input.width - 1) * g.strideW + g.kernelW + extra.right)
        let output = try Ops.transposedConv2d(inputs[0], weights: weights, bias: bias, outChannels: g.outChannels,
                                              kernel: (g.kernelH, g.kernelW), stride: (g.strideH, g.strideW),
                                              crop: (g.padTop, g.padLeft, g.padBottom, g.padRight), extra: extra)
        return [g.activation.apply(output)]
    }
}
