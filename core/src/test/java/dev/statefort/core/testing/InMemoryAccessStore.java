package dev.statefort.core.testing;

import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.DeletedUser;
import dev.statefort.core.model.MembershipRecord;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.ProtectionRule;
import dev.statefort.core.model.SessionRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.core.model.UploadGrant;
import dev.statefort.core.model.UserRecord;
import dev.statefort.core.spi.AccessStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/** {@link AccessStore} in memory, for unit tests; the access part of {@link InMemoryMetadataStore}. */
final class InMemoryAccessStore implements AccessStore {
    private final Predicate<String> projectExists;
    private final Predicate<StateKey> stateExists;
    /** Revokes the tokens of a user ID and their descendants at a time; returns how many. */
    private final java.util.function.BiFunction<String, Instant, Integer> revokeTokensOfUser;

    private final Map<String, UserRecord> users = new TreeMap<>();
    private final Map<String, Map<String, MembershipRecord>> membersByProject = new TreeMap<>();
    private final Map<String, AliasRecord> aliases = new HashMap<>();
    private final Map<String, TrustPolicy> trustPolicies = new HashMap<>();
    private final Map<String, SessionRecord> sessions = new HashMap<>();
    private final Map<String, UploadGrant> uploadGrants = new HashMap<>();
    /** key: {count, window end in epoch millis} */
    private final Map<String, long[]> authFailures = new HashMap<>();

    InMemoryAccessStore(
            Predicate<String> projectExists,
            Predicate<StateKey> stateExists,
            java.util.function.BiFunction<String, Instant, Integer> revokeTokensOfUser) {
        this.projectExists = projectExists;
        this.stateExists = stateExists;
        this.revokeTokensOfUser = revokeTokensOfUser;
    }

    // ---- upload grants --------------------------------------------------------------------

    @Override
    public synchronized void createUploadGrant(UploadGrant grant) {
        if (!stateExists.test(grant.key())) {
            throw new dev.statefort.core.NotFoundException("state " + grant.key() + " does not exist");
        }
        if (uploadGrants.containsKey(grant.idHash())) {
            throw new IllegalArgumentException("an upload grant with this ID already exists");
        }
        uploadGrants.put(
                grant.idHash(),
                new UploadGrant(
                        grant.idHash(),
                        grant.key(),
                        grant.kind(),
                        grant.serial(),
                        grant.lineage(),
                        grant.md5(),
                        grant.lockId(),
                        grant.principal(),
                        grant.trustPolicies(),
                        millis(grant.createdAt()),
                        millis(grant.expiresAt()),
                        null));
    }

    @Override
    public synchronized Optional<UploadGrant> redeemUploadGrant(String idHash, Instant now) {
        UploadGrant grant = uploadGrants.get(idHash);
        if (grant == null || grant.usedAt() != null || !grant.expiresAt().isAfter(now)) {
            return Optional.empty();
        }
        UploadGrant used = grant.usedAt(millis(now));
        uploadGrants.put(idHash, used);
        return Optional.of(used);
    }

    @Override
    public synchronized boolean releaseUploadGrant(String idHash, Instant usedAt) {
        UploadGrant grant = uploadGrants.get(idHash);
        if (grant == null || grant.usedAt() == null || !grant.usedAt().equals(millis(usedAt))) {
            return false;
        }
        uploadGrants.put(idHash, grant.usedAt(null));
        return true;
    }

    /** Deletes the grants of a state being deleted. */
    synchronized void forgetUploadGrants(StateKey key) {
        uploadGrants.values().removeIf(g -> g.key().equals(key));
    }

    @Override
    public synchronized int deleteExpiredUploadGrants(Instant before) {
        int before0 = uploadGrants.size();
        uploadGrants.values().removeIf(g -> g.expiresAt().isBefore(before));
        return before0 - uploadGrants.size();
    }

    // ---- users ----------------------------------------------------------------------------

    @Override
    public synchronized boolean createUser(UserRecord user) {
        if (users.containsKey(user.name()) || users.values().stream().anyMatch(u -> u.id().equals(user.id()))) {
            return false;
        }
        users.put(
                user.name(),
                new UserRecord(
                        user.id(),
                        user.name(),
                        user.passwordHash(),
                        user.globalAdmin(),
                        user.mustChangePassword(),
                        millis(user.createdAt()),
                        millisOrNull(user.passwordChangedAt())));
        return true;
    }

    @Override
    public synchronized Optional<UserRecord> findUser(String name) {
        return Optional.ofNullable(users.get(name));
    }

    @Override
    public synchronized List<UserRecord> listUsers() {
        return List.copyOf(users.values());
    }

    @Override
    public synchronized boolean setPassword(String user, String passwordHash, boolean mustChangePassword, Instant now) {
        UserRecord u = users.get(user);
        if (u == null) {
            return false;
        }
        users.put(
                user,
                new UserRecord(
                        u.id(),
                        u.name(),
                        passwordHash,
                        u.globalAdmin(),
                        mustChangePassword,
                        u.createdAt(),
                        millis(now)));
        return true;
    }

    @Override
    public synchronized boolean setGlobalAdmin(String user, boolean globalAdmin) {
        UserRecord u = users.get(user);
        if (u == null) {
            return false;
        }
        users.put(
                user,
                new UserRecord(
                        u.id(),
                        u.name(),
                        u.passwordHash(),
                        globalAdmin,
                        u.mustChangePassword(),
                        u.createdAt(),
                        u.passwordChangedAt()));
        return true;
    }

    @Override
    public synchronized Optional<DeletedUser> deleteUser(String name, Instant now) {
        UserRecord removed = users.remove(name);
        if (removed == null) {
            return Optional.empty();
        }
        membersByProject.values().forEach(members -> members.remove(name));
        int sessionsEnded = deleteSessionsOf(name);
        int tokensRevoked = revokeTokensOfUser.apply(removed.id(), now);
        return Optional.of(new DeletedUser(removed.id(), tokensRevoked, sessionsEnded));
    }

    // ---- memberships ----------------------------------------------------------------------

    @Override
    public synchronized boolean putMember(MembershipRecord m) {
        if (!projectExists.test(m.project())) {
            throw new ProjectNotFoundException(m.project());
        }
        if (!users.containsKey(m.user())) {
            return false;
        }
        membersByProject
                .computeIfAbsent(m.project(), p -> new TreeMap<>())
                .put(m.user(), new MembershipRecord(m.project(), m.user(), m.role(), millis(m.since())));
        return true;
    }

    @Override
    public synchronized boolean removeMember(String project, String user) {
        Map<String, MembershipRecord> members = membersByProject.get(project);
        return members != null && members.remove(user) != null;
    }

    @Override
    public synchronized List<MembershipRecord> listMembers(String project) {
        return List.copyOf(membersByProject.getOrDefault(project, Map.of()).values());
    }

    @Override
    public synchronized List<MembershipRecord> listMemberships(String user) {
        return membersByProject.values().stream()
                .map(members -> members.get(user))
                .filter(Objects::nonNull)
                .toList();
    }

    // ---- trust policies -------------------------------------------------------------------

    @Override
    public synchronized boolean createTrustPolicy(TrustPolicy policy) {
        if (!projectExists.test(policy.project())) {
            throw new ProjectNotFoundException(policy.project());
        }
        if (trustPolicies.containsKey(policy.id())) {
            throw new IllegalArgumentException("a trust policy with this ID already exists");
        }
        if (trustPolicies.values().stream()
                .anyMatch(p -> p.project().equals(policy.project()) && p.name().equals(policy.name()))) {
            return false;
        }
        trustPolicies.put(
                policy.id(),
                new TrustPolicy(
                        policy.id(),
                        policy.project(),
                        policy.name(),
                        policy.issuer(),
                        policy.claims(),
                        policy.permission(),
                        policy.states(),
                        policy.createdBy(),
                        millis(policy.createdAt())));
        return true;
    }

    @Override
    public synchronized Optional<TrustPolicy> findTrustPolicy(String project, String id) {
        return Optional.ofNullable(trustPolicies.get(id))
                .filter(p -> p.project().equals(project));
    }

    @Override
    public synchronized List<TrustPolicy> listTrustPolicies(String project) {
        return trustPolicies.values().stream()
                .filter(p -> p.project().equals(project))
                .sorted(java.util.Comparator.comparing(TrustPolicy::name))
                .toList();
    }

    @Override
    public synchronized boolean deleteTrustPolicy(String project, String id) {
        return findTrustPolicy(project, id)
                .map(p -> trustPolicies.remove(id) != null)
                .orElse(false);
    }

    // ---- protection rules ------------------------------------------------------------------

    private final Map<String, ProtectionRule> protectionRules = new HashMap<>();

    @Override
    public synchronized ProtectionRule createProtectionRule(ProtectionRule draft) {
        if (!projectExists.test(draft.project())) {
            throw new ProjectNotFoundException(draft.project());
        }
        if (protectionRules.containsKey(draft.id())) {
            throw new IllegalArgumentException("a protection rule with this ID already exists");
        }
        int number = listProtectionRules(draft.project()).stream()
                        .mapToInt(ProtectionRule::number)
                        .max()
                        .orElse(0)
                + 1;
        ProtectionRule rule = new ProtectionRule(
                        draft.id(),
                        draft.project(),
                        number,
                        draft.states(),
                        draft.allow(),
                        draft.allowTokens(),
                        draft.createdBy(),
                        draft.createdAt())
                .withMillis();
        protectionRules.put(rule.id(), rule);
        return rule;
    }

    @Override
    public synchronized List<ProtectionRule> listProtectionRules(String project) {
        return protectionRules.values().stream()
                .filter(r -> r.project().equals(project))
                .sorted(java.util.Comparator.comparingInt(ProtectionRule::number))
                .toList();
    }

    @Override
    public synchronized boolean deleteProtectionRule(String project, String id) {
        ProtectionRule rule = protectionRules.get(id);
        return rule != null && rule.project().equals(project) && protectionRules.remove(id) != null;
    }

    // ---- aliases --------------------------------------------------------------------------

    @Override
    public synchronized void createAlias(AliasRecord a) {
        if (!projectExists.test(a.state().project())) {
            throw new ProjectNotFoundException(a.state().project());
        }
        if (aliases.containsKey(a.id())) {
            throw new IllegalArgumentException("an alias with this ID already exists");
        }
        aliases.put(
                a.id(),
                new AliasRecord(
                        a.id(),
                        a.state(),
                        a.username(),
                        a.permission(),
                        a.secretHash(),
                        a.createdBy(),
                        millis(a.createdAt()),
                        millisOrNull(a.revokedAt()),
                        a.maker(),
                        millisOrNull(a.expiresAt())));
    }

    @Override
    public synchronized Optional<AliasRecord> findAlias(String id) {
        return Optional.ofNullable(aliases.get(id));
    }

    @Override
    public synchronized List<AliasRecord> listAliases(String project) {
        return aliases.values().stream()
                .filter(a -> a.state().project().equals(project))
                .sorted(Comparator.comparing(AliasRecord::createdAt).thenComparing(AliasRecord::id))
                .toList();
    }

    @Override
    public synchronized boolean revokeAlias(String id, Instant now) {
        AliasRecord a = aliases.get(id);
        if (a == null || a.isRevoked()) {
            return false;
        }
        aliases.put(id, with(a, a.secretHash(), millis(now)));
        return true;
    }

    @Override
    public synchronized boolean replaceAliasSecret(String id, String secretHash) {
        AliasRecord a = aliases.get(id);
        if (a == null || a.isRevoked()) {
            return false;
        }
        aliases.put(id, with(a, secretHash, null));
        return true;
    }

    private static AliasRecord with(AliasRecord a, String secretHash, Instant revokedAt) {
        return a.with(secretHash, revokedAt);
    }

    // ---- sessions -------------------------------------------------------------------------

    @Override
    public synchronized void createSession(SessionRecord s) {
        if (sessions.containsKey(s.idHash())) {
            throw new IllegalArgumentException("a session with this ID already exists");
        }
        if (!users.containsKey(s.user())) {
            throw new IllegalArgumentException("no such user");
        }
        sessions.put(
                s.idHash(),
                new SessionRecord(s.idHash(), s.user(), s.csrfToken(), millis(s.createdAt()), millis(s.lastSeenAt())));
    }

    @Override
    public synchronized Optional<SessionRecord> findSession(String idHash) {
        return Optional.ofNullable(sessions.get(idHash));
    }

    @Override
    public synchronized boolean touchSession(String idHash, Instant now) {
        SessionRecord s = sessions.get(idHash);
        if (s == null) {
            return false;
        }
        sessions.put(idHash, new SessionRecord(s.idHash(), s.user(), s.csrfToken(), s.createdAt(), millis(now)));
        return true;
    }

    @Override
    public synchronized boolean deleteSession(String idHash) {
        return sessions.remove(idHash) != null;
    }

    @Override
    public synchronized int deleteSessionsOf(String user) {
        int before = sessions.size();
        sessions.values().removeIf(s -> s.user().equals(user));
        return before - sessions.size();
    }

    @Override
    public synchronized int deleteExpiredSessions(Instant idleBefore, Instant createdBefore) {
        int before = sessions.size();
        sessions.values()
                .removeIf(s ->
                        s.lastSeenAt().isBefore(idleBefore) || s.createdAt().isBefore(createdBefore));
        return before - sessions.size();
    }

    private static Instant millis(Instant t) {
        return Objects.requireNonNull(t, "time").truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant millisOrNull(Instant t) {
        return t == null ? null : millis(t);
    }

    @Override
    public synchronized dev.statefort.core.spi.AuthFailureCount countAuthFailure(
            String key, Instant now, java.time.Duration window, int renewUpTo) {
        long nowMillis = now.toEpochMilli();
        long until = now.plus(window).toEpochMilli();
        long[] entry = authFailures.get(key);
        if (entry == null || entry[1] <= nowMillis) {
            entry = new long[] {1, until};
        } else {
            entry = new long[] {entry[0] + 1, entry[0] + 1 <= renewUpTo ? until : entry[1]};
        }
        authFailures.put(key, entry);
        return new dev.statefort.core.spi.AuthFailureCount((int) entry[0], Instant.ofEpochMilli(entry[1]));
    }

    @Override
    public synchronized void forgiveAuthFailure(String key) {
        long[] entry = authFailures.get(key);
        if (entry != null && entry[0] > 0) {
            entry[0]--;
        }
    }
}
