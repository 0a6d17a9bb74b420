/// How writers of one journal file exclude each other: Optuna's two lock files, both `<journal>.lock` beside
/// the journal, so that Python Optuna's writers and ours take the same lock. Neither needs `flock` or `fcntl`
/// locks, which many network file systems do not honour.
public enum JournalLockKind: Sendable, Hashable {
    /// Optuna's `JournalFileSymlinkLock` (its default): the lock is a symbolic link to the journal, made by
    /// `symlink(2)`, which is atomic on every NFS version.
    case symlink
    /// Optuna's `JournalFileOpenLock`: the lock is a file made with `O_CREAT | O_EXCL` (NFSv3 and later; for file
    /// systems without symbolic links).
    case open
}
