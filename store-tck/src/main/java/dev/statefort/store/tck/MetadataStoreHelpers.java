package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.SessionRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.model.UserRecord;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.AccessStore;
import dev.statefort.core.spi.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.LongStream;

/**
 * The store under test ({@link #store}, fresh and empty for every test) and the helpers the groups
 * of {@link MetadataStoreContract} share.
 */
public abstract class MetadataStoreHelpers {
    /** A time with sub-millisecond digits: stores keep milliseconds. */
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

    protected static final String PROJECT = "p";

    protected MetadataStore store;

    // ---- helpers --------------------------------------------------------------------------

    protected static Instant at(long plusMillis) {
        return T0.plusMillis(plusMillis);
    }

    protected static Instant ms(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A state in project {@value #PROJECT}, creating the project if needed. */
    protected StateKey state(String name) {
        store.createProject(PROJECT, T0);
        return new StateKey(PROJECT, name);
    }

    protected static LockInfo lockInfo(String id, String operation) {
        String json = "{\"ID\":\"" + id + "\",\"Operation\":\"" + operation
                + "\",\"Info\":\"\",\"Who\":\"alice@host\",\"Version\":\"1.11.4\","
                + "\"Created\":\"2026-03-01T10:00:00.123456Z\",\"Path\":\"\"}";
        return LockInfo.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    protected static LockRequest lockRequest(String id, Instant now) {
        return new LockRequest(lockInfo(id, "OperationTypeApply"), "principal-" + id, now);
    }

    protected LockRecord lock(StateKey key, String id, Instant now) {
        LockResult result = store.tryLock(key, lockRequest(id, now));
        assertThat(result).isInstanceOf(LockResult.Acquired.class);
        return ((LockResult.Acquired) result).lock();
    }

    protected static NewVersion newVersion(String blobKey, Instant createdAt) {
        return new NewVersion(
                blobKey,
                7L,
                "lineage-" + blobKey,
                sha256Of(blobKey),
                1234L,
                "writer",
                createdAt,
                null,
                null,
                java.util.List.of());
    }

    protected static String sha256Of(String text) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    protected VersionRecord commit(StateKey key, String blobKey, Instant createdAt, String lockId) {
        CommitResult result = store.commitVersion(VersionCommit.of(key, newVersion(blobKey, createdAt), lockId));
        assertThat(result).isInstanceOf(CommitResult.Committed.class);
        return ((CommitResult.Committed) result).version();
    }

    /** Commits {@code count} versions without a lock, blob keys {@code b1..bN}, one millisecond apart. */
    protected List<VersionRecord> commitMany(StateKey key, int count) {
        List<VersionRecord> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(commit(key, "b" + i, at(i), null));
        }
        return out;
    }

    /**
     * Runs {@code threads} tasks at once (released together by a latch) and returns their results
     * in task order. Bounded: fails after 60 s.
     */
    protected static <T> List<T> runConcurrently(int threads, IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                Callable<T> call = () -> {
                    ready.countDown();
                    go.await();
                    return task.apply(n);
                };
                futures.add(pool.submit(call));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    protected static Long[] numbers(long from, long downTo) {
        return LongStream.rangeClosed(downTo, from)
                .map(n -> from + downTo - n)
                .boxed()
                .toArray(Long[]::new);
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Flags that a naive separator encoding would break: commas, quotes, newlines, non-ASCII. */
    protected static final List<String> ODD_FLAGS =
            List.of("removes-all-resources", "a,b", "quote \" and \\ backslash", "line\nbreak", "ünïcode ✓", "");

    protected static NewVersion summarized(String blobKey, java.time.Instant createdAt, List<String> flags) {
        return new NewVersion(
                blobKey, 9L, "lin", sha256Of(blobKey), 77L, "writer", createdAt, 2_000_000_000, "1.9.8", flags);
    }

    protected CommitResult.Committed committed(CommitResult result) {
        assertThat(result).isInstanceOf(CommitResult.Committed.class);
        return (CommitResult.Committed) result;
    }

    protected List<Long> numbers(StateKey key) {
        return store.listVersions(key, PageRequest.first(100)).items().stream()
                .map(VersionRecord::number)
                .toList();
    }

    protected static NewVersion withMillis(NewVersion v) {
        return new NewVersion(
                v.blobKey(),
                v.serial(),
                v.lineage(),
                v.sha256(),
                v.size(),
                v.principal(),
                ms(v.createdAt()),
                v.resourceCount(),
                v.terraformVersion(),
                v.flags());
    }

    protected static AuditQuery all(int limit) {
        return new AuditQuery(null, null, null, limit, null);
    }

    /** Walks every page of a query with keyset paging; bounded to 10 pages. */
    protected List<List<AuditEvent>> pages(Function<String, AuditQuery> queryBefore) {
        List<List<AuditEvent>> pages = new ArrayList<>();
        String before = null;
        for (int i = 0; i < 10; i++) {
            List<AuditEvent> page = store.listAudit(queryBefore.apply(before));
            if (page.isEmpty()) {
                break;
            }
            pages.add(page);
            before = page.getLast().id();
        }
        return pages;
    }

    protected AccessStore access() {
        return store.access();
    }

    protected static UserRecord user(String name, Instant createdAt) {
        return new UserRecord("id-" + name, name, "$argon2id$v=19$hash-of-" + name, false, true, createdAt, null);
    }

    /** Creates the user (which must not exist yet) and returns it as the store keeps it. */
    protected UserRecord createUser(String name) {
        UserRecord u = user(name, T0);
        assertThat(access().createUser(u)).isTrue();
        return withMillis(u);
    }

    protected static UserRecord withMillis(UserRecord u) {
        return new UserRecord(
                u.id(),
                u.name(),
                u.passwordHash(),
                u.globalAdmin(),
                u.mustChangePassword(),
                ms(u.createdAt()),
                u.passwordChangedAt() == null ? null : ms(u.passwordChangedAt()));
    }

    protected static SessionRecord session(String idHash, String user, Instant createdAt, Instant lastSeenAt) {
        return new SessionRecord(idHash, user, "csrf-" + idHash, createdAt, lastSeenAt);
    }

    protected static AliasRecord withMillis(AliasRecord a) {
        return new AliasRecord(
                a.id(),
                a.state(),
                a.username(),
                a.permission(),
                a.secretHash(),
                a.createdBy(),
                ms(a.createdAt()),
                a.revokedAt() == null ? null : ms(a.revokedAt()),
                a.maker(),
                a.expiresAt() == null ? null : ms(a.expiresAt()));
    }

    protected static SessionRecord withMillis(SessionRecord s) {
        return new SessionRecord(s.idHash(), s.user(), s.csrfToken(), ms(s.createdAt()), ms(s.lastSeenAt()));
    }

    protected static TokenRecord token(String id, Instant createdAt) {
        return new TokenRecord(id, "ci " + id, PROJECT, Permission.WRITE, sha256Of("secret-" + id), createdAt, null);
    }

    protected static TokenRecord child(String id, String parent) {
        return new TokenRecord(
                id, id, PROJECT, null, Permission.WRITE, null, sha256Of(id), T0, null, null, null, null, parent);
    }

    protected static TokenRecord withMillis(TokenRecord t) {
        return new TokenRecord(
                t.id(),
                t.name(),
                t.project(),
                t.state(),
                t.permission(),
                t.ownerUser(),
                t.secretHash(),
                ms(t.createdAt()),
                msOrNull(t.expiresAt()),
                msOrNull(t.revokedAt()),
                msOrNull(t.lastUsedAt()),
                t.ownerUserId(),
                t.parentId());
    }

    protected static Instant msOrNull(Instant t) {
        return t == null ? null : ms(t);
    }
}
