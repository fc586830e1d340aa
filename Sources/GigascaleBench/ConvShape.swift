/// A 3x3, stride-1, padding-1 convolution shape as the generator uses them.
struct ConvShape: CustomStringConvertible {
    var channelsIn: Int
    var channelsOut: Int
    var size: Int

    /// Multiply-adds counted as two operations.
    var flops: Double { 2 * Double(channelsOut * size * size * channelsIn * 9) }

    var description: String { "\(channelsIn)→\(channelsOut) ch @ \(size)²" }

    /// The widths the generator runs at each resolution (README, Performance).
    static let generatorShapes = [
        ConvShape(channelsIn: 64, channelsOut: 64, size: 256),
        ConvShape(channelsIn: 32, channelsOut: 32, size: 512),
        ConvShape(channelsIn: 256, channelsOut: 256, size: 64),
        ConvShape(channelsIn: 16, channelsOut: 16, size: 1024),
    ]

    init(channelsIn: Int, channelsOut: Int, size: Int) {
        self.channelsIn = channelsIn
        self.channelsOut = channelsOut
        self.size = size
    }

    /// Parses "CIN:COUT:SIZE".
    init?(argument: String) {
        let parts = argument.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3, parts.allSatisfy({ $0 > 0 }) else { return nil }
        self.init(channelsIn: parts[0], channelsOut: parts[1], size: parts[2])
    }
}
