/// Image sets the lab seeds into an upstream registry.
public enum LabDataset {
    /// A small upstream for the demo and the tests (a few MiB): single images sharing base
    /// layers, an OCI index and a Docker manifest list, and two tags of one repository.
    public static let demo: [SeedImage] = {
        let os = SeedImage.Layer.shared("base-os", size: 2 << 20)
        let runtime = SeedImage.Layer.shared("base-runtime", size: 1 << 20)
        return [
            SeedImage(repository: "ubi9/ubi-minimal", tag: "9.4", layers: [os, .unique(size: 512 << 10)]),
            SeedImage(repository: "shop/frontend", tag: "1.0", layers: [os, runtime, .unique(size: 300 << 10), .unique(size: 100 << 10)]),
            SeedImage(repository: "shop/backend", tag: "1.0", layers: [os, runtime, .unique(size: 800 << 10)], format: .docker),
            SeedImage(repository: "shop/worker", tag: "1.0", layers: [os, runtime, .shared("worker-deps", size: 600 << 10), .unique(size: 50 << 10)]),
            SeedImage(repository: "shop/worker", tag: "1.1", layers: [os, runtime, .shared("worker-deps", size: 600 << 10), .unique(size: 60 << 10)]),
            SeedImage(repository: "tools/multiarch", tag: "2.1", layers: [.shared("tools-base", size: 700 << 10), .unique(size: 200 << 10)],
                      platforms: ["linux/amd64", "linux/arm64/v8"]),
            SeedImage(repository: "openshift/agent", tag: "3.0", layers: [.shared("agent-base", size: 400 << 10), .unique(size: 150 << 10)],
                      platforms: ["linux/amd64", "linux/arm64", "linux/ppc64le"], format: .docker),
        ]
    }()

    /// The benchmark upstream: 63 images, about 1.4 GiB. 56 small images of many small layers
    /// over three shared bases, 4 multi-arch indexes (3 platforms each), and 3 images with one
    /// large layer each (200, 350 and 500 MiB).
    public static let bench: [SeedImage] = {
        let bases = [SeedImage.Layer.shared("bench-base-a", size: 30 << 20),
                     .shared("bench-base-b", size: 20 << 20),
                     .shared("bench-base-c", size: 10 << 20)]
        var images: [SeedImage] = []
        for i in 0..<56 {
            // 4 to 8 unique layers of 64 KiB to 2 MiB, deterministic per image.
            let count = 4 + i % 5
            let layers = (0..<count).map { j in SeedImage.Layer.unique(size: (64 << 10) << ((i + j) % 6)) }
            images.append(SeedImage(repository: "bench/app-\(i / 8)/svc-\(i)", tag: "v1", layers: [bases[i % 3]] + layers,
                                    format: i % 4 == 0 ? .docker : .oci))
        }
        for i in 0..<4 {
            images.append(SeedImage(repository: "bench/multi/tool-\(i)", tag: "v2",
                                    layers: [.shared("bench-multi-base", size: 5 << 20), .unique(size: (1 << 20) * (i + 1))],
                                    platforms: ["linux/amd64", "linux/arm64", "linux/s390x"], format: i % 2 == 0 ? .oci : .docker))
        }
        for (i, size) in [200, 350, 500].enumerated() {
            images.append(SeedImage(repository: "bench/large/model-\(i)", tag: "v1", layers: [bases[0], .unique(size: size << 20)]))
        }
        return images
    }()

    /// One image with a single 1 GiB layer: the memory benchmark (peak RSS while it moves).
    public static let oneGiBLayer: [SeedImage] = [
        SeedImage(repository: "bench/huge/blob", tag: "v1", layers: [.unique(size: 1 << 30)]),
    ]
}
