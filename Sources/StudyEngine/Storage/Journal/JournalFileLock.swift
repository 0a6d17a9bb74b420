import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lock file of a journal, taken and released exactly as Optuna's `JournalFileSymlinkLock` and
/// `JournalFileOpenLock` do, so that Python writers and ours exclude each other:
///
/// - acquire: create `<journal>.lock` (a symbolic link to the journal, or a file opened with `O_EXCL`); when it
///   exists, wait and retry;
/// - release: remove the lock (Optuna renames it to `<journal>.lock<uuid>.rename` and unlinks that, which
///   looks the same to everyone else; breaking an abandoned lock is done Optuna's way);
/// - stale locks: a waiter that sees the lock's modification time (through the link: the journal's) unchanged
///   for `gracePeriod` seconds releases the lock itself, as a lock whose holder died.
///
/// The symbolic link names the journal by its file name only, so that it resolves on every machine that mounts
/// the directory, whatever the mount point. Waiting polls sooner than Optuna's (which backs off to 1 s), as
/// our writes hold the lock for microseconds.
struct JournalFileLock: Sendable {
    let kind: JournalLockKind
    let lockPath: String
    /// What the symbolic link points to: the journal's file name.
    private let linkTarget: String
    /// Seconds without change after which a lock counts as abandoned; nil never breaks one.
    let gracePeriod: Double?

    private static let firstPause = 0.000_02
    private static let longestPause = 0.001

    init(journalPath: String, kind: JournalLockKind, gracePeriod: Double?) {
        self.kind = kind
        lockPath = journalPath + ".lock"
        linkTarget = (journalPath as NSString).lastPathComponent
        self.gracePeriod = gracePeriod
    }

    /// Blocks until this process holds the lock.
    func acquire() throws(StorageError) {
        var pause = Self.firstPause
        var watched: timespec?
        var unchangedSince = ContinuousClock.now
        while true {
            if try tryCreate() { return }
            if let gracePeriod {
                guard let mtime = lockModificationTime() else { continue }  // just released: retry at once
                if watched.map({ $0.tv_sec != mtime.tv_sec || $0.tv_nsec != mtime.tv_nsec }) ?? true {
                    watched = mtime
                    unchangedSince = .now
                } else if ContinuousClock.now - unchangedSince > .seconds(gracePeriod) {
                    FileHandle.standardError.write(Data("symstudy: the journal lock \(lockPath) has not changed for \(gracePeriod) s; releasing it as abandoned, as Optuna does\n".utf8))
                    _ = breakAbandoned()
                    watched = nil
                    unchangedSince = .now
                    pause = Self.firstPause
                    continue
                }
            }
            Thread.sleep(forTimeInterval: pause)
            pause = min(pause * 2, Self.longestPause)
        }
    }

    /// Releases the lock this process holds; false when it was not there (another process released it as
    /// abandoned). One `unlink`: to others it is the same as Optuna's rename and unlink, the lock vanishing at once.
    @discardableResult
    func release() -> Bool {
        unlink(lockPath) == 0
    }

    /// Releases a lock another process holds, as Optuna's waiters do: rename, then unlink, so that of several
    /// waiters breaking it at once exactly one succeeds. False when it was gone.
    private func breakAbandoned() -> Bool {
        let renamed = lockPath + UUID().uuidString.lowercased() + ".rename"
        guard rename(lockPath, renamed) == 0 else { return false }
        unlink(renamed)
        return true
    }

    /// Creates the lock file; false when it exists.
    private func tryCreate() throws(StorageError) -> Bool {
        switch kind {
        case .symlink:
            if symlink(linkTarget, lockPath) == 0 { return true }
        case .open:
            let descriptor = open(lockPath, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                close(descriptor)
                return true
            }
        }
        let code = errno
        if code == EEXIST { return false }
        if code == EINTR { return try tryCreate() }
        let hint = kind == .symlink && (code == EPERM || code == ENOTSUP || code == EOPNOTSUPP)
            ? " (this file system has no symbolic links: use the open lock)" : ""
        throw .backend("cannot create the journal lock \(lockPath): \(String(cString: strerror(code)))\(hint)")
    }

    /// The modification time Optuna's waiters watch: `os.stat` of the lock, which follows the symbolic link to
    /// the journal. A link that resolves nowhere is watched itself. Nil when the lock is gone.
    private func lockModificationTime() -> timespec? {
        var info = stat()
        guard stat(lockPath, &info) == 0 || lstat(lockPath, &info) == 0 else { return nil }
        #if os(Linux)
        return info.st_mtim
        #else
        return info.st_mtimespec
        #endif
    }
}
