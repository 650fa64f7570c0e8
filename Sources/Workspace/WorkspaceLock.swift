import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a workspace (`working-dir/.lock`, flock), so two runs never write the
/// same files at once. The kernel drops it when the process ends, whatever the way.
public final class WorkspaceLock: Sendable {
    private let descriptor: Int32

    public init(_ workspace: Workspace) throws(WorkspaceError) {
        let path = workspace.url(".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WorkspaceError("cannot open \(path): \(String(cString: strerror(errno)))",
                                 hint: "check the workspace permissions")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw WorkspaceError("another Ferry run is using the workspace \(workspace.root.path)",
                                 hint: "wait for it to finish, or give this run its own --workspace")
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
