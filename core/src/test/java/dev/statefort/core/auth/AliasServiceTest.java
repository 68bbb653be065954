package dev.statefort.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AliasServiceTest {
    private static final StateKey NETWORK = new StateKey("infra", "network");
    private AliasService aliases;

    @BeforeEach
    void setUp() {
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        metadata.createProject("infra", Instant.EPOCH);
        aliases = new AliasService(metadata.access(), new TestClock(Instant.parse("2026-12-01T10:00:00Z")));
    }

    @Test
    void anAliasAcceptsOnlyItsOwnCredentialsAndActsOnItsStateOnly() {
        AliasService.IssuedAlias issued = aliases.create(NETWORK, Permission.WRITE, "user:admin");
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
        AliasService.IssuedAlias issued = aliases.create(NETWORK, Permission.READ, "user:admin");
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
        assertThatThrownBy(() -> aliases.create(NETWORK, Permission.ADMIN, "user:admin"))
                .isInstanceOf(InvalidInputException.class);
    }
}
