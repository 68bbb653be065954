package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.Permission;
import dev.statefort.core.testing.TestClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 point 4 over HTTP: behind a trusted proxy the forwarded client address is the audit's
 * source and the throttle's key, and a forwarded https makes cookies Secure; from any other peer the
 * same headers change nothing.
 */
class TrustedProxiesHttpTest {
    private static final String STATE = "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}";

    @TempDir
    Path tmp;

    @Test
    void behindATrustedProxyTheForwardedClientIsTheSourceAndHttpsMakesCookiesSecure() throws Exception {
        try (TestServer server = TestServer.start(
                tmp.resolve("data"),
                new TestClock(),
                Map.of("trusted-proxies", "127.0.0.1", "auth-failure-limit", "3"))) {
            String token = server.token(null, Permission.ADMIN);
            assertThat(server.send(
                            "POST",
                            "/tf/default/net",
                            STATE,
                            Map.of(
                                    "Authorization",
                                    TestServer.bearer(token),
                                    "X-Forwarded-For",
                                    "6.6.6.6, 198.51.100.7")))
                    .extracting(TestServer.Response::status)
                    .isEqualTo(200);
            assertThat(writes(server)).extracting(AuditEvent::sourceIp).containsExactly("198.51.100.7");

            assertThat(login(server, Map.of("X-Forwarded-Proto", "https")).header("Set-Cookie"))
                    .contains("Secure");
            // the browser's origin behind the TLS proxy is https: a change from it is accepted
            assertThat(login(
                                    server,
                                    Map.of(
                                            "X-Forwarded-Proto",
                                            "https",
                                            "Origin",
                                            "https://127.0.0.1:" + server.port()))
                            .status())
                    .isEqualTo(200);

            // the throttle counts per forwarded client: one client over the limit, another still served
            for (int i = 0; i < 3; i++) {
                server.send(
                        "GET",
                        "/tf/default/net",
                        null,
                        Map.of(
                                "Authorization",
                                TestServer.bearer("sft_aaaaaaaaaaaa_" + "0".repeat(64)),
                                "X-Forwarded-For",
                                "198.51.100.66"));
            }
            assertThat(server.send(
                                    "GET",
                                    "/tf/default/net",
                                    null,
                                    Map.of(
                                            "Authorization",
                                            TestServer.bearer("sft_aaaaaaaaaaaa_" + "0".repeat(64)),
                                            "X-Forwarded-For",
                                            "198.51.100.66"))
                            .status())
                    .isEqualTo(429);
            assertThat(server.send(
                                    "GET",
                                    "/tf/default/net",
                                    null,
                                    Map.of(
                                            "Authorization",
                                            TestServer.bearer(token),
                                            "X-Forwarded-For",
                                            "198.51.100.7"))
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void fromAPeerThatIsNotTrustedTheHeadersChangeNothing() throws Exception {
        try (TestServer server = TestServer.start(tmp.resolve("data"), new TestClock(), Map.of())) {
            String token = server.token(null, Permission.ADMIN);
            server.send(
                    "POST",
                    "/tf/default/net",
                    STATE,
                    Map.of("Authorization", TestServer.bearer(token), "X-Forwarded-For", "198.51.100.7"));
            assertThat(writes(server)).extracting(AuditEvent::sourceIp).containsExactly("127.0.0.1");
            assertThat(login(server, Map.of("X-Forwarded-Proto", "https")).header("Set-Cookie"))
                    .doesNotContain("Secure");
            assertThat(attempt(
                                    server,
                                    Map.of(
                                            "X-Forwarded-Proto",
                                            "https",
                                            "Origin",
                                            "https://127.0.0.1:" + server.port()))
                            .status())
                    .as("an https origin the server cannot vouch for is another site")
                    .isEqualTo(403);
        }
    }

    /**
     * Issue 25 finding 9: behind a trusted proxy that records the client only in {@code Forwarded},
     * a client's own {@code X-Forwarded-For} used to name the source (the audit's, the throttle's
     * key), so it could pose as any address. Now the chains must agree; where they differ, the
     * request is the proxy's; where the proxy sets both, the client it names is the source.
     */
    @Test
    void aClientsOwnXForwardedForDoesNotNameTheSourceBehindAForwardedOnlyProxy() throws Exception {
        try (TestServer server =
                TestServer.start(tmp.resolve("data"), new TestClock(), Map.of("trusted-proxies", "127.0.0.1"))) {
            String token = server.token(null, Permission.ADMIN);
            Map<String, String> spoofed = Map.of(
                    "Authorization",
                    TestServer.bearer(token),
                    "X-Forwarded-For",
                    "6.6.6.6",
                    "Forwarded",
                    "for=198.51.100.30;proto=http");
            assertThat(server.send("POST", "/tf/default/net", STATE, spoofed).status())
                    .isEqualTo(200);
            Map<String, String> agreeing = Map.of(
                    "Authorization",
                    TestServer.bearer(token),
                    "X-Forwarded-For",
                    "198.51.100.31",
                    "Forwarded",
                    "for=198.51.100.31");
            assertThat(server.send("POST", "/tf/default/net", STATE.replace("\"serial\":1", "\"serial\":2"), agreeing)
                            .status())
                    .isEqualTo(200);
            assertThat(writes(server))
                    .extracting(AuditEvent::sourceIp)
                    .containsExactlyInAnyOrder("127.0.0.1", "198.51.100.31")
                    .doesNotContain("6.6.6.6");
        }
    }

    private static List<AuditEvent> writes(TestServer server) {
        return server.node().project().audit().list(new AuditQuery("default", "net", "state.write", 10, null));
    }

    private static TestServer.Response login(TestServer server, Map<String, String> headers) {
        TestServer.Response r = attempt(server, headers);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r;
    }

    private static TestServer.Response attempt(TestServer server, Map<String, String> headers) {
        if (server.node().access().users().find("proxied").isEmpty()) {
            server.node().access().users().create("proxied", "proxied password 1", false);
        }
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Type", "application/json");
        return server.send(
                "POST", "/api/v1/session", "{\"username\":\"proxied\",\"password\":\"proxied password 1\"}", all);
    }
}
