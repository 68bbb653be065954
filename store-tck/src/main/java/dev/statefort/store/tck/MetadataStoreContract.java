package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.auth.Permission;
import dev.statefort.core.auth.TokenRecord;
import dev.statefort.core.lock.LockRecord;
import dev.statefort.core.state.DeleteResult;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.version.PageRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.statefort.core.spi.MetadataStore}, sentence by sentence. An
 * implementation's test extends this class and implements {@link #newStore()} (and {@link #cleanup}
 * when the default {@code close()} is not enough). The tests are spread over the superclasses
 * {@link MetadataStoreLockContract} (projects, states, locks), {@link
 * MetadataStoreVersionContract} (versions, paging), {@link MetadataStoreKeyContract} (key
 * material, re-encryption), {@link MetadataStoreHistoryContract} (version summary fields,
 * retention, deleting versions), {@link MetadataStoreQuarantineContract} (lock expiry and fencing,
 * quarantine), {@link MetadataStoreAuditContract} (settings documents, audit log), {@link
 * AccessStoreUserContract} (users, memberships) and {@link AccessStoreContract} (aliases, sessions);
 * this class adds deletion, tokens and health.
 */
public abstract class MetadataStoreContract extends AccessStoreContract {

    // ---- deleteState ----------------------------------------------------------------------

    @Test
    void deleteStateReturnsAllBlobKeysAndRemovesEverything() {
        StateKey key = state("s");
        StateKey other = state("other");
        commitMany(key, 3);
        commit(other, "keep", T0, null);
        lock(key, "L1", T0);

        DeleteResult result = store.deleteState(key, "L1");

        assertThat(result).isInstanceOf(DeleteResult.Deleted.class);
        assertThat(((DeleteResult.Deleted) result).blobKeys()).containsExactlyInAnyOrder("b1", "b2", "b3");
        assertThat(store.findState(key)).isEmpty();
        assertThat(store.findLock(key)).isEmpty();
        assertThat(store.headVersion(key)).isEmpty();
        assertThat(store.findVersion(key, 1)).isEmpty();
        assertThat(store.listVersions(key, PageRequest.first(10)).items()).isEmpty();
        assertThat(store.listStates(PROJECT)).extracting(s -> s.key().name()).containsExactly("other");
        assertThat(store.headVersion(other).orElseThrow().blobKey()).isEqualTo("keep");
    }

    @Test
    void deleteStateIsRefusedWhenLockedByAnotherId() {
        StateKey key = state("s");
        commitMany(key, 2);
        LockRecord held = lock(key, "L1", T0);
        assertThat(store.deleteState(key, "L2")).isEqualTo(new DeleteResult.LockedBy(held));
        assertThat(store.findLock(key)).contains(held);
        assertThat(store.headVersion(key).orElseThrow().number()).isEqualTo(2);
        assertThat(store.listVersions(key, PageRequest.first(10)).items()).hasSize(2);
    }

    @Test
    void deleteStateWithNullIdIsRefusedWhenAnyLockIsHeld() {
        StateKey key = state("s");
        commitMany(key, 1);
        LockRecord held = lock(key, "L1", T0);
        assertThat(store.deleteState(key, null)).isEqualTo(new DeleteResult.LockedBy(held));
        assertThat(store.findState(key)).isPresent();
    }

    @Test
    void deleteUnlockedStateWithOrWithoutIdDeletes() {
        StateKey a = state("a");
        StateKey b = state("b");
        commitMany(a, 1);
        commitMany(b, 1);
        assertThat(store.deleteState(a, null)).isEqualTo(new DeleteResult.Deleted(java.util.List.of("b1")));
        assertThat(store.deleteState(b, "L-whatever")).isEqualTo(new DeleteResult.Deleted(java.util.List.of("b1")));
        assertThat(store.listStates(PROJECT)).isEmpty();
    }

    @Test
    void deleteStateWithoutVersionsReturnsNoKeys() {
        StateKey key = state("s");
        lock(key, "L1", T0);
        assertThat(store.deleteState(key, "L1")).isEqualTo(new DeleteResult.Deleted(java.util.List.of()));
        assertThat(store.findState(key)).isEmpty();
    }

    @Test
    void deleteOfMissingStateReturnsNotFound() {
        assertThat(store.deleteState(state("missing"), null)).isEqualTo(new DeleteResult.NotFound());
        assertThat(store.deleteState(new StateKey("nope", "s"), "L1")).isEqualTo(new DeleteResult.NotFound());
        StateKey key = state("s");
        commitMany(key, 1);
        store.deleteState(key, null);
        assertThat(store.deleteState(key, null)).isEqualTo(new DeleteResult.NotFound());
    }

    @Test
    void aDeletedStateCanBeCreatedAgainAsANewState() {
        StateKey key = state("s");
        commitMany(key, 3);
        store.deleteState(key, null);
        assertThat(commit(key, "again", at(99), null).number()).isEqualTo(1);
        assertThat(store.findState(key).orElseThrow().createdAt()).isEqualTo(ms(at(99)));
    }

    // ---- tokens ---------------------------------------------------------------------------

    private static TokenRecord token(String id, Instant createdAt) {
        return new TokenRecord(id, "ci " + id, PROJECT, Permission.WRITE, sha256Of("secret-" + id), createdAt, null);
    }

    @Test
    void createdTokenIsFoundWithAllFields() {
        TokenRecord full = token("t1", T0);
        TokenRecord sparse = new TokenRecord("t2", null, null, Permission.ADMIN, sha256Of("s2"), at(1), null);
        store.createToken(full);
        store.createToken(sparse);
        assertThat(store.findToken("t1")).contains(withMillis(full));
        assertThat(store.findToken("t2")).contains(withMillis(sparse));
        assertThat(store.findToken("t3")).isEmpty();
    }

    @Test
    void duplicateTokenIdIsRejectedAndTheOriginalKept() {
        store.createToken(token("t1", T0));
        TokenRecord clash = new TokenRecord("t1", "other", null, Permission.ADMIN, sha256Of("x"), at(5), null);
        assertThatThrownBy(() -> store.createToken(clash)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.findToken("t1")).contains(withMillis(token("t1", T0)));
        assertThat(store.listTokens()).hasSize(1);
    }

    @Test
    void listTokensIsOrderedByCreation() {
        store.createToken(token("zz", at(1)));
        store.createToken(token("aa", at(2)));
        store.createToken(token("mm", at(3)));
        assertThat(store.listTokens()).extracting(TokenRecord::id).containsExactly("zz", "aa", "mm");
    }

    @Test
    void revokeTokenRevokesItsDescendantsAndNothingElse() {
        store.createToken(child("root", null));
        store.createToken(child("kid", "root"));
        store.createToken(child("grandkid", "kid"));
        store.createToken(child("sibling", null));
        store.createToken(child("nephew", "sibling"));
        store.createToken(child("early", "kid"));
        store.revokeToken("early", at(1));

        assertThat(store.revokeToken("kid", at(50))).isTrue();

        assertThat(store.findToken("root").orElseThrow().isRevoked()).isFalse();
        assertThat(store.findToken("kid").orElseThrow().revokedAt()).isEqualTo(ms(at(50)));
        assertThat(store.findToken("grandkid").orElseThrow().revokedAt()).isEqualTo(ms(at(50)));
        assertThat(store.findToken("early").orElseThrow().revokedAt())
                .as("already revoked: its time is kept")
                .isEqualTo(ms(at(1)));
        assertThat(store.findToken("sibling").orElseThrow().isRevoked()).isFalse();
        assertThat(store.findToken("nephew").orElseThrow().isRevoked()).isFalse();
        assertThat(store.findToken("grandkid").orElseThrow().parentId()).isEqualTo("kid");
    }

    private static TokenRecord child(String id, String parent) {
        return new TokenRecord(
                id, id, PROJECT, null, Permission.WRITE, null, sha256Of(id), T0, null, null, null, null, parent);
    }

    @Test
    void revokeTokenMarksItRevokedOnce() {
        store.createToken(token("t1", T0));
        store.createToken(token("t2", T0));
        assertThat(store.revokeToken("t1", at(60_000))).isTrue();
        TokenRecord revoked = store.findToken("t1").orElseThrow();
        assertThat(revoked.isRevoked()).isTrue();
        assertThat(revoked.revokedAt()).isEqualTo(ms(at(60_000)));

        assertThat(store.revokeToken("t1", at(90_000))).isFalse();
        assertThat(store.findToken("t1").orElseThrow().revokedAt()).isEqualTo(ms(at(60_000)));
        assertThat(store.revokeToken("missing", at(1))).isFalse();
        assertThat(store.findToken("t2").orElseThrow().isRevoked()).isFalse();
        assertThat(store.listTokens()).extracting(TokenRecord::isRevoked).containsExactly(true, false);
    }

    private static TokenRecord withMillis(TokenRecord t) {
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

    private static Instant msOrNull(Instant t) {
        return t == null ? null : ms(t);
    }

    private static TokenRecord scopedToken(String id) {
        return new TokenRecord(
                id,
                "deploy " + id,
                PROJECT,
                "prod",
                Permission.READ,
                "alice",
                sha256Of("secret-" + id),
                at(1),
                at(86_400_000),
                null,
                at(2),
                "id-alice",
                null);
    }

    @Test
    void tokenStateOwnerExpiryAndLastUseAreStoredAndReadBack() {
        TokenRecord scoped = scopedToken("t1");
        TokenRecord revoked = new TokenRecord(
                "t2",
                null,
                "q",
                "s",
                Permission.WRITE,
                "bob",
                sha256Of("s2"),
                at(3),
                at(4),
                at(5),
                at(6),
                "id-bob",
                "t1");
        store.createToken(scoped);
        store.createToken(revoked);
        assertThat(store.findToken("t1")).contains(withMillis(scoped));
        assertThat(store.findToken("t2")).contains(withMillis(revoked));
        assertThat(store.listTokens()).containsExactly(withMillis(scoped), withMillis(revoked));
        TokenRecord plain = token("t3", at(7));
        store.createToken(plain);
        TokenRecord read = store.findToken("t3").orElseThrow();
        assertThat(read.state()).isNull();
        assertThat(read.ownerUser()).isNull();
        assertThat(read.expiresAt()).isNull();
        assertThat(read.lastUsedAt()).isNull();
    }

    @Test
    void revokeTokenKeepsStateOwnerExpiryAndLastUse() {
        TokenRecord scoped = scopedToken("t1");
        store.createToken(scoped);
        assertThat(store.revokeToken("t1", at(10))).isTrue();
        assertThat(store.findToken("t1"))
                .contains(withMillis(new TokenRecord(
                        "t1",
                        scoped.name(),
                        PROJECT,
                        "prod",
                        Permission.READ,
                        "alice",
                        scoped.secretHash(),
                        scoped.createdAt(),
                        scoped.expiresAt(),
                        at(10),
                        scoped.lastUsedAt(),
                        scoped.ownerUserId(),
                        null)));
    }

    @Test
    void recordTokenUseSetsOnlyLastUsedAt() {
        TokenRecord scoped = scopedToken("t1");
        store.createToken(scoped);
        store.createToken(token("t2", T0));
        assertThat(store.recordTokenUse("t1", at(60_000))).isTrue();
        TokenRecord used = store.findToken("t1").orElseThrow();
        assertThat(used.lastUsedAt()).isEqualTo(ms(at(60_000)));
        assertThat(used)
                .isEqualTo(withMillis(new TokenRecord(
                        "t1",
                        scoped.name(),
                        PROJECT,
                        "prod",
                        Permission.READ,
                        "alice",
                        scoped.secretHash(),
                        scoped.createdAt(),
                        scoped.expiresAt(),
                        null,
                        at(60_000),
                        scoped.ownerUserId(),
                        null)));
        assertThat(store.recordTokenUse("t1", at(120_000))).isTrue();
        assertThat(store.findToken("t1").orElseThrow().lastUsedAt()).isEqualTo(ms(at(120_000)));
        assertThat(store.findToken("t2").orElseThrow().lastUsedAt()).isNull();
        assertThat(store.recordTokenUse("missing", at(1))).isFalse();
        assertThat(store.findToken("missing")).isEmpty();
    }

    // ---- times and health -----------------------------------------------------------------

    @Test
    void timesAreKeptAtMillisecondPrecision() {
        Instant precise = Instant.parse("2031-12-31T23:59:59.999999999Z");
        store.createProject("p", precise);
        assertThat(store.findProject("p").orElseThrow().createdAt())
                .isEqualTo(Instant.parse("2031-12-31T23:59:59.999Z"));
        StateKey key = new StateKey("p", "s");
        LockRecord held = lock(key, "L1", precise);
        assertThat(held.acquiredAt()).isEqualTo(ms(precise));
        assertThat(store.findLock(key).orElseThrow().lastActivityAt()).isEqualTo(ms(precise));
        assertThat(commit(key, "k", precise, "L1").createdAt()).isEqualTo(ms(precise));
        assertThat(store.headVersion(key).orElseThrow().createdAt()).isEqualTo(ms(precise));
    }

    @Test
    void pingSucceedsOnAHealthyStore() {
        store.ping();
    }
}
