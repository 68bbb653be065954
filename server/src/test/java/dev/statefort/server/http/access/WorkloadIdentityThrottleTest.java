package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.testing.FakeOidcIssuer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 28 point 3: a bad OIDC token counts towards the authentication-failure throttle like a bad API token. */
class WorkloadIdentityThrottleTest extends AccessFixture {
    static FakeOidcIssuer ci;

    @BeforeAll
    static void startIssuer() throws Exception {
        ci = FakeOidcIssuer.start();
    }

    @AfterAll
    static void stopIssuer() {
        ci.close();
    }

    @Override
    Map<String, String> extraConfig() {
        Map<String, String> settings = new HashMap<>(ci.settings("ci"));
        settings.put("auth-failure-limit", "2");
        return settings;
    }

    @Test
    void badTokensFromOneAddressAreThrottled() {
        String wrongAudience = ci.signRs256(ci.claims("repo:a/b:ref:main", clock.instant(), 300)
                .audience("elsewhere")
                .build());
        expect(403, tok("GET", "/tf/default/s", null, wrongAudience));
        expect(403, tok("GET", "/tf/default/s", null, wrongAudience));
        assertThat(tok("GET", "/tf/default/s", null, wrongAudience).status()).isEqualTo(429);
    }
}
