package dev.statefort.core.audit;

/**
 * Every action the audit log records, with the name it is stored, shown and filtered by. The names
 * are part of the product's interface (the audit API, the UI's filter, log lines): never rename one.
 */
public enum AuditAction {
    LOGIN("login"),
    LOGOUT("logout"),
    PROJECT_CREATE("project.create"),
    PROJECT_SETTINGS("project.settings"),
    STORAGE_MOVE_START("storage.move.start"),
    STORAGE_MOVE_FINISH("storage.move.finish"),
    USER_CREATE("user.create"),
    USER_DELETE("user.delete"),
    USER_PASSWORD("user.password"),
    MEMBER_PUT("member.put"),
    MEMBER_REMOVE("member.remove"),
    TOKEN_CREATE("token.create"),
    TOKEN_REVOKE("token.revoke"),
    ALIAS_CREATE("alias.create"),
    ALIAS_REVOKE("alias.revoke"),
    ALIAS_ROTATE("alias.rotate"),
    TRUST_POLICY_CREATE("trust.policy.create"),
    TRUST_POLICY_DELETE("trust.policy.delete"),
    PROTECTION_RULE_CREATE("protection.rule.create"),
    PROTECTION_RULE_DELETE("protection.rule.delete"),
    PROTECTION_DENIED("protection.denied"),
    FREEZE_SET("freeze.set"),
    FREEZE_LIFT("freeze.lift"),
    STATE_WRITE("state.write"),
    STATE_WRITE_REFUSED("state.write.refused"),
    STATE_WRITE_FLAGGED("state.write.flagged"),
    STATE_WRITE_PERMITTED("state.write.permitted"),
    STATE_CREATE("state.create"),
    STATE_WORKSPACE("state.workspace"),
    STATE_DELETE("state.delete"),
    STATE_IMPORT("state.import"),
    STATE_SURGERY("state.surgery"),
    STATE_OUTPUTS_ACCESS("state.outputs-access"),
    STATE_PERMIT_DESTRUCTIVE("state.permit-destructive"),
    STATE_PERMIT_REVOKED("state.permit-revoked"),
    LOCK_ACQUIRE("lock.acquire"),
    LOCK_RELEASE("lock.release"),
    LOCK_FORCE_UNLOCK("lock.force-unlock"),
    LOCK_EXPIRED("lock.expired"),
    LOCK_STALE("lock.stale"),
    VERSION_RESTORE("version.restore"),
    VERSION_DELETE("version.delete"),
    SESSION_REVERT("session.revert"),
    QUARANTINE_PROMOTE("quarantine.promote"),
    QUARANTINE_DISCARD("quarantine.discard"),
    QUARANTINE_DROP("quarantine.drop"),
    WEBHOOK_CREATE("webhook.create"),
    WEBHOOK_DELETE("webhook.delete"),
    WEBHOOK_ROTATE_SECRET("webhook.rotate-secret"),
    WEBHOOK_PING("webhook.ping"),
    WEBHOOK_REDELIVER("webhook.redeliver"),
    WEBHOOK_DISABLED("webhook.disabled");

    private final String wireName;

    AuditAction(String wireName) {
        this.wireName = wireName;
    }

    /** The stored name, e.g. {@code state.write}. */
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
