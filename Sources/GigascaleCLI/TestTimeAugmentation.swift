import GigaImage
import Gigascale

/// `-x/--tta`, as in the ncnn tools: the image is enlarged in all 8 of its mirror and rotation
/// variants, each result turned back, and the 8 averaged. Costs 8 times the time, and the whole
/// output is held in memory (no row streaming), so it suits small inputs.
enum TestTimeAugmentation {
    /// EXIF orientations 1-8 are exactly the 8 variants; each one's inverse.
    static let inverse = [1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 8, 7: 7, 8: 6]

    static func upscale(_ image: Image, with upscaler: Upscaler, prompt: String?, into sink: ImageRowSink,
                        progress: @escaping (_ tilesDone: Int, _ tilesTotal: Int) -> Void) async throws {
        var sum: Image?
        var tilesBefore = 0
        for orientation in 1...8 {
            let variant = image.applyingOrientation(orientation)
            let tiles = upscaler.tileCount(for: variant)
            let total = upscaler.tileCount(for: image) * 8
            let enlarged = try await upscaler.upscale(variant, prompt: prompt) { step in
                progress(tilesBefore + step.tilesDone, max(total, tilesBefore + tiles))
            }
            tilesBefore += tiles
            let back = enlarged.applyingOrientation(inverse[orientation]!)
            if var running = sum {
                for p in running.planes.indices { add(back.planes[p], into: &running.planes[p]) }
                if let alpha = back.alpha { add(alpha, into: &running.alpha!) }
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
