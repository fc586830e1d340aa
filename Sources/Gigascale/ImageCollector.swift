import GigaImage

/// A row sink that gathers bands into one `Image`.
final class ImageCollector: ImageRowSink {
    private let header: EncodeHeader
    private var planes: [[Float]]
    private var alpha: [Float]?

    init(header: EncodeHeader) {
        self.header = header
        planes = Array(repeating: [], count: header.colorChannels)
        alpha = header.hasAlpha ? [] : nil
        for c in planes.indices { planes[c].reserveCapacity(header.width * header.height) }
    }

    func write(_ band: Image) throws {
        for c in planes.indices { planes[c].append(contentsOf: band.planes[c]) }
        if let bandAlpha = band.alpha { alpha?.append(contentsOf: bandAlpha) }
    }

    func finish() throws {}

    var image: Image {
        Image(width: header.width, height: header.height, planes: planes, alpha: alpha, metadata: header.metadata)
    }
}
