package dev.statefort.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.project.ProjectNotFoundException;
import dev.statefort.core.spi.memory.InMemoryMetadataStore;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
    private InMemoryMetadataStore metadata;
    private TokenService tokens;

    @BeforeEach
    void setUp() {
        metadata = new InMemoryMetadataStore();
        metadata.createProject("infra", Instant.EPOCH);
        tokens = new TokenService(metadata, Clock.systemUTC());
    }

    @Test
    void aCreatedTokenAuthenticatesWithItsScopeAndIsStoredOnlyAsAHash() {
        IssuedToken issued = tokens.create("infra", Permission.WRITE, "ci");
        assertThat(issued.token()).matches("sft_[a-z0-9]{12}_[0-9a-f]{64}");
        String secret = issued.token().substring(issued.token().lastIndexOf('_') + 1);
        TokenRecord stored = metadata.findToken(issued.record().id()).orElseThrow();
        assertThat(stored.secretHash()).doesNotContain(secret).hasSize(64);

        Principal p = tokens.authenticate(issued.token()).orElseThrow();
        assertThat(p.project()).isEqualTo("infra");
        assertThat(p.permission()).isEqualTo(Permission.WRITE);
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
}
