package dev.statefort.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionServiceTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private InMemoryMetadataStore metadata;
    private UserService users;
    private SessionService sessions;

    @BeforeEach
    void setUp() {
        metadata = new InMemoryMetadataStore();
        users = new UserService(metadata, PasswordHasher.withCost(8, 1, 1), clock);
        users.create("alice", "correct horse battery", false);
        sessions = new SessionService(metadata.access(), users, clock, Duration.ofMinutes(30), Duration.ofHours(12));
    }

    @Test
    void loginMakesASessionStoredOnlyByTheHashOfItsCookie() {
        SessionService.IssuedSession s =
                sessions.login("alice", "correct horse battery").orElseThrow();

        assertThat(s.cookieValue()).matches("[0-9a-f]{64}");
        assertThat(s.session().idHash()).isNotEqualTo(s.cookieValue());
        assertThat(metadata.access().findSession(s.cookieValue())).isEmpty();
        assertThat(sessions.resolve(s.cookieValue()).orElseThrow().user().name())
                .isEqualTo("alice");
        assertThat(sessions.login("alice", "wrong password!!")).isEmpty();
        assertThat(sessions.resolve("f".repeat(64))).isEmpty();
        assertThat(sessions.resolve("not-hex")).isEmpty();
    }

    @Test
    void aSessionEndsWhenIdleTooLong() {
        String cookie =
                sessions.login("alice", "correct horse battery").orElseThrow().cookieValue();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.resolve(cookie)).as("used within the idle timeout").isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.resolve(cookie)).as("the last use renewed it").isPresent();

        clock.advance(Duration.ofMinutes(30));

        assertThat(sessions.resolve(cookie)).isEmpty();
    }

    @Test
    void aSessionEndsAtItsMaximumAgeEvenWhenInUse() {
        String cookie =
                sessions.login("alice", "correct horse battery").orElseThrow().cookieValue();
        for (int i = 0; i < 24; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.resolve(cookie)).isPresent();
        }
        clock.advance(Duration.ofMinutes(29));

        assertThat(sessions.resolve(cookie)).as("12 h after login").isEmpty();
    }

    @Test
    void logoutAndAPasswordChangeEndTheSession() {
        String first =
                sessions.login("alice", "correct horse battery").orElseThrow().cookieValue();
        String second =
                sessions.login("alice", "correct horse battery").orElseThrow().cookieValue();

        assertThat(sessions.logout(first)).isTrue();
        assertThat(sessions.resolve(first)).isEmpty();
        assertThat(sessions.resolve(second)).isPresent();
        users.setPassword("alice", "a brand new password", false);
        assertThat(sessions.resolve(second)).isEmpty();
    }
}
