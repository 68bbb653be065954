package dev.statefort.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 28 point 1: the operator's OIDC issuers ({@code oidc.<name>.*}, {@code STATEFORT_OIDC_<NAME>_<KEY>}), validated at start. */
class OidcConfigTest {
    @TempDir
    Path tmp;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("STATEFORT_DATA_DIR", tmp.toString()));
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void issuersComeFromTheFileAndTheEnvironmentAndTheGraceHasADefault() throws Exception {
        Path file = tmp.resolve("statefort.properties");
        Files.writeString(
                file,
                "oidc.github.issuer=https://token.actions.githubusercontent.com\n"
                        + "oidc.github.audience=https://state.example.com\n");
        ServerConfig c = ConfigLoader.load(
                Map.of(),
                env(
                        "STATEFORT_OIDC_GITLAB_ISSUER", "https://gitlab.example.com",
                        "STATEFORT_OIDC_GITLAB_AUDIENCE", "statefort",
                        "STATEFORT_OIDC_GITLAB_JWKS_URL", "https://gitlab.example.com/oauth/discovery/keys",
                        "STATEFORT_OIDC_TOKEN", "a CI job's token for statefort run: not a server setting"),
                file);
        assertThat(c.oidc().issuers()).extracting(OidcSettings.Issuer::name).containsExactly("github", "gitlab");
        OidcSettings.Issuer gitlab = c.oidc().issuers().get(1);
        assertThat(gitlab.jwksUrl()).isEqualTo(URI.create("https://gitlab.example.com/oauth/discovery/keys"));
        assertThat(gitlab.audience()).isEqualTo("statefort");
        assertThat(c.oidc().lockGrace()).isEqualTo(Duration.ofHours(2));
        assertThat(ConfigLoader.load(Map.of(), env("STATEFORT_JWT_LOCK_GRACE", "30m"), null)
                        .oidc()
                        .lockGrace())
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void plainHttpIsRefusedUnlessTheHostIsALoopbackAddress() {
        assertThatThrownBy(() -> ConfigLoader.load(
                        Map.of(),
                        env(
                                "STATEFORT_OIDC_CI_ISSUER", "http://issuer.example.com",
                                "STATEFORT_OIDC_CI_AUDIENCE", "x",
                                "STATEFORT_OIDC_K8S_ISSUER", "https://k8s.example.com",
                                "STATEFORT_OIDC_K8S_AUDIENCE", "x",
                                "STATEFORT_OIDC_K8S_JWKS_URL", "http://10.0.0.1/keys"),
                        null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("STATEFORT_OIDC_CI_ISSUER must be an https:// address")
                .hasMessageContaining("STATEFORT_OIDC_K8S_JWKS_URL must be an https:// address");
        ServerConfig local = ConfigLoader.load(
                Map.of(),
                env("STATEFORT_OIDC_CI_ISSUER", "http://127.0.0.1:9000", "STATEFORT_OIDC_CI_AUDIENCE", "x"),
                null);
        assertThat(local.oidc().issuers()).hasSize(1);
    }

    @Test
    void anIssuerNeedsItsAudienceAndAKnownKeyAndAReadableCaFile() {
        assertThatThrownBy(() -> ConfigLoader.load(
                        Map.of(),
                        env(
                                "STATEFORT_OIDC_CI_ISSUER", "https://ci.example.com",
                                "STATEFORT_OIDC_CI_CA_FILE",
                                        tmp.resolve("missing.pem").toString(),
                                "STATEFORT_OIDC_CI_SECRET", "x"),
                        null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("OIDC issuer 'ci' needs oidc.ci.audience")
                .hasMessageContaining("missing.pem is not a readable file")
                .hasMessageContaining("STATEFORT_OIDC_CI_SECRET names no OIDC setting");
    }
}
