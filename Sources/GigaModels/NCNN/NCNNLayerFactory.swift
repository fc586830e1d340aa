import GigaEngine

/// Builds runnable layers from their `.param` lines, reading each one's weights from the `.bin`
/// in file order, as ncnn does.
enum NCNNLayerFactory {
    /// The layer types the interpreter runs.
    static let supportedTypes = ["BinaryOp", "Clip", "Concat", "Convolution", "ConvolutionDepthWise", "Crop",
                                 "Deconvolution", "Eltwise", "Input", "Interp", "MemoryData", "Noop", "PixelShuffle",
                                 "PReLU", "ReLU", "Sigmoid", "Split"]

    /// The layer for `spec`, or nil for Input (whose blob the caller fills).
    /// - Throws: `NCNNParseError` for a bad or unsupported parameter, `ModelError` from the weights.
    static func make(_ spec: NCNNLayerSpec, weights: inout NCNNModelBin) throws -> NCNNLayer? {
        let p = spec.params
        let what = "layer '\(spec.name)' (\(spec.type))"
        func expect(inputs: ClosedRange<Int>, outputs: ClosedRange<Int>) throws(NCNNParseError) {
            guard inputs.contains(spec.bottoms.count), outputs.contains(spec.tops.count) else {
                throw NCNNParseError("\(spec.type) takes \(inputs) inputs and \(outputs) outputs, not \(spec.bottoms.count) and \(spec.tops.count)")
            }
        }
        switch spec.type {
        case "Input":
            try expect(inputs: 0...0, outputs: 1...1)
            return nil
        case "Convolution", "ConvolutionDepthWise", "Deconvolution":
            try expect(inputs: 1...1, outputs: 1...1)
            let geometry = try NCNNConvolutionGeometry(p, type: spec.type)
            let groups = spec.type == "ConvolutionDepthWise" ? try p.int(7, 1) : 1
            guard groups >= 1, geometry.outChannels % groups == 0 else {
                throw NCNNParseError("group \(groups) does not divide \(geometry.outChannels) outputs")
            }
            let kernel = try weights.load(count: geometry.weightCount, tagged: true, what: what + " weights")
            let bias = geometry.hasBias ? try weights.load(count: geometry.outChannels, tagged: false, what: what + " bias") : nil
            switch spec.type {
            case "Convolution":
                return NCNNConvolution(geometry: geometry, weights: kernel, bias: bias, name: spec.name)
            case "ConvolutionDepthWise":
                return NCNNGroupedConvolution(geometry: geometry, groups: groups, weights: kernel, bias: bias)
            default:
                guard [geometry.padTop, geometry.padLeft, geometry.padBottom, geometry.padRight].allSatisfy({ $0 >= 0 }),
                      try p.int(20, 0) == 0, try p.int(7, 1) == 1 else {
                    throw NCNNParseError("Deconvolution with 'same' padding, a fixed output size or groups is not supported")
                }
                let extraRight = try p.int(18, 0), extraBottom = try p.int(19, extraRight)
                guard (0...NCNNConvolutionGeometry.maxKernel).contains(extraRight),
                      (0...NCNNConvolutionGeometry.maxKernel).contains(extraBottom) else {
                    throw NCNNParseError("Deconvolution output padding out of range")
                }
                return NCNNDeconvolution(geometry: geometry, extra: (extraBottom, extraRight), weights: kernel, bias: bias)
            }
        case "ReLU":
            try expect(inputs: 1...1, outputs: 1...1)
            let activation: NCNNActivation = try p.float(0, 0) == 0 ? .relu : .leakyReLU(try p.float(0, 0))
            return NCNNUnaryLayer { activation.apply($0) }
        case "PReLU":
            try expect(inputs: 1...1, outputs: 1...1)
            let count = try p.int(0, 0)
            guard count >= 1 else { throw NCNNParseError("PReLU needs 0=slope count ≥ 1") }
            let slopes = try weights.load(count: count, tagged: false, what: what + " slopes")
            return NCNNUnaryLayer { try Ops.prelu($0, slopes: slopes) }
        case "Sigmoid":
            try expect(inputs: 1...1, outputs: 1...1)
            return NCNNUnaryLayer { NCNNActivation.sigmoid.apply($0) }
        case "Clip":
            try expect(inputs: 1...1, outputs: 1...1)
            let activation = NCNNActivation.clip(try p.float(0, -.greatestFiniteMagnitude), try p.float(1, .greatestFiniteMagnitude))
            return NCNNUnaryLayer { activation.apply($0) }
        case "Noop":
            try expect(inputs: 1...1, outputs: 1...1)
            return NCNNUnaryLayer { $0 }
        case "Split":
            try expect(inputs: 1...1, outputs: 1...NCNNParam.maxBlobsPerLayer)
            return NCNNSplit(count: spec.tops.count)
        case "Concat":
            try expect(inputs: 1...NCNNParam.maxBlobsPerLayer, outputs: 1...1)
            guard [0, -3].contains(try p.int(0, 0)) else { throw NCNNParseError("Concat along axis \(try p.int(0, 0)) is not supported (only channels, 0)") }
            return NCNNConcat()
        case "Eltwise":
            try expect(inputs: 2...NCNNParam.maxBlobsPerLayer, outputs: 1...1)
            let operation = try p.int(0, 0)
            guard (0...2).contains(operation) else { throw NCNNParseError("unknown Eltwise operation \(operation)") }
            return NCNNEltwise(operation: operation, coefficients: try p.array(1))
        case "BinaryOp":
            let code = try p.int(0, 0)
            guard let operation = NCNNBinaryOperation(rawValue: code) else { throw NCNNParseError("unknown BinaryOp operation \(code)") }
            let withScalar = try p.int(1, 0) != 0
            try expect(inputs: withScalar ? 1...1 : 2...2, outputs: 1...1)
            return NCNNBinaryOp(operation: operation, scalar: withScalar ? try p.float(2, 0) : nil)
        case "Interp":
            try expect(inputs: 1...1, outputs: 1...1)
            let code = try p.int(0, 0)
            guard let mode = NCNNInterp.Mode(rawValue: code) else { throw NCNNParseError("Interp resize type \(code) is not supported (1 nearest, 2 bilinear, 3 bicubic)") }
            guard try p.int(5, 0) == 0, !p.has(9) else { throw NCNNParseError("Interp with a dynamic target size is not supported") }
            let heightScale = try p.float(1, 1), widthScale = try p.float(2, 1)
            let outputHeight = try p.int(3, 0), outputWidth = try p.int(4, 0)
            guard heightScale > 0, widthScale > 0, heightScale <= 64, widthScale <= 64,
                  (0...65536).contains(outputHeight), (0...65536).contains(outputWidth) else {
                throw NCNNParseError("Interp scales must be in (0, 64] and sizes in 0…65536")
            }
            return NCNNInterp(mode: mode, heightScale: heightScale, widthScale: widthScale, outputHeight: outputHeight,
                              outputWidth: outputWidth, alignCorners: try p.int(6, 0) != 0)
        case "PixelShuffle":
            try expect(inputs: 1...1, outputs: 1...1)
            let factor = try p.int(0, 1)
            guard (1...16).contains(factor), try p.int(1, 0) == 0 else { throw NCNNParseError("PixelShuffle needs a factor in 1…16 and mode 0") }
            return NCNNUnaryLayer { try Ops.pixelShuffle($0, factor: factor) }
        case "Crop":
            try expect(inputs: 1...1, outputs: 1...1)
            guard !p.has(9), !p.has(10), !p.has(19) else { throw NCNNParseError("Crop by starts/ends is not supported (only offsets and sizes)") }
            return NCNNCrop(channel: .init(offset: try p.int(2, 0), size: try p.int(5, -233), endOffset: try p.int(8, 0)),
                            row: .init(offset: try p.int(1, 0), size: try p.int(4, -233), endOffset: try p.int(7, 0)),
                            column: .init(offset: try p.int(0, 0), size: try p.int(3, -233), endOffset: try p.int(6, 0)))
        case "MemoryData":
            try expect(inputs: 0...0, outputs: 1...1)
            let w = try p.int(0, 0), h = try p.int(1, 0), c = try p.int(2, 0)
            guard try p.int(11, 0) == 0, w >= 1, h >= 0, c >= 0 else { throw NCNNParseError("MemoryData needs w ≥ 1 and no depth") }
            let shape = c != 0 ? [1, c, max(h, 1), w] : h != 0 ? [1, 1, h, w] : [1, w, 1, 1]
            do { try ncnnCheckBlobSize(channels: shape[1], height: shape[2], width: shape[3]) }
            catch { throw NCNNParseError("MemoryData \(w)x\(h)x\(c) is too large") }
            let values = try weights.load(count: shape.reduce(1, *), tagged: try p.int(21, 1) == 0, what: what + " data")
            return NCNNMemoryData(value: Tensor(nchw: values, shape: shape))
        default:
            throw NCNNParseError("layer type '\(spec.type)' is not supported (supported: \(supportedTypes.joined(separator: ", ")))")
        }
    }
}
