import ArgumentParser
import Copying

/// `--parallel-images` and `--parallel-layers`, shared by `mirror` and `copy`.
struct ParallelismOptions: ParsableArguments {
    @Option(name: .customLong("parallel-images"), help: "Images copied at the same time.")
    var parallelImages: Int = CopySettings().parallelImages

    @Option(name: .customLong("parallel-layers"), help: "Blob transfers at the same time within one image.")
    var parallelLayers: Int = CopySettings().parallelLayers

    func validate() throws {
        guard (1...64).contains(parallelImages) else { throw ValidationError("--parallel-images must be between 1 and 64") }
        guard (1...64).contains(parallelLayers) else { throw ValidationError("--parallel-layers must be between 1 and 64") }
    }
}
