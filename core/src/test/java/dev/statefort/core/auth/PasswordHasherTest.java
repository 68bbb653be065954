package dev.statefort.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = PasswordHasher.standard();

    @Test
    void hashesAreArgon2idWithARandomSaltAndVerifyOnlyTheirPassword() {
        String a = hasher.hash("correct horse battery");
        String b = hasher.hash("correct horse battery");

        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct horse");
        assertThat(a).as("a fresh salt each time").isNotEqualTo(b);
        assertThat(hasher.verify("correct horse battery", a)).isTrue();
        assertThat(hasher.verify("correct horse batterY", a)).isFalse();
        assertThat(hasher.verify("", a)).isFalse();
    }

    @Test
    void hashesMadeWithOtherParametersStillVerify() {
        String cheap = PasswordHasher.withCost(8, 1, 1).hash("another password");

        assertThat(hasher.verify("another password", cheap)).isTrue();
    }

    @Test
    void malformedHashesNeverMatch() {
        assertThat(hasher.verify("x", null)).isFalse();
        assertThat(hasher.verify("x", "")).isFalse();
        assertThat(hasher.verify("x", "$argon2i$v=19$m=8,t=1,p=1$AAAA$AAAA")).isFalse();
        assertThat(hasher.verify("x", "$argon2id$v=19$m=8,t=1,p=1$!!$AAAA")).isFalse();
        assertThat(hasher.verify("x", "$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA")).isFalse();
    }

    /** Issue 10 point 5: at most N hashes at once; a caller that gets no turn in time is told to retry (503), never "wrong password". */
    @Test
    void concurrentHashingIsBoundedAndAWaitThatRunsOutIsOverloadedNotAWrongPassword() throws Exception {
        dev.statefort.core.WorkPermits permits =
                new dev.statefort.core.WorkPermits("password checks", 1, java.time.Duration.ofMillis(50));
        PasswordHasher slow = new PasswordHasher(64 * 1024, 40, 1, permits);
        String stored = PasswordHasher.withCost(8, 1, 1).hash("correct horse battery");
        Thread busy = Thread.ofVirtual().start(() -> slow.hash("keeps the only permit for a while"));
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (permits.available() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(permits.available()).isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> slow.verify("correct horse battery", stored))
                    .isInstanceOf(dev.statefort.core.OverloadedException.class)
                    .hasMessageContaining("retry");
        } finally {
            busy.join();
        }
        assertThat(slow.verify("correct horse battery", stored)).isTrue();
        assertThat(permits.available()).isEqualTo(1);
    }
}
