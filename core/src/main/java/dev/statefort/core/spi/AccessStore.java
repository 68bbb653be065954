package dev.statefort.core.spi;

import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.DeletedUser;
import dev.statefort.core.model.MembershipRecord;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.ProtectionRule;
import dev.statefort.core.model.SessionRecord;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.core.model.UploadGrant;
import dev.statefort.core.model.UserRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Users, project memberships, state aliases and UI login sessions: who may log in and act. Reached
 * through {@link MetadataStore#access()}, on the same database. This Javadoc is the whole contract;
 * every implementation passes the {@code Users} and {@code AliasesAndSessions} groups of {@code
 * MetadataStoreContract} in store-tck.
 *
 * <p>The general rules of {@link MetadataStore} apply: each change is one atomic conditional write,
 * "not found" is an empty Optional or a {@code false}, infrastructure failure is a {@link
 * StoreUnavailableException}, times are kept at millisecond precision. Hashes and CSRF tokens are
 * stored as given and never put into an exception message.
 */
public interface AccessStore {

    // ---- users ----------------------------------------------------------------------------

    /** Stores a new user; false (nothing changed) if a user of that name, or of that ID, exists. */
    boolean createUser(UserRecord user);

    Optional<UserRecord> findUser(String name);

    /** All users, by name. */
    List<UserRecord> listUsers();

    /**
     * Replaces the user's password hash and {@code mustChangePassword} flag and sets {@code
     * passwordChangedAt} to {@code now}; false if there is no such user.
     */
    boolean setPassword(String user, String passwordHash, boolean mustChangePassword, Instant now);

    /** Grants or takes the global admin role; false if there is no such user. */
    boolean setGlobalAdmin(String user, boolean globalAdmin);

    /**
     * Deletes the user with their memberships and sessions and, in the same transaction, revokes
     * (at {@code now}) every still valid token owned by the user's ID and every descendant of those
     * tokens ({@link MetadataStore#revokeToken}); empty if there is no such user.
     */
    Optional<DeletedUser> deleteUser(String name, Instant now);

    // ---- memberships ----------------------------------------------------------------------

    /**
     * Gives the user the role in the project, replacing any role they had (the stored {@code since}
     * is then the new one). False if there is no such user; {@link ProjectNotFoundException} if
     * there is no such project.
     */
    boolean putMember(MembershipRecord membership);

    /** Takes the user's role in the project away; false if they had none. */
    boolean removeMember(String project, String user);

    /** The members of a project, by user name; empty when the project does not exist. */
    List<MembershipRecord> listMembers(String project);

    /** The projects a user is a member of, by project name. */
    List<MembershipRecord> listMemberships(String user);

    // ---- aliases --------------------------------------------------------------------------

    /**
     * Stores a new alias; its ID is unique (an existing ID is an IllegalArgumentException). {@link
     * ProjectNotFoundException} if the alias's project does not exist. The state need not exist yet.
     */
    void createAlias(AliasRecord alias);

    Optional<AliasRecord> findAlias(String id);

    /** The aliases of a project (revoked ones included), by creation time then ID. */
    List<AliasRecord> listAliases(String project);

    /** Marks the alias revoked at {@code now}; false if there is no such alias or it is revoked already. */
    boolean revokeAlias(String id, Instant now);

    /** Replaces the alias's secret hash; false if there is no such alias or it is revoked. */
    boolean replaceAliasSecret(String id, String secretHash);

    // ---- trust policies (OIDC ID tokens of CI jobs) ----------------------------------------

    /**
     * Stores a new trust policy; false (nothing stored) if its project has one of the same name. Its
     * ID is unique (an existing ID is an IllegalArgumentException); {@link ProjectNotFoundException}
     * if its project does not exist. Deleting the project deletes its policies.
     */
    boolean createTrustPolicy(TrustPolicy policy);

    /** The policy {@code id} of {@code project}; empty if the project has none of that ID. */
    Optional<TrustPolicy> findTrustPolicy(String project, String id);

    /** The policies of a project, by name; empty when the project does not exist. */
    List<TrustPolicy> listTrustPolicies(String project);

    /** Deletes the policy {@code id} of {@code project}; false if it has none of that ID. */
    boolean deleteTrustPolicy(String project, String id);

    // ---- protection rules ------------------------------------------------------------------

    /**
     * Stores a new protection rule with the next number of its project (one more than the highest
     * of its rules, or 1), ignoring {@code draft.number()}; returns the rule as stored. Its ID is
     * unique (an existing ID is an IllegalArgumentException); {@link ProjectNotFoundException} if its
     * project does not exist.
     */
    ProtectionRule createProtectionRule(ProtectionRule draft);

    /** The rules of a project, by number; empty when the project does not exist. */
    List<ProtectionRule> listProtectionRules(String project);

    /** Deletes the rule {@code id} of {@code project}; false if it has none of that ID. */
    boolean deleteProtectionRule(String project, String id);

    // ---- upload grants (a TFE client's upload URLs) ------------------------------------------

    /**
     * Stores a new grant; an existing {@code idHash} is an IllegalArgumentException, a state that
     * does not exist a {@link dev.statefort.core.NotFoundException}. The grant goes with its state.
     */
    void createUploadGrant(UploadGrant grant);

    /**
     * Redeems the grant once: marks it used at {@code now} and returns it, in one conditional write,
     * when it exists, is unused and expires after {@code now}; otherwise empty and nothing changes.
     * Two nodes redeeming the same grant at once: exactly one gets it.
     */
    Optional<UploadGrant> redeemUploadGrant(String idHash, Instant now);

    /**
     * Makes a grant redeemed at {@code usedAt} usable again (its upload failed on the server's side
     * before anything was written, so the client's retry may use it); false if it was not so.
     */
    boolean releaseUploadGrant(String idHash, Instant usedAt);

    /** Deletes grants that expired before {@code before}, used or not; returns how many. */
    int deleteExpiredUploadGrants(Instant before);

    // ---- sessions -------------------------------------------------------------------------

    /**
     * Stores a new session; an existing {@code idHash}, or a {@code user} that does not exist, is an
     * IllegalArgumentException.
     */
    void createSession(SessionRecord session);

    Optional<SessionRecord> findSession(String idHash);

    /** Sets the session's {@code lastSeenAt} to {@code now}; false if there is no such session. */
    boolean touchSession(String idHash, Instant now);

    /** Ends one session; false if there was none. */
    boolean deleteSession(String idHash);

    /** Ends every session of the user (e.g. after a password change); returns how many. */
    int deleteSessionsOf(String user);

    /** Deletes sessions last seen before {@code idleBefore} or created before {@code createdBefore}; returns how many. */
    int deleteExpiredSessions(Instant idleBefore, Instant createdBefore);

    // ---- authentication failures (the throttle, counted across nodes) --------------------------

    /**
     * Counts one failed authentication under {@code key} (a source address or a user name) and
     * returns the count with the end of its window. With no count, or one whose window ended at or before {@code now}, the count
     * starts at 1 with a window ending at {@code now + window}; otherwise it goes up by one, and its
     * window restarts at {@code now} only while the count is at most {@code renewUpTo} (attempts
     * refused over the limit do not keep the window open). Atomic across nodes sharing the database;
     * counts whose window ended may be deleted meanwhile.
     */
    AuthFailureCount countAuthFailure(String key, Instant now, java.time.Duration window, int renewUpTo);

    /** Takes one failure of {@code key} back (never below 0); nothing when it has no count. */
    void forgiveAuthFailure(String key);
}
