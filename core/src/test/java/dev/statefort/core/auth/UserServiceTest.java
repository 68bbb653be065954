package dev.statefort.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.Role;
import dev.statefort.core.model.SessionRecord;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserServiceTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private InMemoryMetadataStore metadata;
    private UserService users;

    @BeforeEach
    void setUp() {
        metadata = new InMemoryMetadataStore();
        metadata.createProject("infra", Instant.EPOCH);
        users = new UserService(metadata, PasswordHasher.withCost(8, 1, 1), clock);
    }

    @Test
    void theFirstStartAdminHasAGeneratedPasswordToChangeAndOnlyOnce() {
        UserService.NewUser admin = users.bootstrapAdmin().orElseThrow();

        assertThat(admin.user().name()).isEqualTo("admin");
        assertThat(admin.user().globalAdmin()).isTrue();
        assertThat(admin.user().mustChangePassword()).isTrue();
        assertThat(admin.password()).hasSize(24);
        assertThat(admin.user().passwordHash()).doesNotContain(admin.password());
        assertThat(users.verify("admin", admin.password())).isPresent();
        assertThat(users.bootstrapAdmin()).isEmpty();
    }

    @Test
    void verifyAcceptsOnlyTheRightPasswordOfAnExistingUser() {
        users.create("alice", "correct horse battery", false);

        assertThat(users.verify("alice", "correct horse battery")).isPresent();
        assertThat(users.verify("alice", "wrong horse battery")).isEmpty();
        assertThat(users.verify("nobody", "correct horse battery")).isEmpty();
        assertThat(users.verify("alice", null)).isEmpty();
    }

    @Test
    void passwordsAreCheckedAndChangingOneEndsTheSessions() {
        assertThatThrownBy(() -> users.create("short", "tiny", false)).isInstanceOf(InvalidInputException.class);
        users.create("alice", "correct horse battery", false);
        assertThatThrownBy(() -> users.create("alice", "another long password", false))
                .isInstanceOf(ConflictException.class);
        metadata.access()
                .createSession(new SessionRecord("h".repeat(64), "alice", "csrf", clock.instant(), clock.instant()));

        users.setPassword("alice", "a brand new password", false);

        assertThat(users.verify("alice", "correct horse battery")).isEmpty();
        assertThat(users.verify("alice", "a brand new password")).isPresent();
        assertThat(metadata.access().findSession("h".repeat(64))).isEmpty();
        assertThatThrownBy(() -> users.setPassword("ghost", "a brand new password", false))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void rolesMakeTheUsersPrincipal() {
        users.create("alice", "correct horse battery", false);
        users.putMember("infra", "alice", Role.WRITER);

        Principal alice = users.principalOf(users.find("alice").orElseThrow());

        assertThat(alice.name()).isEqualTo("user:alice");
        assertThat(alice.allows("infra", Permission.WRITE)).isTrue();
        assertThat(alice.allows("infra", Permission.ADMIN)).isFalse();
        assertThat(alice.canSee("other")).isFalse();
        assertThatThrownBy(() -> users.putMember("ghost", "alice", Role.VIEWER))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThatThrownBy(() -> users.putMember("infra", "ghost", Role.VIEWER)).isInstanceOf(NotFoundException.class);
    }
}
