package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.AliasMaker;
import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.SessionRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.AuthFailureCount;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** State aliases and login sessions. A group of {@link MetadataStoreContract}. */
public abstract class AliasAndSessionContract extends MetadataStoreContractGroup {

    private static AliasRecord alias(String id, StateKey state, Instant createdAt) {
        return new AliasRecord(
                id, state, "tf-" + id, Permission.WRITE, sha256Of("secret-" + id), "user:alice", createdAt, null);
    }

    @Test
    void createdAliasIsFoundWithAllFieldsAndItsStateNeedNotExist() {
        StateKey key = state("not-yet");
        AliasRecord read = alias("a1", key, at(1));
        AliasRecord revoked =
                new AliasRecord("a2", key, "tf-a2", Permission.READ, sha256Of("s2"), "token:abc", at(2), at(3));
        access().createAlias(read);
        access().createAlias(revoked);
        assertThat(access().findAlias("a1")).contains(withMillis(read));
        assertThat(access().findAlias("a2")).contains(withMillis(revoked));
        assertThat(access().findAlias("a3")).isEmpty();
        assertThat(store.findState(key)).isEmpty();
    }

    /** Issue 25: the user and token that made an alias, and its expiry, read back as stored. */
    @Test
    void anAliasKeepsItsMakerAndExpiryThroughRevocationAndANewSecret() {
        StateKey key = state("s");
        AliasRecord byToken = new AliasRecord(
                "a1",
                key,
                "tf-a1",
                Permission.WRITE,
                sha256Of("s1"),
                "user:alice/token:abc123def456",
                at(1),
                null,
                new AliasMaker("alice", "u-alice-id", "abc123def456"),
                at(3_600_123));
        AliasRecord bySession = new AliasRecord(
                "a2",
                key,
                "tf-a2",
                Permission.READ,
                sha256Of("s2"),
                "user:bob",
                at(2),
                null,
                new AliasMaker("bob", "u-bob-id", null),
                null);
        AliasRecord byRobot = new AliasRecord(
                "a3",
                key,
                "tf-a3",
                Permission.OUTPUTS,
                sha256Of("s3"),
                "token:robot0000000",
                at(3),
                null,
                new AliasMaker(null, null, "robot0000000"),
                at(90_000));
        access().createAlias(byToken);
        access().createAlias(bySession);
        access().createAlias(byRobot);
        access().createAlias(alias("a4", key, at(4)));

        assertThat(access().findAlias("a1")).contains(withMillis(byToken));
        assertThat(access().findAlias("a1").orElseThrow().expiresAt()).isEqualTo(ms(at(3_600_123)));
        assertThat(access().findAlias("a2")).contains(withMillis(bySession));
        assertThat(access().findAlias("a3")).contains(withMillis(byRobot));
        assertThat(access().findAlias("a4").orElseThrow().maker()).isEqualTo(AliasMaker.UNRECORDED);
        assertThat(access().findAlias("a4").orElseThrow().expiresAt()).isNull();
        assertThat(access().listAliases(PROJECT))
                .extracting(AliasRecord::maker)
                .containsExactly(byToken.maker(), bySession.maker(), byRobot.maker(), AliasMaker.UNRECORDED);

        assertThat(access().replaceAliasSecret("a1", sha256Of("fresh"))).isTrue();
        assertThat(access().revokeAlias("a3", at(5))).isTrue();
        assertThat(access().findAlias("a1")).contains(withMillis(byToken.with(sha256Of("fresh"), null)));
        assertThat(access().findAlias("a3")).contains(withMillis(byRobot.with(byRobot.secretHash(), at(5))));
    }

    @Test
    void createAliasWithAnExistingIdThrowsAndKeepsTheOriginal() {
        AliasRecord original = alias("a1", state("s"), T0);
        access().createAlias(original);
        AliasRecord clash =
                new AliasRecord("a1", state("other"), "x", Permission.READ, sha256Of("clash-secret"), "y", at(5), null);
        assertThatThrownBy(() -> access().createAlias(clash))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(clash.secretHash()));
        assertThat(access().findAlias("a1")).contains(withMillis(original));
        assertThat(access().listAliases(PROJECT)).hasSize(1);
    }

    @Test
    void createAliasOfAMissingProjectThrowsProjectNotFound() {
        StateKey key = new StateKey("nope", "s");
        assertThatThrownBy(() -> access().createAlias(alias("a1", key, T0)))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThat(access().findAlias("a1")).isEmpty();
        assertThat(access().listAliases("nope")).isEmpty();
    }

    @Test
    void listAliasesIsByCreationTimeThenIdWithRevokedOnesIncluded() {
        StateKey s = state("s");
        store.createProject("q", T0);
        access().createAlias(alias("zz", s, at(1)));
        access().createAlias(alias("mm", s, at(3)));
        access().createAlias(alias("bb", state("t"), at(1)));
        access().createAlias(alias("aa", s, at(2)));
        access().createAlias(alias("other", new StateKey("q", "s"), at(0)));
        access().revokeAlias("aa", at(10));
        assertThat(access().listAliases(PROJECT)).extracting(AliasRecord::id).containsExactly("bb", "zz", "aa", "mm");
        assertThat(access().listAliases(PROJECT).get(2).isRevoked()).isTrue();
        assertThat(access().listAliases("q")).extracting(AliasRecord::id).containsExactly("other");
        assertThat(access().listAliases("nope")).isEmpty();
    }

    @Test
    void revokeAliasMarksItRevokedOnce() {
        access().createAlias(alias("a1", state("s"), T0));
        access().createAlias(alias("a2", state("s"), T0));
        assertThat(access().revokeAlias("a1", at(60_000))).isTrue();
        assertThat(access().findAlias("a1").orElseThrow().revokedAt()).isEqualTo(ms(at(60_000)));
        assertThat(access().revokeAlias("a1", at(90_000))).isFalse();
        assertThat(access().findAlias("a1").orElseThrow().revokedAt()).isEqualTo(ms(at(60_000)));
        assertThat(access().revokeAlias("missing", at(1))).isFalse();
        assertThat(access().findAlias("a2").orElseThrow().isRevoked()).isFalse();
    }

    @Test
    void replaceAliasSecretReplacesOnlyTheHash() {
        AliasRecord original = alias("a1", state("s"), T0);
        access().createAlias(original);
        access().createAlias(alias("a2", state("s"), T0));
        String fresh = sha256Of("fresh");
        assertThat(access().replaceAliasSecret("a1", fresh)).isTrue();
        assertThat(access().findAlias("a1"))
                .contains(withMillis(new AliasRecord(
                        "a1",
                        original.state(),
                        original.username(),
                        original.permission(),
                        fresh,
                        original.createdBy(),
                        original.createdAt(),
                        null)));
        assertThat(access().findAlias("a2").orElseThrow().secretHash()).isEqualTo(sha256Of("secret-a2"));
        assertThat(access().replaceAliasSecret("missing", fresh)).isFalse();
        assertThat(access().findAlias("missing")).isEmpty();
    }

    @Test
    void revokedAliasCannotGetANewSecret() {
        access().createAlias(alias("a1", state("s"), T0));
        access().revokeAlias("a1", at(1));
        assertThat(access().replaceAliasSecret("a1", sha256Of("fresh"))).isFalse();
        AliasRecord kept = access().findAlias("a1").orElseThrow();
        assertThat(kept.secretHash()).isEqualTo(sha256Of("secret-a1"));
        assertThat(kept.revokedAt()).isEqualTo(ms(at(1)));
    }

    @Test
    void createdSessionIsFoundWithAllFieldsAtMillisecondPrecision() {
        createUser("alice");
        SessionRecord s = session("h1", "alice", at(1), at(2));
        access().createSession(s);
        assertThat(access().findSession("h1")).contains(withMillis(s));
        assertThat(access().findSession("h2")).isEmpty();
    }

    @Test
    void createSessionWithAnExistingIdHashThrowsAndKeepsTheOriginal() {
        createUser("alice");
        createUser("bob");
        String idHash = sha256Of("cookie");
        SessionRecord original = session(idHash, "alice", T0, T0);
        access().createSession(original);
        SessionRecord clash = new SessionRecord(idHash, "bob", "csrf-of-the-clash", at(5), at(5));
        assertThatThrownBy(() -> access().createSession(clash))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(String.valueOf(e.getMessage()))
                        .doesNotContain(clash.csrfToken())
                        .doesNotContain(idHash));
        assertThat(access().findSession(idHash)).contains(withMillis(original));
    }

    @Test
    void createSessionOfAMissingUserThrows() {
        assertThatThrownBy(() -> access().createSession(session("h1", "nobody", T0, T0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(access().findSession("h1")).isEmpty();
    }

    @Test
    void touchSessionMovesOnlyLastSeen() {
        createUser("alice");
        SessionRecord s = session("h1", "alice", at(1), at(1));
        access().createSession(s);
        access().createSession(session("h2", "alice", at(1), at(1)));
        assertThat(access().touchSession("h1", at(30_000))).isTrue();
        assertThat(access().findSession("h1"))
                .contains(new SessionRecord("h1", "alice", s.csrfToken(), ms(at(1)), ms(at(30_000))));
        assertThat(access().findSession("h2").orElseThrow().lastSeenAt()).isEqualTo(ms(at(1)));
        assertThat(access().touchSession("missing", at(30_000))).isFalse();
        assertThat(access().findSession("missing")).isEmpty();
    }

    @Test
    void deleteSessionEndsOneSessionOnce() {
        createUser("alice");
        access().createSession(session("h1", "alice", T0, T0));
        access().createSession(session("h2", "alice", T0, T0));
        assertThat(access().deleteSession("h1")).isTrue();
        assertThat(access().deleteSession("h1")).isFalse();
        assertThat(access().deleteSession("missing")).isFalse();
        assertThat(access().findSession("h1")).isEmpty();
        assertThat(access().findSession("h2")).isPresent();
    }

    @Test
    void deleteSessionsOfEndsEverySessionOfTheUserAndCountsThem() {
        createUser("alice");
        createUser("bob");
        for (String h : List.of("a1", "a2", "a3")) {
            access().createSession(session(h, "alice", T0, T0));
        }
        access().createSession(session("b1", "bob", T0, T0));
        assertThat(access().deleteSessionsOf("alice")).isEqualTo(3);
        assertThat(access().deleteSessionsOf("alice")).isZero();
        assertThat(access().deleteSessionsOf("nobody")).isZero();
        assertThat(access().findSession("a2")).isEmpty();
        assertThat(access().findSession("b1")).isPresent();
        assertThat(access().findUser("alice")).isPresent();
    }

    @Test
    void deleteExpiredSessionsRemovesIdleAndTooOldOnes() {
        createUser("alice");
        Instant base = Instant.parse("2026-03-01T10:00:00Z");
        // created, last seen (seconds after base)
        access().createSession(session("idle", "alice", base.plusSeconds(100), base.plusSeconds(100)));
        access().createSession(session("old", "alice", base, base.plusSeconds(500)));
        access().createSession(session("fresh", "alice", base.plusSeconds(200), base.plusSeconds(500)));
        access().createSession(session("at-idle-bound", "alice", base.plusSeconds(200), base.plusSeconds(300)));
        access().createSession(session("at-age-bound", "alice", base.plusSeconds(50), base.plusSeconds(500)));

        // Idle before 300 s, created before 50 s: the bounds themselves are not before them.
        assertThat(access().deleteExpiredSessions(base.plusSeconds(300), base.plusSeconds(50)))
                .isEqualTo(2);
        assertThat(access().findSession("idle")).isEmpty();
        assertThat(access().findSession("old")).isEmpty();
        assertThat(access().findSession("fresh")).isPresent();
        assertThat(access().findSession("at-idle-bound")).isPresent();
        assertThat(access().findSession("at-age-bound")).isPresent();
        assertThat(access().deleteExpiredSessions(base.plusSeconds(300), base.plusSeconds(50)))
                .isZero();
    }

    @Test
    void deleteExpiredSessionsComparesWithBoundsOfFullPrecision() {
        createUser("alice");
        Instant base = Instant.parse("2026-03-01T10:00:00Z");
        access().createSession(session("idle", "alice", base.plusSeconds(100), base.plusSeconds(300)));
        access().createSession(session("old", "alice", base.plusSeconds(50), base.plusSeconds(500)));
        access().createSession(session("kept", "alice", base.plusSeconds(51), base.plusSeconds(301)));
        // A nanosecond past the stored millisecond: each stored time is before its bound.
        assertThat(access().deleteExpiredSessions(
                                base.plusSeconds(300).plusNanos(1),
                                base.plusSeconds(50).plusNanos(1)))
                .isEqualTo(2);
        assertThat(access().findSession("idle")).isEmpty();
        assertThat(access().findSession("old")).isEmpty();
        assertThat(access().findSession("kept")).isPresent();
    }

    // ---- authentication failures ---------------------------------------------------------------

    private static final java.time.Duration WINDOW = java.time.Duration.ofMinutes(15);

    @Test
    void authFailuresCountPerKeyWithinTheirWindow() {
        assertThat(access().countAuthFailure("ip:192.0.2.1", at(0), WINDOW, 3).failures())
                .isEqualTo(1);
        assertThat(access().countAuthFailure("ip:192.0.2.1", at(1_000), WINDOW, 3)
                        .failures())
                .isEqualTo(2);
        assertThat(access().countAuthFailure("user:alice", at(1_000), WINDOW, 3).failures())
                .isEqualTo(1);
        assertThat(access().countAuthFailure("ip:192.0.2.1", at(2_000), WINDOW, 3)
                        .failures())
                .isEqualTo(3);
        // a counted failure renewed the window: 15 min after the first, it still counts
        assertThat(access().countAuthFailure("ip:192.0.2.1", at(WINDOW.toMillis() + 500), WINDOW, 3)
                        .failures())
                .isEqualTo(4);
        // once the window has passed without a counted failure, the count starts again
        assertThat(access().countAuthFailure("user:alice", at(1_000 + WINDOW.toMillis()), WINDOW, 3)
                        .failures())
                .isEqualTo(1);
    }

    @Test
    void authFailuresOverTheRenewalBoundDoNotKeepTheWindowOpen() {
        assertThat(access().countAuthFailure("k", at(0), WINDOW, 1))
                .isEqualTo(new AuthFailureCount(1, ms(at(0).plus(WINDOW))));
        for (int i = 1; i <= 5; i++) {
            assertThat(access().countAuthFailure("k", at(i * 60_000L), WINDOW, 1))
                    .as("over the renewal bound the window keeps its end")
                    .isEqualTo(new AuthFailureCount(1 + i, ms(at(0).plus(WINDOW))));
        }
        assertThat(access().countAuthFailure("k", at(WINDOW.toMillis()), WINDOW, 1)
                        .failures())
                .as("the window of the one counted failure has ended")
                .isEqualTo(1);
    }

    @Test
    void aForgivenAuthFailureIsTakenBackButNeverBelowZero() {
        access().countAuthFailure("k", at(0), WINDOW, 10);
        access().countAuthFailure("k", at(1), WINDOW, 10);
        access().forgiveAuthFailure("k");
        assertThat(access().countAuthFailure("k", at(2), WINDOW, 10).failures()).isEqualTo(2);
        access().forgiveAuthFailure("k");
        access().forgiveAuthFailure("k");
        access().forgiveAuthFailure("k");
        assertThat(access().countAuthFailure("k", at(3), WINDOW, 10).failures()).isEqualTo(1);
        access().forgiveAuthFailure("never-counted");
        assertThat(access().countAuthFailure("never-counted", at(4), WINDOW, 10).failures())
                .isEqualTo(1);
    }
}
