package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.statefort.core.model.Permission;
import dev.statefort.core.testing.TestClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 16 point 3: the access log (route template, status, bytes, duration, principal, request ID;
 * never a body, a token or an Authorization header) and {@code X-Request-Id} (kept from a trusted
 * proxy, else made here; returned and in JSON error bodies).
 */
class AccessLogTest {
    private static final String BODY_SECRET = "db-password-in-state-1234";

    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger access = (Logger) LoggerFactory.getLogger("statefort.access");
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        lines.start();
        access.addAppender(lines);
        server = TestServer.start(
                tmp.resolve("data"), new TestClock(), Map.of("access-log", "on", "trusted-proxies", "127.0.0.1"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        access.detachAppender(lines);
    }

    @Test
    void aLineGivesTheRouteTemplateStatusBytesPrincipalAndRequestIdAndNeverABodyOrAToken() {
        String token = server.token("default", Permission.WRITE);
        TestServer.Response written = server.send(
                "POST",
                "/tf/default/logged-state",
                "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"outputs\":{\"p\":{\"value\":\"" + BODY_SECRET
                        + "\",\"type\":\"string\"}},\"resources\":[]}",
                token);
        assertThat(written.status()).isEqualTo(200);
        TestServer.Response read = server.send("GET", "/tf/default/logged-state", null, token);

        List<String> messages = linesOnceThereAre(2);
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .startsWith("POST /tf/{project}/{state} 200 0B")
                .contains("principal=token:")
                .contains("request=" + written.header("X-Request-Id")));
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .startsWith("GET /tf/{project}/{state} 200 " + read.bytes().length + "B"));
        String everything = String.join("\n", messages)
                + lines.list.stream()
                        .map(e -> String.valueOf(e.getKeyValuePairs()))
                        .reduce("", String::concat);
        assertThat(everything)
                .doesNotContain(token)
                .doesNotContain(BODY_SECRET)
                .doesNotContain("logged-state")
                .doesNotContain("Bearer");
        ILoggingEvent event = lines.list.getLast();
        assertThat(event.getKeyValuePairs())
                .extracting(kv -> kv.key)
                .contains("route", "status", "bytes", "durationMs", "principal", "requestId");
    }

    /**
     * The access log's lines once there are {@code n} (at most 5 s): a line is written when the
     * request's handling ends, which may be just after its client has the answer.
     */
    private List<String> linesOnceThereAre(int n) {
        for (int i = 0; i < 500 && lines.list.size() < n; i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (lines) { // AppenderBase appends under the appender's own lock
            return List.copyOf(
                    lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        }
    }

    @Test
    void aRequestIdFromATrustedProxyIsKeptAndQuotedInJsonErrors() {
        String admin = server.token(null, Permission.ADMIN);
        TestServer.Response missing = server.send(
                "GET",
                "/api/v1/projects/nope",
                null,
                Map.of("Authorization", TestServer.bearer(admin), "X-Request-Id", "lb-req-42"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("X-Request-Id")).isEqualTo("lb-req-42");
        assertThat(missing.json().path("error").path("requestId").asText()).isEqualTo("lb-req-42");
        assertThat(linesOnceThereAre(1))
                .anySatisfy(m -> assertThat(m).contains("request=lb-req-42").contains(" 404 "));

        TestServer.Response malformed = server.send(
                "GET",
                "/api/v1/projects/nope",
                null,
                Map.of("Authorization", TestServer.bearer(admin), "X-Request-Id", "not an id; DROP"));
        assertThat(malformed.header("X-Request-Id")).matches("[0-9a-f]{24}");
    }

    @Test
    void aClientsOwnRequestIdIsNotTrustedWithoutAProxy() throws Exception {
        try (TestServer direct = TestServer.start(tmp.resolve("direct"), new TestClock(), Map.of())) {
            TestServer.Response r = direct.send("GET", "/readyz", null, Map.of("X-Request-Id", "forged-id"));
            assertThat(r.header("X-Request-Id")).matches("[0-9a-f]{24}");
        }
    }
}
