package dev.statefort.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpBackendSourceTest {
    private static final String USER = "ci";
    private static final String PASSWORD = "s3cret-pw";
    private static final String NETWORK = "{\"version\":4,\"serial\":7,\"lineage\":\"lin-1\",\"resources\":[]}";

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** An http backend behind basic auth: network has a state, missing is a 404, fresh a 204, empty a 200 without a body. */
    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String expected = "Basic "
                    + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"state\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/state/network" -> {
                    byte[] body = NETWORK.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Last-Modified", "Tue, 02 Jan 2024 10:00:00 GMT");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
                case "/state/fresh" -> exchange.sendResponseHeaders(204, -1);
                case "/state/empty" -> exchange.sendResponseHeaders(200, -1);
                case "/state/broken" -> exchange.sendResponseHeaders(500, -1);
                default -> exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static String read(SourceVersion version) throws IOException {
        try (InputStream in = version.body().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsEachStateWithBasicAuthAndAMissingStateHasNoVersions() throws IOException {
        try (HttpBackendSource source = new HttpBackendSource(
                List.of(
                        new HttpBackendSource.Entry("network", url("/state/network")),
                        new HttpBackendSource.Entry("missing", url("/state/missing"))),
                USER,
                PASSWORD)) {
            List<SourceState> states = source.states();

            assertThat(states).extracting(SourceState::name).containsExactly("network", "missing");
            assertThat(states.getFirst().origin())
                    .isEqualTo(url("/state/network").toString());
            List<SourceVersion> network = states.getFirst().versions().list();
            assertThat(network).hasSize(1);
            assertThat(read(network.getFirst())).isEqualTo(NETWORK);
            assertThat(read(network.getFirst())).as("each open a new stream").isEqualTo(NETWORK);
            assertThat(network.getFirst().createdAt()).isEqualTo(Instant.parse("2024-01-02T10:00:00Z"));
            assertThat(network.getFirst().origin())
                    .isEqualTo(url("/state/network").toString());
            assertThat(states.get(1).versions().list()).isEmpty();
            assertThat(source.describe())
                    .contains(
                            url("/state/network").toString(),
                            url("/state/missing").toString());
        }
    }

    @Test
    void aNoContentOrEmptyBodyIsNoStateYet() throws IOException {
        try (HttpBackendSource source = new HttpBackendSource(
                List.of(
                        new HttpBackendSource.Entry("fresh", url("/state/fresh")),
                        new HttpBackendSource.Entry("empty", url("/state/empty"))),
                USER,
                PASSWORD)) {
            for (SourceState state : source.states()) {
                assertThat(state.versions().list()).as(state.name()).isEmpty();
            }
        }
        assertThat(requests).hasValue(2);
    }

    @Test
    void refusedCredentialsNameTheUrlAndStatusNeverThePassword() {
        String wrong = "not-the-" + PASSWORD;
        try (HttpBackendSource source = new HttpBackendSource(
                List.of(new HttpBackendSource.Entry("network", url("/state/network"))), USER, wrong)) {
            SourceState state = source.states().getFirst();
            assertThatThrownBy(() -> state.versions().list())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(url("/state/network").toString())
                    .hasMessageContaining("401")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
            assertThat(source.describe()).doesNotContain(wrong);
        }
    }

    @Test
    void otherStatusesFailThatState() {
        try (HttpBackendSource source = new HttpBackendSource(
                List.of(new HttpBackendSource.Entry("broken", url("/state/broken"))), USER, PASSWORD)) {
            assertThatThrownBy(() -> source.states().getFirst().versions().list())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("HTTP 500");
        }
    }

    @Test
    void aUrlsOwnUserinfoIsUsedAndNeverShown() throws IOException {
        URI withUserInfo = URI.create("http://" + USER + ":" + PASSWORD + "@127.0.0.1:"
                + server.getAddress().getPort() + "/state/network");
        try (HttpBackendSource source =
                new HttpBackendSource(List.of(new HttpBackendSource.Entry("network", withUserInfo)), null, null)) {
            SourceState state = source.states().getFirst();
            assertThat(state.origin()).isEqualTo(url("/state/network").toString());
            assertThat(source.describe()).doesNotContain(PASSWORD);
            assertThat(read(state.versions().list().getFirst())).isEqualTo(NETWORK);
        }
    }

    @Test
    void fromListReadsNamesAndUrlsSkippingBlankLinesAndComments(@TempDir Path dir) throws IOException {
        Path list = Files.writeString(
                dir.resolve("states.txt"), """
                # name url
                network %s

                   missing   %s   # gone
                """.formatted(url("/state/network"), url("/state/missing")));
        try (HttpBackendSource source = HttpBackendSource.fromList(list, USER, PASSWORD)) {
            List<SourceState> states = source.states();

            assertThat(states).extracting(SourceState::name).containsExactly("network", "missing");
            assertThat(states)
                    .extracting(SourceState::origin)
                    .containsExactly(
                            url("/state/network").toString(),
                            url("/state/missing").toString());
            assertThat(read(states.getFirst().versions().list().getFirst())).isEqualTo(NETWORK);
        }
    }

    @Test
    void fromListNamesTheLineOfAMalformedEntry(@TempDir Path dir) throws IOException {
        Path extraWord = Files.writeString(
                dir.resolve("a.txt"),
                "# states\nnetwork http://127.0.0.1:1/a\nbad http://u:" + PASSWORD + "@127.0.0.1:1/b extra\n");
        assertThatThrownBy(() -> HttpBackendSource.fromList(extraWord, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 3")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));

        Path noUrl = Files.writeString(dir.resolve("b.txt"), "\nonly-a-name\n");
        assertThatThrownBy(() -> HttpBackendSource.fromList(noUrl, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");

        Path notHttp = Files.writeString(dir.resolve("c.txt"), "x ftp://127.0.0.1/x\n");
        assertThatThrownBy(() -> HttpBackendSource.fromList(notHttp, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("http");

        Path empty = Files.writeString(dir.resolve("d.txt"), "# nothing\n\n");
        assertThatThrownBy(() -> HttpBackendSource.fromList(empty, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lists no state");
    }
}
