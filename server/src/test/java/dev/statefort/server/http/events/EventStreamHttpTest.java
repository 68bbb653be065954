package dev.statefort.server.http.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import dev.statefort.server.http.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live stream ({@code GET /api/v1/projects/{p}/events}, Server-Sent Events): a lock taken through
 * the backend reaches a connected client at once; a client that reconnects with {@code Last-Event-ID}
 * gets what happened meanwhile, nothing missed, nothing twice; nobody reads another project's stream.
 */
class EventStreamHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private TestServer server;
    private String admin;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        server = TestServer.start(dir.resolve("data"), Clock.systemUTC(), Map.of());
        admin = server.token(null, Permission.ADMIN);
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
    }

    /** One SSE event as parsed. */
    record Sse(String id, String type, String data) {}

    /** A connected stream: its events as they arrive. */
    final class Stream implements AutoCloseable {
        final BlockingQueue<Sse> events = new LinkedBlockingQueue<>();
        final Thread reader;
        volatile java.io.InputStream body;
        final int status;

        Stream(String token, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/api/v1/projects/default/events"))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<java.io.InputStream> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            body = response.body();
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .startsWith(status == 200 ? "text/event-stream" : "application/json");
            reader = Thread.ofVirtual().start(() -> {
                try (var lines = new java.io.BufferedReader(
                        new java.io.InputStreamReader(body, java.nio.charset.StandardCharsets.UTF_8))) {
                    String id = null;
                    String type = null;
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("id: ")) {
                            id = line.substring(4);
                        } else if (line.startsWith("event: ")) {
                            type = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                            events.add(new Sse(id, type, line.substring(6)));
                        }
                    }
                } catch (java.io.IOException closed) {
                    // the test closed it
                }
            });
        }

        Sse next() throws InterruptedException {
            return events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws Exception {
            body.close();
            reader.join(WAIT);
        }
    }

    private void lock(String id) {
        String info = "{\"ID\":\"" + id + "\",\"Operation\":\"OperationTypeApply\"}";
        assertThat(server.send("LOCK", "/tf/default/live", info, admin).status())
                .isEqualTo(200);
    }

    private void unlock(String id) {
        String info = "{\"ID\":\"" + id + "\",\"Operation\":\"OperationTypeApply\"}";
        assertThat(server.send("UNLOCK", "/tf/default/live", info, admin).status())
                .isEqualTo(200);
    }

    @Test
    void aLockTakenThroughTheBackendReachesAConnectedClientAtOnceAndAReconnectMissesNothing() throws Exception {
        String last;
        try (Stream stream = new Stream(admin, null)) {
            assertThat(stream.status).isEqualTo(200);
            long before = System.nanoTime();
            lock("first");
            Sse acquired = stream.next();
            Duration took = Duration.ofNanos(System.nanoTime() - before);
            assertThat(acquired).isNotNull();
            assertThat(acquired.type()).isEqualTo("lock.acquired");
            assertThat(acquired.data()).contains("\"state\":\"live\"", "\"lockId\":\"first\"");
            assertThat(took).as("seen within a second").isLessThan(Duration.ofSeconds(1));
            last = acquired.id();
        }
        // while nobody listens
        unlock("first");
        lock("second");
        unlock("second");
        try (Stream resumed = new Stream(admin, last)) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Sse e = resumed.next();
                assertThat(e).as("event %d after the reconnect", i).isNotNull();
                seen.add(e.type() + " " + e.data().replaceAll(".*\"lockId\":\"([a-z]+)\".*", "$1"));
            }
            assertThat(seen).containsExactly("lock.released first", "lock.acquired second", "lock.released second");
            assertThat(resumed.events.poll(300, TimeUnit.MILLISECONDS))
                    .as("nothing twice")
                    .isNull();
        }
    }

    @Test
    void aReadOrOutputsTokenOfAnotherProjectCannotOpenTheStream() throws Exception {
        server.send("POST", "/api/v1/projects", "{\"name\":\"other\"}", admin);
        String otherReader = server.token("other", Permission.READ);
        String outputs = server.token("default", Permission.OUTPUTS);
        String reader = server.token("default", Permission.READ);
        try (Stream refused = new Stream(otherReader, null)) {
            assertThat(refused.status).isEqualTo(403);
        }
        try (Stream refused = new Stream(outputs, null)) {
            assertThat(refused.status).isEqualTo(403);
        }
        try (Stream allowed = new Stream(reader, null)) {
            assertThat(allowed.status).isEqualTo(200);
            lock("seen-by-reader");
            assertThat(allowed.next().type()).isEqualTo("lock.acquired");
        }
    }
}
