package dev.statefort.core.lock;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Freeze;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.ProtectionRule;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.AccessStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The project's protection rules as every change of a state asks them: a state a rule protects
 * changes only through an identity the rule allows (an OIDC identity one of its trust policies
 * matched, or one of its tokens). A refusal names the rule and is audited as {@code
 * protection.denied} with the identity. Reads and plan locks never ask.
 */
public final class StateProtection {
    /** Prefix of the {@code ID} a client refused at LOCK is shown (Terraform before 1.15 prints only the ID). */
    public static final String ID_PREFIX = "protected: ";

    /** The {@code Operation} a client refused at LOCK is shown. */
    public static final String OPERATION = "protection";

    private final AccessStore access;
    private final AuditService audit;
    private final Clock clock;

    public StateProtection(AccessStore access, AuditService audit, Clock clock) {
        this.access = access;
        this.audit = audit;
        this.clock = clock;
    }

    /** The first rule (by number) that protects {@code key} and does not allow {@code actor}, if any. */
    public Optional<ProtectionRule> refusing(Principal actor, StateKey key) {
        return access.listProtectionRules(key.project()).stream()
                .filter(rule -> rule.protects(key.name()) && !allows(rule, actor))
                .findFirst();
    }

    /**
     * Refuses {@code change} of {@code key} by {@code actor} with 403 naming the rule (audited as
     * {@code protection.denied}) when a rule protects the state and does not allow the actor.
     *
     * @param change what was asked, as the audit records it ({@code write}, {@code delete}, ...)
     */
    public void requireAllowed(Principal actor, StateKey key, String change) {
        Optional<ProtectionRule> rule = refusing(actor, key);
        if (rule.isPresent()) {
            throw denied(actor, key, rule.get(), change);
        }
    }

    /** Audits the refusal and returns the 403 to throw. */
    AccessDeniedException denied(Principal actor, StateKey key, ProtectionRule rule, String change) {
        audit(actor, key, rule, change);
        return new AccessDeniedException(message(key, rule));
    }

    /**
     * What a client refused at LOCK is shown in a holder's place: {@code ID} and {@code Info} carry
     * the message; audited when {@code audited} (the first of a series of retries).
     */
    LockRecord refusalAtLock(Principal actor, StateKey key, ProtectionRule rule, boolean audited) {
        if (audited) {
            audit(actor, key, rule, "lock");
        }
        String message = message(key, rule);
        Instant now = clock.instant();
        String id = ID_PREFIX + message;
        LockInfo info = LockInfo.of(Freeze.shownLockInfo(id, OPERATION, message, "statefort", now), id, OPERATION);
        return new LockRecord(info, "statefort", now, now, null, LockRecord.Kind.PROTECTION);
    }

    /** "state prod-network is protected by rule 3: applies only from trust policy deploy-main". */
    public static String message(StateKey key, ProtectionRule rule) {
        return "state " + key.name() + " is protected by rule " + rule.number() + ": " + rule.allowedText();
    }

    private void audit(Principal actor, StateKey key, ProtectionRule rule, String change) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("rule", rule.number());
        detail.put("change", change);
        detail.put("identity", actor.name());
        audit.record(actor, AuditAction.PROTECTION_DENIED, key, detail);
    }

    private static boolean allows(ProtectionRule rule, Principal actor) {
        if (actor.trace() != null && actor.trace().trustPolicies().stream().anyMatch(rule.allow()::contains)) {
            return true;
        }
        String tokenId = actor.tokenId();
        return tokenId != null && rule.allowTokens().contains(tokenId);
    }
}
