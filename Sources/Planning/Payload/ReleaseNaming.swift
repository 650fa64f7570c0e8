import OCI

/// Where release images land (spec §4.8): the payload at `openshift/release-images:<releaseTag>`,
/// each component at `openshift/release:<releaseTag>-<component>`, under the destination root.
public enum ReleaseNaming {
    /// The tag part of a payload's name: its own tag when it has one (`4.18.1-x86_64`), else
    /// `<version>-<architecture suffix>` as Red Hat tags payloads, else the digest's hex.
    public static func releaseTag(payload: ImageReference, version: String?, architecture: String?) -> String {
        if let tag = payload.tag { return tag }
        if let version, let architecture { return "\(version)-\(suffix(architecture))" }
        return payload.digest?.encoded ?? "latest"
    }

    /// amd64 → x86_64, arm64 → aarch64; others as they are (`ppc64le`, `s390x`, `multi`).
    public static func suffix(_ architecture: String) -> String {
        switch architecture {
        case "amd64": "x86_64"
        case "arm64": "aarch64"
        default: architecture
        }
    }

    public static func payloadDestination(releaseTag: String, naming: DestinationNaming) throws(OCIError) -> ImageReference {
        try naming.destination(path: "openshift/release-images", tag: releaseTag)
    }

    public static func componentDestination(releaseTag: String, component: String,
                                            naming: DestinationNaming) throws(OCIError) -> ImageReference {
        var tag = "\(releaseTag)-\(component)"
        // A tag has at most 128 characters; oc-mirror truncates to 127 the same way.
        if tag.count > 128 { tag = String(tag.prefix(127)) }
        return try naming.destination(path: "openshift/release", tag: tag)
    }
}
