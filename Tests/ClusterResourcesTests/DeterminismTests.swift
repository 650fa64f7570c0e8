import ClusterResources
import Testing

/// The same images in any order give byte-identical files.
@Suite struct DeterminismTests {
    @Test(arguments: 1...20)
    func shuffledInputGivesIdenticalBytes(seed: UInt64) throws {
        let generator = ImageMirrorSetGenerator()
        let reference = try generator.mirrorSets(for: mixedImages).files()
        var random = SeededGenerator(state: seed)
        // Duplicates too: they must not change anything either.
        let shuffled = (mixedImages + mixedImages.prefix(Int(seed % 5))).shuffled(using: &random)
        let files = try generator.mirrorSets(for: shuffled).files()
        #expect(files.map(\.bytes) == reference.map(\.bytes))
    }

    @Test func repeatedRunsGiveIdenticalBytes() throws {
        let first = try ImageMirrorSetGenerator().mirrorSets(for: mixedImages).files()
        for _ in 0..<5 {
            #expect(try ImageMirrorSetGenerator().mirrorSets(for: mixedImages).files() == first)
        }
    }
}
