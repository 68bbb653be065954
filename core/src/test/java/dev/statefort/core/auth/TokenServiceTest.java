package dev.statefort.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.Role;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
    private static final StateKey NETWORK = new StateKey("infra", "network");

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private InMemoryMetadataStore metadata;
    private UserService users;
    private TokenService tokens;

    @BeforeEach
    void setUp() {
        metadata = new InMemoryMetadataStore();
        metadata.createProject("infra", Instant.EPOCH);
        metadata.createProject("apps", Instant.EPOCH);
        users = new UserService(metadata, PasswordHasher.withCost(8, 1, 1), clock);
        tokens = new TokenService(metadata, users, clock);
    }

    @Test
    void theInitialAdminTokenIsMadeOnceEvenWhenTwoNodesTryAtOnce() {
        java.util.Optional<IssuedToken> first = tokens.createInitialAdmin(null);
        java.util.Optional<IssuedToken> second = tokens.createInitialAdmin(null);
        assertThat(first).isPresent();
        assertThat(second).as("the other node lost the race").isEmpty();
        assertThat(first.get().record().id()).isEqualTo(TokenService.INITIAL_ADMIN_ID);
        assertThat(tokens.authenticate(first.get().token()).orElseThrow().isGlobalAdmin())
                .isTrue();
        assertThat(tokens.list()).hasSize(1);
    }

    @Test
    void aCreatedTokenAuthenticatesWithItsScopeAndIsStoredOnlyAsAHash() {
        IssuedToken issued = tokens.create("infra", Permission.WRITE, "ci");
        assertThat(issued.token()).matches("sft_[a-z0-9]{12}_[0-9a-f]{64}");
        String secret = issued.token().substring(issued.token().lastIndexOf('_') + 1);
        TokenRecord stored = metadata.findToken(issued.record().id()).orElseThrow();
        assertThat(stored.secretHash()).doesNotContain(secret).hasSize(64);
        assertThat(stored.toString()).doesNotContain(stored.secretHash());

        Principal p = tokens.authenticate(issued.token()).orElseThrow();
        assertThat(p.permissionIn("infra")).isEqualTo(Permission.WRITE);
        assertThat(p.allows("infra", Permission.WRITE)).isTrue();
        assertThat(p.allows("infra", Permission.ADMIN)).isFalse();
        assertThat(p.allows("other", Permission.READ)).isFalse();
    }

    @Test
    void wrongSecretsMalformedTokensAndRevokedTokensDoNotAuthenticate() {
        IssuedToken issued = tokens.create(null, Permission.ADMIN, null);
        String t = issued.token();
        char last = t.charAt(t.length() - 1);
        String tampered = t.substring(0, t.length() - 1) + (last == 'a' ? 'b' : 'a');
        assertThat(tokens.authenticate(tampered)).isEmpty();
        assertThat(tokens.authenticate("sft_nope")).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(tokens.authenticate(t)).isPresent();

        assertThat(tokens.revoke(issued.record().id())).isTrue();
        assertThat(tokens.authenticate(t)).isEmpty();
        assertThat(tokens.revoke(issued.record().id())).isFalse();
    }

    @Test
    void aTokenForAMissingProjectIsRefused() {
        assertThatThrownBy(() -> tokens.create("ghost", Permission.READ, null))
                .isInstanceOf(ProjectNotFoundException.class);
    }

    @Test
    void aStateScopedTokenActsOnItsStateOnly() {
        Principal admin = globalAdmin();
        IssuedToken issued =
                tokens.create(new TokenRequest("one", "infra", "network", Permission.WRITE, null, null), admin);

        Principal p = tokens.authenticate(issued.token()).orElseThrow();

        assertThat(p.allows(NETWORK, Permission.WRITE)).isTrue();
        assertThat(p.allows(new StateKey("infra", "dns"), Permission.READ)).isFalse();
        assertThat(p.allows("infra", Permission.READ))
                .as("no project-wide access")
                .isFalse();
    }

    @Test
    void anExpiredTokenStopsWorking() {
        IssuedToken issued = tokens.create(
                new TokenRequest(
                        "short",
                        "infra",
                        null,
                        Permission.READ,
                        null,
                        clock.instant().plus(Duration.ofHours(1))),
                globalAdmin());
        assertThat(tokens.authenticate(issued.token())).isPresent();

        clock.advance(Duration.ofHours(1));

        assertThat(tokens.authenticate(issued.token())).isEmpty();
        assertThatThrownBy(() -> tokens.create(
                        new TokenRequest("past", "infra", null, Permission.READ, null, clock.instant()), globalAdmin()))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void useIsRecordedAtMostOnceAMinute() {
        IssuedToken issued = tokens.create("infra", Permission.READ, null);
        assertThat(metadata.findToken(issued.record().id()).orElseThrow().lastUsedAt())
                .isNull();

        tokens.authenticate(issued.token());
        Instant first = metadata.findToken(issued.record().id()).orElseThrow().lastUsedAt();
        clock.advance(Duration.ofSeconds(30));
        tokens.authenticate(issued.token());
        Instant second = metadata.findToken(issued.record().id()).orElseThrow().lastUsedAt();
        clock.advance(Duration.ofSeconds(31));
        tokens.authenticate(issued.token());
        Instant third = metadata.findToken(issued.record().id()).orElseThrow().lastUsedAt();

        assertThat(first).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first.plusSeconds(61));
    }

    @Test
    void aUserTokenNeverGrantsMoreThanItsOwnerHasNow() {
        users.create("alice", "correct horse battery", false);
        users.putMember("infra", "alice", Role.ADMIN);
        Principal alice = users.principalOf(users.find("alice").orElseThrow());
        IssuedToken issued =
                tokens.create(new TokenRequest("mine", "infra", null, Permission.ADMIN, "alice", null), alice);
        assertThat(tokens.authenticate(issued.token()).orElseThrow().allows("infra", Permission.ADMIN))
                .isTrue();

        users.putMember("infra", "alice", Role.VIEWER);
        Principal demoted = tokens.authenticate(issued.token()).orElseThrow();
        assertThat(demoted.allows("infra", Permission.READ)).isTrue();
        assertThat(demoted.allows("infra", Permission.WRITE))
                .as("the owner is a viewer now")
                .isFalse();
        assertThat(demoted.name())
                .isEqualTo("user:alice/token:" + issued.record().id());

        users.removeMember("infra", "alice");
        assertThat(tokens.authenticate(issued.token()))
                .as("the owner has nothing left in the project")
                .isEmpty();
        users.putMember("infra", "alice", Role.WRITER);
        users.delete("alice");
        assertThat(tokens.authenticate(issued.token())).as("owner deleted").isEmpty();
    }

    @Test
    void nobodyCreatesATokenWithMoreThanTheyHave() {
        users.create("bob", "correct horse battery", false);
        users.putMember("infra", "bob", Role.WRITER);
        Principal bob = users.principalOf(users.find("bob").orElseThrow());

        assertThatThrownBy(
                        () -> tokens.create(new TokenRequest(null, "infra", null, Permission.ADMIN, "bob", null), bob))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> tokens.create(new TokenRequest(null, "apps", null, Permission.READ, "bob", null), bob))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> tokens.create(new TokenRequest(null, "infra", null, Permission.READ, null, null), bob))
                .as("a robot token needs the project admin role")
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> tokens.create(new TokenRequest(null, null, null, Permission.READ, "bob", null), bob))
                .as("all projects: global admins only")
                .isInstanceOf(AccessDeniedException.class);
        assertThat(tokens.create(new TokenRequest(null, "infra", "network", Permission.OUTPUTS, "bob", null), bob)
                        .record()
                        .state())
                .isEqualTo("network");
    }

    private static Principal globalAdmin() {
        return new Principal("cli:test", null, Permission.ADMIN);
    }
}
