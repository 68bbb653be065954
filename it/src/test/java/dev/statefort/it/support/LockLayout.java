package dev.statefort.it.support;

/** Where the lock lives and which methods take and release it (protocol page, section 2.1). */
public enum LockLayout {
    /** {@code LOCK}/{@code UNLOCK} on the state URL itself (Terraform's default when lock_address = address). */
    STATE_URL("LOCK", "UNLOCK", ""),
    /** {@code LOCK}/{@code UNLOCK} on {@code <state URL>/lock}. */
    LOCK_URL("LOCK", "UNLOCK", "/lock"),
    /** GitLab-style: {@code POST}/{@code DELETE} on {@code <state URL>/lock}. */
    LOCK_URL_POST_DELETE("POST", "DELETE", "/lock");

    public final String lockMethod;
    public final String unlockMethod;
    public final String suffix;

    LockLayout(String lockMethod, String unlockMethod, String suffix) {
        this.lockMethod = lockMethod;
        this.unlockMethod = unlockMethod;
        this.suffix = suffix;
    }

    public String lockPath(String statePath) {
        return statePath + suffix;
    }
}
