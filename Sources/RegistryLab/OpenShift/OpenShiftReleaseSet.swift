/// What the synthetic OpenShift upstream holds: releases, channels, update edges and risks.
///
/// A value, so tests can reason about what the update service should answer (which versions a
/// channel has, which edges exist) without asking it. `standard` is the set `OpenShiftUpstream`
/// seeds by default.
public struct OpenShiftReleaseSet: Sendable {
    /// One release version and what its payloads are made of.
    public struct Release: Sendable, Hashable {
        /// `4.18.2`.
        public var version: String
        /// The single-architecture payloads (`amd64`, `arm64`); with more than one, a `multi` index is pushed too.
        public var architectures: [OpenShiftArchitecture]
        /// Component name (an `image-references` tag) → revision. Two releases naming the same
        /// revision of a component get byte-identical component images, as unchanged components
        /// do across real z-streams.
        public var components: [String: String]
        /// The RHCOS build in `0000_50_installer_coreos-bootimages.yaml`; releases sharing it share the KubeVirt images.
        public var coreOSBuild: String
        /// The errata URL (`metadata.url` in `release-metadata` and in the graph node).
        public var errataURL: String

        public init(version: String, architectures: [OpenShiftArchitecture], components: [String: String],
                    coreOSBuild: String, errataURL: String) {
            self.version = version
            self.architectures = architectures
            self.components = components
            self.coreOSBuild = coreOSBuild
            self.errataURL = errataURL
        }

        /// `4.18` from `4.18.2`.
        public var minor: String { version.split(separator: ".").prefix(2).joined(separator: ".") }
    }

    /// An update channel and the versions in it.
    public struct Channel: Sendable, Hashable {
        public var name: String
        public var versions: [String]

        public init(name: String, versions: [String]) {
            self.name = name
            self.versions = versions
        }
    }

    /// An update from one version to another.
    public struct Update: Sendable, Hashable, CustomStringConvertible {
        public var from: String
        public var to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }

        public var description: String { "\(from) -> \(to)" }
    }

    /// A known issue that makes an update conditional (a Cincinnati `risks[]` entry).
    public struct Risk: Sendable, Hashable {
        public var name: String
        public var message: String
        public var url: String
        /// The PromQL expression of the single `matchingRules` entry.
        public var promQL: String

        public init(name: String, message: String, url: String, promQL: String) {
            self.name = name
            self.message = message
            self.url = url
            self.promQL = promQL
        }
    }

    /// Updates that are recommended only where none of `risks` applies (`conditionalEdges[]`).
    public struct ConditionalUpdate: Sendable, Hashable {
        public var updates: [Update]
        public var risks: [Risk]

        public init(updates: [Update], risks: [Risk]) {
            self.updates = updates
            self.risks = risks
        }
    }

    /// The releases, in ascending version order.
    public var releases: [Release]
    public var channels: [Channel]
    /// Unconditional updates (`edges`).
    public var updates: [Update]
    public var conditionalUpdates: [ConditionalUpdate]
    /// An amd64 payload (tag `<version>-x86_64`, in no channel) with no `image-references` in any
    /// layer, made from the newest amd64 release of its minor.
    public var brokenVersion: String
    /// An amd64 payload (tag `<version>-x86_64`, in no channel) whose lower layer holds a valid
    /// `image-references` that its top layer deletes with a whiteout: a reader that ignores
    /// whiteouts finds components where there are none.
    public var whitedOutVersion: String
    /// Minors whose releases have cosign signatures (`sha256-<hex>.sig`) beside their payloads;
    /// releases of older minors predate sigstore signing and have none. GPG signatures are
    /// served for every release whatever this says.
    public var sigstoreSignedMinors: [String]
    /// Releases of a signed minor deliberately left without a cosign signature (the payloads and
    /// their components alike).
    public var sigstoreUnsignedVersions: [String]
    /// Components whose image, for each architecture of every cosign-signed release, is signed too.
    public var sigstoreSignedComponents: [String]
    /// The component whose amd64 image in the first cosign-signed release carries an SBOM and an
    /// in-toto attestation as OCI referrers, and a cosign attestation (`.att`).
    public var referrerComponent: String?

    /// With the signing parameters left at their defaults, nothing gets a cosign signature or referrer.
    public init(releases: [Release], channels: [Channel], updates: [Update], conditionalUpdates: [ConditionalUpdate],
                brokenVersion: String, whitedOutVersion: String, sigstoreSignedMinors: [String] = [],
                sigstoreUnsignedVersions: [String] = [], sigstoreSignedComponents: [String] = [], referrerComponent: String? = nil) {
        self.releases = releases
        self.channels = channels
        self.updates = updates
        self.conditionalUpdates = conditionalUpdates
        self.brokenVersion = brokenVersion
        self.whitedOutVersion = whitedOutVersion
        self.sigstoreSignedMinors = sigstoreSignedMinors
        self.sigstoreUnsignedVersions = sigstoreUnsignedVersions
        self.sigstoreSignedComponents = sigstoreSignedComponents
        self.referrerComponent = referrerComponent
    }

    /// Whether the payloads of `version` (a release of the set; never the broken payloads) have
    /// cosign signatures.
    public func isSigstoreSigned(_ version: String) -> Bool {
        guard let release = release(version) else { return false }
        return sigstoreSignedMinors.contains(release.minor) && !sigstoreUnsignedVersions.contains(version)
    }

    /// The release with this version.
    public func release(_ version: String) -> Release? {
        releases.first { $0.version == version }
    }

    /// The names of the channels that list `version`, in the order of `channels`.
    public func channels(containing version: String) -> [String] {
        channels.filter { $0.versions.contains(version) }.map(\.name)
    }

    /// The versions that can update to `version`, conditionally or not (`previous` in `release-metadata`).
    public func previous(of version: String) -> [String] {
        let sources = updates.filter { $0.to == version }.map(\.from)
            + conditionalUpdates.flatMap(\.updates).filter { $0.to == version }.map(\.from)
        return releases.map(\.version).filter { sources.contains($0) }
    }

    /// Every component name used by some release, sorted.
    public var componentNames: [String] {
        Set(releases.flatMap(\.components.keys)).sorted()
    }
}
