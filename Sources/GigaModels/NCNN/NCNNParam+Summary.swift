extension NCNNParam {
    /// The enlargement the graph makes, read from its layers alone (no weights, no run): each
    /// blob's size relative to the input, through Interp factors, PixelShuffle, strided
    /// convolutions and deconvolutions; a layer with several inputs takes the largest. Nil when
    /// the output is not a whole factor of the input, or depends on a fixed size.
    public var staticScale: Int? {
        var factor: [String: Double] = [:]
        var output: String?
        for layer in layers {
            let input = layer.bottoms.compactMap { factor[$0] }.max() ?? 1
            let p = layer.params
            var scale = input
            switch layer.type {
            case "Interp":
                guard (try? p.int(3, 0)) == 0 || (try? p.int(4, 0)) == 0 else { return nil }
                scale = input * Double((try? p.float(1, 1)) ?? 1)
            case "PixelShuffle": scale = input * Double((try? p.int(0, 1)) ?? 1)
            case "Convolution", "ConvolutionDepthWise":
                scale = input / Double((try? p.int(3, 1)) ?? 1)
            case "Deconvolution": scale = input * Double((try? p.int(3, 1)) ?? 1)
            default: break
            }
            for top in layer.tops { factor[top] = scale }
            if layer.tops.contains("output") { output = "output" }
        }
        guard let last = output ?? layers.last?.tops.first, let value = factor[last],
              value >= 1, value == value.rounded(), value < 1e6 else { return nil }
        return Int(value)
    }

    /// The number of learned values the layers declare (convolution weights and biases, PReLU
    /// slopes, constants), read from the parameters alone.
    public var parameterCount: Int {
        layers.reduce(0) { total, layer in
            let p = layer.params
            switch layer.type {
            case "Convolution", "ConvolutionDepthWise", "Deconvolution":
                let bias = (try? p.int(5, 0)) != 0 ? ((try? p.int(0, 0)) ?? 0) : 0
                return total + max((try? p.int(6, 0)) ?? 0, 0) + max(bias, 0)
            case "PReLU": return total + max((try? p.int(0, 0)) ?? 0, 0)
            default: return total
            }
        }
    }
}
