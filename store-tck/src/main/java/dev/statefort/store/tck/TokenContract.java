package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.Permission;
import dev.statefort.core.model.TokenRecord;
import org.junit.jupiter.api.Test;

/** API tokens. A group of {@link MetadataStoreContract}. */
public abstract class TokenContract extends MetadataStoreContractGroup {

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
}
