package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The throttle's keys and counting, without HTTP (issue 10 point 5). */
class AuthFailureThrottleTest {
    private final InMemoryMetadataStore store = new InMemoryMetadataStore();
    private final TestClock clock = new TestClock();

    @Test
    void ipv6SourcesAreGroupedByTheirSlash64AndIpv4ByAddress() {
        assertThat(AuthFailureThrottle.sourceKey("2001:db8:1:2:aaaa::1"))
                .isEqualTo(AuthFailureThrottle.sourceKey("2001:db8:1:2:bbbb:cccc:dddd:2"));
        assertThat(AuthFailureThrottle.sourceKey("2001:db8:1:2::1"))
                .isNotEqualTo(AuthFailureThrottle.sourceKey("2001:db8:1:3::1"));
        assertThat(AuthFailureThrottle.sourceKey("[2001:db8:1:2::1]"))
                .isEqualTo(AuthFailureThrottle.sourceKey("2001:db8:1:2::9"));
        assertThat(AuthFailureThrottle.sourceKey("192.0.2.1")).isNotEqualTo(AuthFailureThrottle.sourceKey("192.0.2.2"));
    }

    @Test
    void anotherAddressInTheSameSlash64SharesTheLimit() {
        AuthFailureThrottle throttle = new AuthFailureThrottle(2, Duration.ofMinutes(15), store.access(), clock);
        throttle.beginPasswordAttempt("2001:db8:0:1::1", "a").failed();
        throttle.beginPasswordAttempt("2001:db8:0:1::2", "b").failed();
        assertThatThrownBy(() -> throttle.beginPasswordAttempt("2001:db8:0:1::3", "c"))
                .isInstanceOf(TooManyFailuresException.class);
        throttle.beginPasswordAttempt("2001:db8:0:2::1", "d").succeeded();
    }

    @Test
    void aFailingSecretIsRefusedOnlyOverTheLimit() {
        AuthFailureThrottle throttle = new AuthFailureThrottle(1, Duration.ofMinutes(15), store.access(), clock);
        throttle.secretFailed("192.0.2.7");
        assertThatThrownBy(() -> throttle.secretFailed("192.0.2.7")).isInstanceOf(TooManyFailuresException.class);
        throttle.secretFailed("192.0.2.8");
    }

    /** Attempts refused with 429 neither count nor keep the window open: a user name is not locked out for good. */
    @Test
    void refusedAttemptsDoNotKeepTheWindowOpen() {
        AuthFailureThrottle throttle = new AuthFailureThrottle(1, Duration.ofMinutes(15), store.access(), clock);
        throttle.beginPasswordAttempt("192.0.2.9", "admin").failed();
        for (int minute = 1; minute < 15; minute++) {
            clock.advance(Duration.ofMinutes(1));
            assertThatThrownBy(() -> throttle.beginPasswordAttempt("192.0.2.10", "admin"))
                    .isInstanceOf(TooManyFailuresException.class);
        }
        clock.advance(Duration.ofMinutes(1));
        throttle.beginPasswordAttempt("192.0.2.10", "admin").succeeded();
    }

    /** Two nodes on one database share the counts: a guesser gets the limit in all, not per node. */
    @Test
    void nodesSharingADatabaseShareTheCount() {
        AuthFailureThrottle nodeA = new AuthFailureThrottle(2, Duration.ofMinutes(15), store.access(), clock);
        AuthFailureThrottle nodeB = new AuthFailureThrottle(2, Duration.ofMinutes(15), store.access(), clock);
        nodeA.secretFailed("192.0.2.50");
        nodeB.secretFailed("192.0.2.50");
        assertThatThrownBy(() -> nodeA.secretFailed("192.0.2.50")).isInstanceOf(TooManyFailuresException.class);
        assertThatThrownBy(() -> nodeB.secretFailed("192.0.2.50")).isInstanceOf(TooManyFailuresException.class);
    }

    /** Issue 25 finding 6: the node's block list is bounded; a forgotten key is counted in the database again. */
    @Test
    void theBlockListForgetsItsOldestKeyWhenFull() {
        FailureBlockList blocked = new FailureBlockList(2);
        blocked.block("ip:a", clock.instant().plus(Duration.ofMinutes(1)));
        blocked.block("ip:b", clock.instant().plus(Duration.ofMinutes(1)));
        blocked.block("ip:c", clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(blocked.size()).isEqualTo(2);
        assertThat(blocked.isBlocked("ip:a", clock.instant())).isFalse();
        assertThat(blocked.isBlocked("ip:c", clock.instant())).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(blocked.isBlocked("ip:c", clock.instant()))
                .as("its window has ended")
                .isFalse();
    }
}
