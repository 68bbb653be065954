package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code auth-failure-limit = 3}: a source address that failed 3 times gets 429; other addresses do not. */
class AuthThrottleTest extends AccessFixture {
    private static final String BAD_TOKEN = "sft_aaaaaaaaaaaa_" + "0".repeat(64);

    @Override
    Map<String, String> extraConfig() {
        return Map.of("auth-failure-limit", "3");
    }

    private void failThreeTimes() {
        for (int i = 0; i < 3; i++) {
            Resp r = tok("GET", "/tf/default/app", null, BAD_TOKEN + i);
            assertThat(r.status()).as(r.toString()).isEqualTo(403);
        }
    }

    @Test
    void afterTheLimitEvenAGoodTokenGets429WithRetryAfter() {
        expect(200, tok("POST", "/tf/default/app", state(1, "seed"), rootToken));
        failThreeTimes();

        Resp good = tok("GET", "/tf/default/app", null, rootToken);
        assertThat(good.status()).as(good.toString()).isEqualTo(429);
        assertThat(good.header("Retry-After")).isNotNull().matches("[1-9][0-9]*");
        assertThat(good.body()).doesNotContain("seed");

        for (Resp r : new Resp[] {
            tok("GET", "/api/v1/projects", null, rootToken),
            tok("POST", "/tf/default/app", state(2, "blocked"), rootToken),
            tok("GET", "/tf/default/app", null, BAD_TOKEN),
            loginResponse("admin", adminPassword),
            basic("GET", "/tf/alias/" + "a".repeat(24), null, "alias-x", "y")
        }) {
            assertThat(r.status()).as(r.toString()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isNotNull();
        }
    }

    @Test
    void wrongPasswordsCountTowardsTheLimitToo() {
        for (int i = 0; i < 3; i++) {
            assertThat(loginResponse("admin", "wrong password " + i).status()).isEqualTo(401);
        }
        Resp r = loginResponse("admin", adminPassword);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(r.header("Retry-After")).isNotNull();
    }

    @Test
    void anotherSourceAddressIsUnaffected() throws Exception {
        failThreeTimes();
        assertThat(tok("GET", "/api/v1/projects", null, rootToken).status()).isEqualTo(429);

        HttpClient other = clientFrom("127.0.0.2");
        Resp r = send(
                other, "POST", "/tf/default/app", state(1, "from-two"), Map.of("Authorization", "Bearer " + rootToken));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Resp login = send(
                other,
                "POST",
                "/api/v1/session",
                "{\"username\":\"admin\",\"password\":\"" + adminPassword + "\"}",
                Map.of());
        assertThat(login.status()).isEqualTo(200);
        Resp audit = send(
                other,
                "GET",
                "/api/v1/audit?project=default&action=state.write",
                null,
                Map.of("Authorization", "Bearer " + rootToken));
        assertThat(audit.json().path("items"))
                .singleElement()
                .satisfies(e -> assertThat(e.path("sourceIp").asText()).isEqualTo("127.0.0.2"));
        // and 127.0.0.1 is still throttled
        assertThat(tok("GET", "/api/v1/projects", null, rootToken).status()).isEqualTo(429);
    }
}
