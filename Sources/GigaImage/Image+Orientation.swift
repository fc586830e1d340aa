extension Image {
    /// The pixels as a viewer shows them for EXIF orientation `orientation` (1–8): 2 mirrors,
    /// 3 rotates 180°, 4 flips, 5 transposes, 6 rotates 90° clockwise, 7 transverses, 8 rotates
    /// 90° counter-clockwise. Orientations 5–8 swap width and height. Other values change nothing.
    public func applyingOrientation(_ orientation: Int) -> Image {
        guard (2...8).contains(orientation) else { return self }
        let w = width, h = height
        let swaps = orientation >= 5
        let outW = swaps ? h : w, outH = swaps ? w : h
        // For each output pixel, the source pixel it shows.
        let source: (Int, Int) -> Int = switch orientation {
        case 2: { x, y in y * w + (w - 1 - x) }
        case 3: { x, y in (h - 1 - y) * w + (w - 1 - x) }
        case 4: { x, y in (h - 1 - y) * w + x }
        case 5: { x, y in x * w + y }
        case 6: { x, y in (h - 1 - x) * w + y }
        case 7: { x, y in (h - 1 - x) * w + (w - 1 - y) }
        default: { x, y in x * w + (w - 1 - y) }
        }
        var index = [Int]()
        index.reserveCapacity(outW * outH)
        for y in 0..<outH { for x in 0..<outW { index.append(source(x, y)) } }
        let remap: ([Float]) -> [Float] = { plane in index.map { plane[$0] } }
        return Image(width: outW, height: outH, planes: planes.map(remap), alpha: alpha.map(remap), metadata: metadata)
    }
}
