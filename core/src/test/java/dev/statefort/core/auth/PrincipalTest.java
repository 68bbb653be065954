package dev.statefort.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrincipalTest {
    @Test
    void aUserHasTheHigherOfGlobalAndProjectPermissions() {
        Principal p = new Principal("user:a", Permission.READ, Map.of("infra", Permission.ADMIN), null);

        assertThat(p.permissionIn("infra")).isEqualTo(Permission.ADMIN);
        assertThat(p.permissionIn("other")).isEqualTo(Permission.READ);
        assertThat(p.isGlobalAdmin()).isFalse();
    }

    @Test
    void narrowingNeverWidens() {
        Principal writer = new Principal("user:a", null, Map.of("infra", Permission.WRITE), null);

        assertThat(writer.narrowed("t", "infra", null, Permission.ADMIN).permissionIn("infra"))
                .isEqualTo(Permission.WRITE);
        assertThat(writer.narrowed("t", "infra", null, Permission.READ).permissionIn("infra"))
                .isEqualTo(Permission.READ);
        assertThat(writer.narrowed("t", "apps", null, Permission.READ)).isNull();
        Principal state = writer.narrowed("t", "infra", new StateKey("infra", "net"), Permission.WRITE);
        assertThat(state.allows(new StateKey("infra", "net"), Permission.WRITE)).isTrue();
        assertThat(state.allows(new StateKey("infra", "dns"), Permission.READ)).isFalse();
        assertThat(state.narrowed("t2", "infra", null, Permission.READ))
                .as("a single-state principal cannot become project-wide")
                .isNull();
    }

    @Test
    void theTokenIdIsThatOfARobotOrAUsersTokenOnly() {
        assertThat(new Principal("token:abc123def456", null, Permission.READ).tokenId())
                .isEqualTo("abc123def456");
        assertThat(new Principal("user:alice/token:abc123def456", null, Permission.READ).tokenId())
                .isEqualTo("abc123def456");
        for (String none : new String[] {"user:alice", "alias:x", "cli:root", "cert:CN=a/token:x"}) {
            assertThat(new Principal(none, null, Permission.READ).tokenId())
                    .as(none)
                    .isNull();
        }
    }
}
