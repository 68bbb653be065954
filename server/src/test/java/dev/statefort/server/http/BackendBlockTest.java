package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 12 point 7: one backend block for the Connect panel, new credentials, aliases and the banner. */
class BackendBlockTest {
    private static final String ADDRESS = "https://state.example/tf/team/network";

    @Test
    void theBlockNamesTheStateAndItsLockAndLeavesThePasswordToTheEnvironment() {
        assertThat(BackendBlock.hcl(ADDRESS, "terraform")).isEqualTo("""
                        terraform {
                          backend "http" {
                            address        = "https://state.example/tf/team/network"
                            lock_address   = "https://state.example/tf/team/network/lock"
                            unlock_address = "https://state.example/tf/team/network/lock"
                            username       = "terraform"
                            # password: export TF_HTTP_PASSWORD; never commit it
                          }
                        }""");
    }

    @Test
    void theEnvironmentSaysTheSame() {
        assertThat(BackendBlock.environment(ADDRESS, "ci", "sft_secret").lines())
                .containsExactly(
                        "export TF_HTTP_ADDRESS=" + ADDRESS,
                        "export TF_HTTP_LOCK_ADDRESS=" + ADDRESS + "/lock",
                        "export TF_HTTP_UNLOCK_ADDRESS=" + ADDRESS + "/lock",
                        "export TF_HTTP_USERNAME=ci",
                        "export TF_HTTP_PASSWORD=sft_secret");
    }
}
