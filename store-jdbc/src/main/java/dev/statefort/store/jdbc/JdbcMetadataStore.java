package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.prepare;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.ConsumerRead;
import dev.statefort.core.model.ConsumerRecord;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.DuplicateObject;
import dev.statefort.core.model.FleetState;
import dev.statefort.core.model.Freeze;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.ReadScope;
import dev.statefort.core.model.RetentionPolicy;
import dev.statefort.core.model.SearchHit;
import dev.statefort.core.model.SearchQuery;
import dev.statefort.core.model.StateIndex;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionDeleteResult;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.model.Webhook;
import dev.statefort.core.model.WebhookDelivery;
import dev.statefort.core.spi.AccessStore;
import dev.statefort.core.spi.MetadataStore;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Implements MetadataStore on JDBC (SQLite or PostgreSQL, one schema): every state change is one
 * conditional write on the state row, in one transaction with what belongs to it.
 */
final class JdbcMetadataStore implements MetadataStore {
    /** Deletes one version unless it is the state's current one; RETURNING its blob key. */
    private static final String DELETE_VERSION = "DELETE FROM versions WHERE project = ? AND state = ? AND number = ?"
            + " AND number <> (SELECT head_version FROM states WHERE project = ? AND name = ?)"
            + " RETURNING blob_key";

    private final Sql sql;
    private final JdbcTokens tokens;
    private final JdbcVersions versions;
    private final JdbcKeyMaterial keyMaterial;
    private final JdbcHistory history;
    private final JdbcAccessStore access;
    private final JdbcLocks locks;
    private final JdbcCatalog catalog;
    private final JdbcSmallBlobs smallBlobs;
    private final JdbcWebhooks webhooks;
    private final JdbcFleet fleet;

    JdbcMetadataStore(Sql sql) {
        this.sql = sql;
        this.tokens = new JdbcTokens(sql);
        this.versions = new JdbcVersions(sql);
        this.keyMaterial = new JdbcKeyMaterial(sql);
        this.history = new JdbcHistory(sql);
        this.access = new JdbcAccessStore(sql);
        this.locks = new JdbcLocks(sql, history);
        this.catalog = new JdbcCatalog(sql, history);
        this.smallBlobs = new JdbcSmallBlobs(sql);
        this.webhooks = new JdbcWebhooks(sql, history);
        this.fleet = new JdbcFleet(sql);
    }

    // ---- the fleet ------------------------------------------------------------------------

    @Override
    public boolean replaceIndex(StateIndex index) {
        return fleet.replaceIndex(index);
    }

    @Override
    public List<StateKey> findUnindexed(int limit) {
        return fleet.findUnindexed(limit);
    }

    @Override
    public List<SearchHit> search(SearchQuery query) {
        return fleet.search(query);
    }

    @Override
    public List<DuplicateObject> findDuplicates(ReadScope scope, int limit) {
        return fleet.findDuplicates(scope, limit);
    }

    @Override
    public void addConsumerReads(List<ConsumerRead> reads) {
        fleet.addConsumerReads(reads);
    }

    @Override
    public List<ConsumerRecord> listConsumers(StateKey key) {
        return fleet.listConsumers(key);
    }

    @Override
    public List<FleetState> listFleetStates(ReadScope scope, Instant since) {
        return fleet.listFleetStates(scope, since);
    }

    // ---- projects and states ------------------------------------------------------------

    @Override
    public boolean createProject(String name, String storage, Instant now) {
        return catalog.createProject(name, storage, now);
    }

    @Override
    public Optional<ProjectRecord> findProject(String name) {
        return catalog.findProject(name);
    }

    @Override
    public boolean beginStorageMove(String project, String from, String to) {
        return catalog.beginStorageMove(project, from, to);
    }

    @Override
    public boolean finishStorageMove(String project, String to) {
        return catalog.finishStorageMove(project, to);
    }

    @Override
    public List<ProjectRecord> listProjects() {
        return catalog.listProjects();
    }

    @Override
    public List<StateRecord> listStates(String project) {
        return catalog.listStates(project);
    }

    @Override
    public Optional<StateRecord> findState(StateKey key) {
        return catalog.findState(key);
    }

    @Override
    public boolean createState(StateKey key, Instant now) {
        return catalog.createState(key, now);
    }

    @Override
    public DeleteResult deleteState(StateKey key, String lockId) {
        return catalog.deleteState(key, lockId);
    }

    // ---- locks ----------------------------------------------------------------------------

    /** SQLite: one node, one writer (this process); PostgreSQL: shared by the nodes. */
    @Override
    public boolean locksChangeOnlyHere() {
        return sql.isSqlite();
    }

    @Override
    public LockResult tryLock(StateKey key, LockRequest request) {
        return locks.tryLock(key, request);
    }

    @Override
    public UnlockResult unlock(StateKey key, String lockId, AuditEvent released) {
        return locks.unlock(key, lockId, released);
    }

    @Override
    public Optional<LockRecord> findLock(StateKey key) {
        return locks.findLock(key);
    }

    @Override
    public UnlockResult unlockPlanLock(StateKey key, String lockId, AuditEvent released) {
        return locks.unlockPlanLock(key, lockId, released);
    }

    @Override
    public List<LockRecord> findLocks(StateKey key) {
        return locks.findLocks(key);
    }

    @Override
    public void freeze(Freeze freeze) {
        locks.freeze(freeze);
    }

    @Override
    public boolean unfreeze(String project, String state) {
        return locks.unfreeze(project, state);
    }

    @Override
    public List<Freeze> listFreezes(String project) {
        return locks.listFreezes(project);
    }

    @Override
    public Optional<Freeze> findFreeze(StateKey key, Instant now) {
        return locks.findFreeze(key, now);
    }

    // ---- versions -------------------------------------------------------------------------

    @Override
    public CommitResult commitVersion(VersionCommit commit) {
        StateKey key = commit.key();
        Instant createdAt = millis(commit.version().createdAt());
        return sql.write("commit a version", c -> {
            JdbcCommits.ensureState(c, key, createdAt);
            CommitResult result =
                    JdbcCommits.commit(c, key, commit.version(), createdAt, commit.lockId(), commit.retention());
            if (result instanceof CommitResult.Committed committed) {
                if (commit.audit() != null) {
                    history.insertAudit(
                            c, commit.audit().withVersion(committed.version().number()));
                }
                if (commit.smallBlob() != null) {
                    JdbcSmallBlobs.insert(c, commit.version().blobKey(), commit.smallBlob());
                }
                JdbcSmallBlobs.deleteAll(c, committed.prunedBlobKeys());
            }
            return result;
        });
    }

    /** Thrown inside a joint commit's transaction to roll every commit of it back. */
    private static final class JointRefusal extends RuntimeException {
        final StateKey key;
        final CommitResult refusal;

        JointRefusal(StateKey key, CommitResult refusal) {
            super(null, null, false, false);
            this.key = key;
            this.refusal = refusal;
        }
    }

    @Override
    public dev.statefort.core.model.JointCommit commitVersions(List<VersionCommit> commits) {
        dev.statefort.core.spi.StateStore.checkJointCommits(commits);
        try {
            return sql.write("commit versions of several states", c -> {
                List<CommitResult.Committed> done = new java.util.ArrayList<>();
                for (VersionCommit commit : commits) {
                    Instant createdAt = millis(commit.version().createdAt());
                    JdbcCommits.ensureState(c, commit.key(), createdAt);
                    CommitResult result = JdbcCommits.commit(
                            c, commit.key(), commit.version(), createdAt, commit.lockId(), commit.retention());
                    if (!(result instanceof CommitResult.Committed committed)) {
                        throw new JointRefusal(commit.key(), result); // rolls back the ones before it
                    }
                    if (commit.audit() != null) {
                        history.insertAudit(
                                c,
                                commit.audit().withVersion(committed.version().number()));
                    }
                    if (commit.smallBlob() != null) {
                        JdbcSmallBlobs.insert(c, commit.version().blobKey(), commit.smallBlob());
                    }
                    JdbcSmallBlobs.deleteAll(c, committed.prunedBlobKeys());
                    done.add(committed);
                }
                return dev.statefort.core.model.JointCommit.written(done);
            });
        } catch (JointRefusal refused) {
            return dev.statefort.core.model.JointCommit.refused(refused.key, refused.refusal);
        }
    }

    // ---- small blobs ----------------------------------------------------------------------

    @Override
    public Optional<byte[]> findSmallBlob(String key) {
        return smallBlobs.find(key);
    }

    @Override
    public void putSmallBlob(String key, byte[] content) {
        smallBlobs.put(key, content);
    }

    @Override
    public void deleteSmallBlob(String key) {
        smallBlobs.delete(key);
    }

    @Override
    public Optional<VersionRecord> headVersion(StateKey key) {
        return versions.head(key);
    }

    @Override
    public Optional<VersionRecord> findVersion(StateKey key, long number) {
        return versions.find(key, number);
    }

    @Override
    public Page<VersionRecord> listVersions(StateKey key, PageRequest page) {
        return versions.list(key, page);
    }

    @Override
    public VersionDeleteResult deleteVersion(StateKey key, long number) {
        return sql.write("delete a version", c -> {
            try (BoundStatement ps =
                            prepare(c, DELETE_VERSION, key.project(), key.name(), number, key.project(), key.name());
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new VersionDeleteResult.Deleted(rs.getString(1));
                }
            }
            // Nothing deleted: the version is absent, or it is the current one (which never goes away).
            try (BoundStatement ps = prepare(
                            c,
                            "SELECT 1 FROM versions WHERE project = ? AND state = ? AND number = ?",
                            key.project(),
                            key.name(),
                            number);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new VersionDeleteResult.IsCurrent() : new VersionDeleteResult.NotFound();
            }
        });
    }

    // ---- quarantine -----------------------------------------------------------------------

    @Override
    public QuarantineRecord quarantine(StateKey key, NewVersion version, String lockId, List<String> reasons) {
        return history.quarantine(key, version, lockId, reasons);
    }

    @Override
    public List<QuarantineRecord> listQuarantine(StateKey key) {
        return history.listQuarantine(key);
    }

    @Override
    public Optional<QuarantineRecord> findQuarantine(StateKey key, long id) {
        return history.findQuarantine(key, id);
    }

    @Override
    public boolean replaceQuarantineBlob(StateKey key, long id, String expectedBlobKey, String newBlobKey) {
        return history.replaceQuarantineBlob(key, id, expectedBlobKey, newBlobKey);
    }

    @Override
    public Optional<String> deleteQuarantine(StateKey key, long id) {
        return history.deleteQuarantine(key, id);
    }

    @Override
    public Optional<CommitResult> promoteQuarantine(
            StateKey key, long id, String lockId, String principal, Instant now, RetentionPolicy retention) {
        return history.promoteQuarantine(key, id, lockId, principal, millis(now), retention);
    }

    // ---- settings -------------------------------------------------------------------------

    @Override
    public Optional<String> findProjectSettings(String project) {
        return history.findProjectSettings(project);
    }

    @Override
    public void saveProjectSettings(String project, String json, Instant now) {
        history.saveProjectSettings(project, json, millis(now));
    }

    @Override
    public Optional<String> findStateSettings(StateKey key) {
        return history.findStateSettings(key);
    }

    @Override
    public void saveStateSettings(StateKey key, String json, Instant now) {
        history.saveStateSettings(key, json, millis(now));
    }

    @Override
    public Map<String, String> listStateSettings(String project) {
        return history.listStateSettings(project);
    }

    @Override
    public boolean replaceStateSettings(StateKey key, String expected, String json, Instant now) {
        return history.replaceStateSettings(key, expected, json, millis(now));
    }

    // ---- lock expiry -----------------------------------------------------------------------

    @Override
    public List<dev.statefort.core.model.IdleLock> findIdleLocks(Instant idleBefore, int limit) {
        return locks.findIdleLocks(idleBefore, limit);
    }

    @Override
    public boolean markLockStale(StateKey key, String lockId, Instant idleBefore, AuditEvent event) {
        return locks.markLockStale(key, lockId, idleBefore, event);
    }

    @Override
    public Optional<AuditEvent> findAudit(String id) {
        return history.findAudit(id);
    }

    @Override
    public Map<String, AuditEvent> findAudits(java.util.Collection<String> ids) {
        return history.findAudits(ids);
    }

    @Override
    public List<AuditEvent> listAuditAfter(String project, String afterId, int limit) {
        return history.listAuditAfter(project, afterId, limit);
    }

    // ---- webhooks -----------------------------------------------------------------------------

    @Override
    public void createWebhook(Webhook webhook) {
        webhooks.create(webhook);
    }

    @Override
    public List<Webhook> listWebhooks(String project) {
        return webhooks.list(project);
    }

    @Override
    public List<Webhook> listAllWebhooks() {
        return webhooks.listAll();
    }

    @Override
    public Optional<Webhook> findWebhook(String id) {
        return webhooks.find(id);
    }

    @Override
    public boolean deleteWebhook(String project, String id) {
        return webhooks.delete(project, id);
    }

    @Override
    public boolean replaceWebhookSecret(String id, String expected, String replacement) {
        return webhooks.replaceSecret(id, expected, replacement);
    }

    @Override
    public void webhookSucceeded(String id) {
        webhooks.succeeded(id);
    }

    @Override
    public boolean webhookFailed(String id, Instant now, Instant disableIfFailingBefore, String reason) {
        return webhooks.failed(id, now, disableIfFailingBefore, reason);
    }

    @Override
    public Optional<AuditEvent> appendAuditFor(String webhookId, String type, AuditEvent event) {
        return webhooks.appendAuditFor(webhookId, type, event);
    }

    @Override
    public List<WebhookDelivery> dueDeliveries(Instant now, int limit) {
        return webhooks.due(now, limit);
    }

    @Override
    public void postponeDeliveries(String webhookId, Instant until) {
        webhooks.postpone(webhookId, until);
    }

    @Override
    public boolean claimDelivery(String webhookId, String eventId, String claim, Instant now, Instant until) {
        return webhooks.claim(webhookId, eventId, claim, now, until);
    }

    @Override
    public boolean finishDelivery(String webhookId, String eventId, String claim, WebhookDelivery.Attempt attempt) {
        return webhooks.finish(webhookId, eventId, claim, attempt);
    }

    @Override
    public List<WebhookDelivery> listDeliveries(String webhookId, int limit) {
        return webhooks.list(webhookId, limit);
    }

    @Override
    public Optional<WebhookDelivery> findDelivery(String webhookId, String eventId) {
        return webhooks.findDelivery(webhookId, eventId);
    }

    @Override
    public boolean redeliver(String webhookId, String eventId, Instant now) {
        return webhooks.redeliver(webhookId, eventId, now);
    }

    @Override
    public boolean expireLock(StateKey key, String lockId, Instant idleBefore) {
        return locks.expireLock(key, lockId, idleBefore);
    }

    // ---- audit ----------------------------------------------------------------------------

    @Override
    public AuditEvent appendAudit(AuditEvent event) {
        return history.appendAudit(event);
    }

    @Override
    public void appendAuditLater(AuditEvent event) {
        history.appendAuditLater(event);
    }

    @Override
    public List<AuditEvent> listAudit(AuditQuery query) {
        sql.awaitDeferred();
        return history.listAudit(query);
    }

    // ---- tokens ---------------------------------------------------------------------------

    @Override
    public void createToken(TokenRecord token) {
        tokens.create(token);
    }

    @Override
    public Optional<TokenRecord> findToken(String id) {
        return tokens.find(id);
    }

    @Override
    public List<TokenRecord> listTokens() {
        return tokens.list();
    }

    @Override
    public boolean revokeToken(String id, Instant now) {
        return tokens.revoke(id, now);
    }

    @Override
    public boolean recordTokenUse(String id, Instant now) {
        return tokens.recordUse(id, now);
    }

    // ---- access ---------------------------------------------------------------------------

    @Override
    public AccessStore access() {
        return access;
    }

    // ---- key material ---------------------------------------------------------------------

    @Override
    public Optional<byte[]> findKeyMaterial(String name) {
        return keyMaterial.find(name);
    }

    @Override
    public boolean replaceKeyMaterial(String name, byte[] expected, byte[] replacement, Instant now) {
        return keyMaterial.replace(name, expected, replacement, now);
    }

    @Override
    public List<String> listKeyMaterialNames() {
        return keyMaterial.names();
    }

    // ---- re-encryption ----------------------------------------------------------------------

    @Override
    public List<VersionRecord> listProjectVersions(String project, String afterState, Long afterNumber, int limit) {
        return versions.listOfProject(project, afterState, afterNumber, limit);
    }

    @Override
    public boolean replaceVersionBlob(StateKey key, long number, String expectedBlobKey, String newBlobKey) {
        return versions.replaceBlob(key, number, expectedBlobKey, newBlobKey);
    }

    // ---- health ---------------------------------------------------------------------------

    @Override
    public void ping() {
        sql.read("answer a ping", c -> {
            try (BoundStatement ps = prepare(c, "SELECT 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public void close() {
        sql.close();
    }

    /** SQLite: COMMITs made so far by the one writer (a metric); -1 on PostgreSQL. */
    long writeCommits() {
        return sql.writeCommits();
    }

    /** SQLite: fsynced COMMITs so far (batches of deferred writes only are not); -1 on PostgreSQL. */
    long durableWriteCommits() {
        return sql.durableWriteCommits();
    }

    // ---- helpers --------------------------------------------------------------------------

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }
}
