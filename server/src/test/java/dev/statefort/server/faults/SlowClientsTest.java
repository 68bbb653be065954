package dev.statefort.server.faults;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import dev.statefort.server.http.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 5, slow and abusive clients: many connections sending their headers a byte at a
 * time do not stop other clients; a stalled request is cut at the idle timeout (a stalled body with
 * 408); an oversized header is 431; and beyond {@code
 * max-connections} a new connection waits until idle ones are closed, then is served.
 */
class SlowClientsTest {
    private static final int SLOW_CLIENTS = 50;

    @TempDir
    Path tmp;

    @Test
    void headersSentAByteAtATimeDoNotStopOtherClientsAndEachIsAnswered() throws Exception {
        try (TestServer server = start(Map.of())) {
            String token = server.token("default", Permission.WRITE);
            ExecutorService slow = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                answers.add(slow.submit(
                        () -> trickle(server.port(), "GET /tf/default/slow HTTP/1.1\r\nHost: x\r\n\r\n", 60)));
            }
            Thread.sleep(300); // every slow client is connected and sending
            for (int i = 0; i < 20; i++) {
                assertThat(server.send(
                                        "POST",
                                        "/tf/default/fast",
                                        "{\"version\":4,\"serial\":" + (i + 1) + ",\"lineage\":\"f\"}",
                                        token)
                                .status())
                        .isEqualTo(200);
            }
            assertThat(answers).as("the slow clients are still sending").anyMatch(f -> !f.isDone());
            for (Future<String> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS))
                        .as("a slow client is answered too (no credential: 401)")
                        .startsWith("HTTP/1.1 401");
            }
            slow.shutdownNow();
        }
    }

    @Test
    void aStalledRequestIsCutAtTheIdleTimeoutAndAnOversizedHeaderIs431() throws Exception {
        try (TestServer server = start(Map.of())) {
            try (Socket stalled = connect(server.port())) {
                stalled.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(US_ASCII));
                String answer = readAll(stalled);
                assertThat(answer)
                        .as("closed by the server, with a status or none")
                        .matches("(?s)(|HTTP/1.1 408.*)");
            }
            try (Socket stalledBody = connect(server.port())) {
                stalledBody
                        .getOutputStream()
                        .write(("POST /tf/default/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                                        + "Authorization: Bearer " + server.token("default", Permission.WRITE)
                                        + "\r\n\r\n{\"version\":4,")
                                .getBytes(US_ASCII));
                assertThat(readAll(stalledBody))
                        .as("cut: a 408 or a closed connection, never a 5xx")
                        .matches("(?s)(|HTTP/1.1 408.*)");
            }
            try (Socket huge = connect(server.port())) {
                huge.getOutputStream()
                        .write(("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                                .getBytes(US_ASCII));
                assertThat(readAll(huge)).startsWith("HTTP/1.1 431");
            }
            assertThat(server.send("GET", "/healthz", null, (String) null).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aBodyThatStallsIsCutWith408AtTheIdleTimeout() throws Exception {
        try (TestServer server = start(Map.of("http-idle-timeout", "3s"))) {
            String head =
                    "POST /tf/default/trickle HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nAuthorization: Bearer "
                            + server.token("default", Permission.WRITE) + "\r\n\r\n";
            String body =
                    "{\"version\":4,\"serial\":1,\"lineage\":\"t\",\"outputs\":{\"a\":{\"value\":\"" + "x".repeat(4000);
            String answer = trickle(server.port(), head, body.substring(0, 30), 100);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("stalled").doesNotContain("Exception");
            assertThat(server.send("GET", "/tf/default/trickle", null, server.token("default", Permission.READ))
                            .status())
                    .as("nothing was stored")
                    .isEqualTo(404);
        }
    }

    @Test
    void beyondMaxConnectionsANewOneWaitsUntilIdleOnesAreClosed() throws Exception {
        try (TestServer server = start(Map.of("max-connections", "20", "http-idle-timeout", "4s"))) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    idle.add(connect(server.port()));
                }
                try (Socket late = connect(server.port())) {
                    late.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
                    late.setSoTimeout(1_000);
                    assertThat(answerWithin(late))
                            .as("the limit is reached: not accepted while 20 connections are open")
                            .isNull();
                    late.setSoTimeout(40_000);
                    assertThat(readAll(late))
                            .as("answered once the idle connections are closed")
                            .startsWith("HTTP/1.1 200");
                }
                for (Socket s : idle) {
                    assertThat(readAll(s))
                            .as("an idle connection, closed by the server")
                            .isEmpty();
                }
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    /** The first bytes of an answer, or null when none came before the socket's timeout. */
    private static String answerWithin(Socket socket) throws IOException {
        try {
            byte[] buf = new byte[64];
            int n = socket.getInputStream().read(buf);
            return n < 0 ? "" : new String(buf, 0, n, US_ASCII);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private TestServer start(Map<String, String> settings) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("http-idle-timeout", "2s"));
        all.putAll(settings);
        return TestServer.start(tmp.resolve("data"), Clock.systemUTC(), all);
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(40_000);
        return socket;
    }

    /** Sends {@code request} one byte every {@code millis}, then reads the answer. */
    private static String trickle(int port, String request, long millis) throws Exception {
        return trickle(port, "", request, millis);
    }

    /** Sends {@code head} at once, then {@code slowly} one byte every {@code millis}, then reads the answer. */
    private static String trickle(int port, String head, String slowly, long millis) throws Exception {
        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(US_ASCII));
            out.flush();
            try {
                for (byte b : slowly.getBytes(US_ASCII)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(millis);
                }
            } catch (IOException cut) {
                // the server closed the connection while we were sending: read what it said
            }
            return readAll(socket);
        }
    }

    /** Everything the server sends until it closes the connection (bounded by the socket timeout). */
    private static String readAll(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                text.append(new String(buf, 0, n, US_ASCII));
                if (text.indexOf("\r\n\r\n") >= 0
                        && text.toString().contains("Connection: close") == false
                        && text.toString().startsWith("HTTP/1.1 401")) {
                    break; // an answer on a connection kept open: enough
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed the connection in 40 s", e);
        } catch (IOException reset) {
            // a connection reset is a cut too
        }
        return text.toString();
    }
}
