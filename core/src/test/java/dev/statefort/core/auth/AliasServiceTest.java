package dev.statefort.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.model.AliasMaker;
import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.Role;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UserRecord;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AliasServiceTest {
    private static final StateKey NETWORK = new StateKey("infra", "network");
    /** The CLI: no user and no token, so nothing to record. */
    private static final Principal CLI = new Principal("cli:test", null, Permission.ADMIN);

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private InMemoryMetadataStore metadata;
    private UserService users;
    private TokenService tokens;
    private AliasService aliases;

    @BeforeEach
    void setUp() {
        metadata = new InMemoryMetadataStore();
        metadata.createProject("infra", Instant.EPOCH);
        users = new UserService(metadata, PasswordHasher.withCost(8, 1, 1), clock);
        tokens = new TokenService(metadata, users, clock);
        aliases = new AliasService(metadata.access(), tokens, users, clock);
    }

    @Test
    void anAliasAcceptsOnlyItsOwnCredentialsAndActsOnItsStateOnly() {
        AliasService.IssuedAlias issued = aliases.create(NETWORK, Permission.WRITE, CLI, null);
        String id = issued.alias().id();

        assertThat(id).hasSize(24);
        assertThat(issued.alias().secretHash()).doesNotContain(issued.password());
        Principal p = aliases.authenticate(id, issued.alias().username(), issued.password())
                .orElseThrow();
        assertThat(p.name()).isEqualTo("alias:" + id);
        assertThat(p.allows(NETWORK, Permission.WRITE)).isTrue();
        assertThat(p.allows(new StateKey("infra", "dns"), Permission.READ)).isFalse();
        assertThat(p.allows("infra", Permission.READ)).isFalse();
        assertThat(aliases.authenticate(id, "someone-else", issued.password())).isEmpty();
        assertThat(aliases.authenticate(id, issued.alias().username(), "wrong")).isEmpty();
        assertThat(aliases.authenticate("unknown", issued.alias().username(), issued.password()))
                .isEmpty();
    }

    @Test
    void rotatingOrRevokingCutsTheOldCredentialsOffAtOnce() {
        AliasService.IssuedAlias issued = aliases.create(NETWORK, Permission.READ, CLI, null);
        String id = issued.alias().id();
        String user = issued.alias().username();

        AliasService.IssuedAlias rotated = aliases.rotate(id);

        assertThat(aliases.authenticate(id, user, issued.password())).isEmpty();
        assertThat(aliases.authenticate(id, user, rotated.password())).isPresent();
        assertThat(aliases.revoke(id)).isTrue();
        assertThat(aliases.authenticate(id, user, rotated.password())).isEmpty();
    }

    @Test
    void anAliasCannotBeAdmin() {
        assertThatThrownBy(() -> aliases.create(NETWORK, Permission.ADMIN, CLI, null))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anAliasRecordsTheUserAndTheTokenThatMadeItAndExpiresWithTheToken() {
        UserRecord alice = users.create("alice", null, false).user();
        users.putMember("infra", "alice", Role.ADMIN);
        Instant tokenExpiry = clock.instant().plus(Duration.ofHours(1));
        IssuedToken token = tokens.create(
                new TokenRequest("t", "infra", null, Permission.ADMIN, "alice", tokenExpiry), session("alice"));
        Principal viaToken = tokens.authenticate(token.token()).orElseThrow();

        AliasRecord made =
                aliases.create(NETWORK, Permission.WRITE, viaToken, null).alias();
        assertThat(made.maker())
                .isEqualTo(new AliasMaker("alice", alice.id(), token.record().id()));
        assertThat(made.expiresAt()).as("never later than its token").isEqualTo(tokenExpiry);
        assertThat(made.createdBy()).isEqualTo(viaToken.name());

        Instant sooner = clock.instant().plus(Duration.ofMinutes(5));
        assertThat(aliases.create(NETWORK, Permission.READ, viaToken, sooner)
                        .alias()
                        .expiresAt())
                .isEqualTo(sooner);
        AliasRecord bySession =
                aliases.create(NETWORK, Permission.READ, session("alice"), null).alias();
        assertThat(bySession.maker()).isEqualTo(new AliasMaker("alice", alice.id(), null));
        assertThat(bySession.expiresAt()).isNull();
        assertThat(aliases.create(NETWORK, Permission.READ, CLI, null).alias().maker())
                .isEqualTo(AliasMaker.UNRECORDED);
    }

    @Test
    void anAliasWorksOnlyWhileItsMakingUserMayStillGrantIt() {
        users.create("alice", null, false);
        users.putMember("infra", "alice", Role.ADMIN);
        AliasService.IssuedAlias write = aliases.create(NETWORK, Permission.WRITE, session("alice"), null);
        AliasService.IssuedAlias read = aliases.create(NETWORK, Permission.READ, session("alice"), null);
        assertThat(works(write)).isTrue();

        users.putMember("infra", "alice", Role.VIEWER);
        assertThat(works(write)).as("alice may only read now").isFalse();
        assertThat(works(read)).isTrue();

        users.delete("alice");
        users.create("alice", null, true);
        assertThat(works(read))
                .as("a new alice, even a global admin, is someone else")
                .isFalse();
    }

    @Test
    void anAliasMadeWithATokenStopsWhenTheTokenIsRevokedOrExpires() {
        IssuedToken robot = tokens.create(
                "infra", Permission.ADMIN, "robot", clock.instant().plus(Duration.ofHours(2)));
        Principal viaRobot = tokens.authenticate(robot.token()).orElseThrow();
        AliasService.IssuedAlias ownExpiry = aliases.create(
                NETWORK, Permission.WRITE, viaRobot, clock.instant().plus(Duration.ofHours(1)));
        AliasService.IssuedAlias tokensExpiry = aliases.create(NETWORK, Permission.WRITE, viaRobot, null);
        assertThat(ownExpiry.alias().maker())
                .isEqualTo(new AliasMaker(null, null, robot.record().id()));
        assertThat(works(ownExpiry)).isTrue();

        clock.advance(Duration.ofHours(1));
        assertThat(works(ownExpiry)).as("its own expiry").isFalse();
        assertThat(works(tokensExpiry)).isTrue();

        tokens.revoke(robot.record().id());
        assertThat(works(tokensExpiry)).as("its token revoked").isFalse();
    }

    @Test
    void anAliasWithoutARecordedMakerWorksUntilRevoked() {
        AliasRecord legacy = new AliasRecord(
                "legacyalias0000000000000",
                NETWORK,
                "alias-legacy",
                Permission.WRITE,
                Secrets.sha256Hex("pw"),
                "user:gone",
                clock.instant(),
                null);
        metadata.access().createAlias(legacy);
        assertThat(aliases.authenticate(legacy.id(), "alias-legacy", "pw")).isPresent();
    }

    @Test
    void anExpiryInThePastIsRefused() {
        assertThatThrownBy(() -> aliases.create(NETWORK, Permission.READ, CLI, clock.instant()))
                .isInstanceOf(InvalidInputException.class);
    }

    private boolean works(AliasService.IssuedAlias issued) {
        return aliases.authenticate(issued.alias().id(), issued.alias().username(), issued.password())
                .isPresent();
    }

    private Principal session(String user) {
        return users.principalOf(users.find(user).orElseThrow());
    }
}
