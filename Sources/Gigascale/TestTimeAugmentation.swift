import GigaImage

/// Test-time augmentation, as the ncnn tools' `-x`: the image is enlarged in all 8 of its mirror
/// and rotation variants, each result turned back, and the 8 averaged. Costs 8 times the time,
/// and the whole output is held in memory (no row streaming), so it suits small inputs.
extension Upscaler {
    /// EXIF orientations 1-8 are exactly the 8 variants; each one's inverse.
    static let inverseOrientation = [1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 8, 7: 7, 8: 6]

    /// Upscales `image` in its 8 variants into `sink` (finished here), averaged; `progress`
    /// counts the tiles of all 8.
    public func upscaleWithTestTimeAugmentation(_ image: Image, prompt: String? = nil, into sink: ImageRowSink,
                                                progress: ((UpscaleProgress) -> Void)? = nil) async throws {
        var sum: Image?
        var tilesBefore = 0
        for orientation in 1...8 {
            let variant = image.applyingOrientation(orientation)
            let tiles = tileCount(for: variant)
            let total = tileCount(for: image) * 8
            let enlarged = try await upscale(variant, prompt: prompt) { step in
                progress?(UpscaleProgress(tilesDone: tilesBefore + step.tilesDone, tilesTotal: max(total, tilesBefore + tiles)))
            }
            tilesBefore += tiles
            let back = enlarged.applyingOrientation(Self.inverseOrientation[orientation]!)
            if var running = sum {
                for p in running.planes.indices { Self.add(back.planes[p], into: &running.planes[p]) }
                if let alpha = back.alpha { Self.add(alpha, into: &running.alpha!) }
                sum = running
            } else {
                sum = back
            }
        }
        var result = sum!
        result.planes = result.planes.map { $0.map { $0 / 8 } }
        result.alpha = result.alpha.map { $0.map { $0 / 8 } }
        result.metadata = image.metadata
        try sink.write(result)
        try sink.finish()
    }

    private static func add(_ values: [Float], into sum: inout [Float]) {
        for i in sum.indices { sum[i] += values[i] }
    }
}
