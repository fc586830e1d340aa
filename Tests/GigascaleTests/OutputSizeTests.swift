import GigaEngine
import Testing
@testable import Gigascale

/// How a size request becomes pixels, for an 8x model.
@Suite struct OutputSizeTests {
    private func size(_ request: OutputSize, _ width: Int, _ height: Int) throws -> [Int] {
        let resolved = try request.resolved(width: width, height: height, nativeScale: 8)
        return [resolved.width, resolved.height]
    }

    @Test func factorsMultiplyAndRoundToTheNearestPixel() throws {
        #expect(try size(.native, 640, 427) == [5120, 3416])
        #expect(try size(.scale(8), 640, 427) == [5120, 3416])
        #expect(try size(.scale(2), 640, 427) == [1280, 854])
        #expect(try size(.scale(2.5), 641, 427) == [1603, 1068])    // 1602.5 and 1067.5 round up
        #expect(try size(.scale(0.001), 640, 427) == [1, 1])
    }

    @Test func aWidthOrHeightKeepsTheAspectRatioToHalfAPixel() throws {
        #expect(try size(.width(1000), 640, 427) == [1000, 667])      // 667.19
        #expect(try size(.height(1000), 640, 427) == [1499, 1000])    // 1498.8
        #expect(try size(.longSide(2000), 427, 640) == [1334, 2000])  // 1334.4
        #expect(try size(.longSide(2000), 640, 640) == [2000, 2000])
        for (width, height) in [(640, 427), (333, 1001), (17, 5)] {
            for target in [7, 100, 999, 2048] where target <= width * 8 {
                let out = try size(.width(target), width, height)
                #expect(abs(Double(out[1]) - Double(height) * Double(target) / Double(width)) <= 0.5)
            }
        }
    }

    @Test func aFitBoxMeetsOneSideAndStaysInsideTheOther() throws {
        #expect(try size(.fit4K, 1024, 768) == [2880, 2160])          // limited by the height
        #expect(try size(.fit4K, 1024, 512) == [3840, 1920])          // limited by the width
        #expect(try size(.fit8K, 4000, 3000) == [5760, 4320])
        #expect(try size(.fit(width: 3840, height: 2160), 640, 360) == [3840, 2160])
        // A box beyond the native output is an upper bound: the native size comes out.
        #expect(try size(.fit4K, 256, 256) == [2048, 2048])
    }

    @Test func requestsAboveTheNativeScaleAreRefusedWithTheReason() throws {
        for request in [OutputSize.scale(16), .scale(8.01), .width(5121), .height(3417), .longSide(6000)] {
            let error = #expect(throws: GigascaleError.self) { try size(request, 640, 427) }
            #expect(error?.description.contains("native 8x") == true, "\(request): \(String(describing: error))")
        }
        for request in [OutputSize.scale(0), .scale(-2), .scale(.nan), .width(0), .height(-1), .fit(width: 0, height: 10)] {
            #expect(throws: GigascaleError.self) { try size(request, 640, 427) }
        }
    }
}
