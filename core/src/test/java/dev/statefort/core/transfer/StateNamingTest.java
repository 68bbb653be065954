package dev.statefort.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 15 point 2: the one documented rule that names an imported state after its path and workspace. */
class StateNamingTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "terraform.tfstate, default",
        "network/terraform.tfstate, network",
        "prod/network/terraform.tfstate, prod-network",
        "network.tfstate, network",
        "prod/network.tfstate, prod-network",
        "terraform.tfstate.d/staging/terraform.tfstate, staging",
        "network/terraform.tfstate.d/staging/terraform.tfstate, network-staging",
        "'my stack/terraform.tfstate', my_stack",
        "_private/x.tfstate, private-x",
        "./a//b.tfstate, a-b"
    })
    void aPathNamesItsState(String path, String name) {
        assertThat(StateNaming.fromPath(path)).isEqualTo(name);
    }

    @Test
    void workspacesAddTheirNameAndReplaceDefault() {
        assertThat(StateNaming.withWorkspace("network", "default")).isEqualTo("network");
        assertThat(StateNaming.withWorkspace("network", "prod")).isEqualTo("network-prod");
        assertThat(StateNaming.withWorkspace("default", "prod")).isEqualTo("prod");
        assertThat(StateNaming.forWorkspace("", "default")).isEqualTo("default");
        assertThat(StateNaming.forWorkspace("", "prod")).isEqualTo("prod");
        assertThat(StateNaming.forWorkspace("teams/net", "eu west")).isEqualTo("teams-net-eu_west");
    }
}
