import GigaImage

/// Resizes one plane held in memory (an image's alpha) and hands out the result a few rows at a
/// time, in order, so that only the rows asked for (plus the filter's reach) exist at once:
/// memory grows with the output's width, not its area. Bit-identical to resizing the whole plane
/// with `Image.resized(width:height:filter:)` (clamped into [0, 1]).
final class StreamedPlaneResize {
    private let plane: [Float]
    private let width: Int
    private let height: Int
    private let resizer: ResamplingRowSink
    private let queue = RowQueue()
    private var rowsFed = 0

    init(plane: [Float], width: Int, height: Int, outputWidth: Int, outputHeight: Int, filter: ResamplingFilter) {
        self.plane = plane
        self.width = width
        self.height = height
        resizer = ResamplingRowSink(inputWidth: width, inputHeight: height,
                                    output: EncodeHeader(width: outputWidth, height: outputHeight, colorChannels: 1, hasAlpha: false),
                                    filter: filter, into: queue)
    }

    /// The next `count` output rows, back to back.
    func next(rows count: Int) throws -> [Float] {
        while queue.rows < count && rowsFed < height {
            // One input row at a time: each completes a few output rows at most.
            try resizer.write(Image(width: width, height: 1, planes: [Array(plane[(rowsFed * width)..<((rowsFed + 1) * width)])]))
            rowsFed += 1
        }
        return queue.take(rows: count)
    }

    /// Output rows waiting to be taken.
    private final class RowQueue: ImageRowSink {
        private var samples: [Float] = []
        private var width = 0
        var rows: Int { width == 0 ? 0 : samples.count / width }

        func write(_ band: Image) throws {
            width = band.width
            samples.append(contentsOf: band.planes[0])
        }

        func finish() throws {}

        func take(rows count: Int) -> [Float] {
            precondition(count <= rows, "asked for \(count) rows, \(rows) are ready")
            let taken = Array(samples.prefix(count * width))
            samples.removeFirst(count * width)
            return taken
        }
    }
}
