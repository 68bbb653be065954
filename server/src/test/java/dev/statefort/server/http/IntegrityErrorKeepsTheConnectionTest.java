package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read whose stored blob fails its integrity check is answered 500 before anything else is sent, and
 * the connection stays usable: a keep-alive client's next request on it (a POST, which no client
 * retries on a connection the server dropped) gets its answer.
 */
class IntegrityErrorKeepsTheConnectionTest {
    @TempDir
    Path dir;

    @Test
    void theNextRequestOnTheConnectionIsAnswered() throws Exception {
        Path data = dir.resolve("data");
        try (TestServer server = TestServer.start(
                data, Clock.systemUTC(), Map.of("small-state-max-size", "0", "read-cache-size", "0"))) {
            String token = server.firstStart().adminToken().orElseThrow().token();
            String state = "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}";
            assertThat(server.send("POST", "/tf/default/tampered", state, token).status())
                    .isEqualTo(200);
            Path blob;
            try (Stream<Path> files =
                    Files.walk(data.resolve("blobs").resolve("default").resolve("tampered"))) {
                blob = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
            byte[] bytes = Files.readAllBytes(blob);
            bytes[12] ^= (byte) 0xff;
            Files.write(blob, bytes);

            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                out.write(request("GET", "/tf/default/tampered", token, "").getBytes(UTF_8));
                out.flush();
                String first = response(in);
                assertThat(first).startsWith("HTTP/1.1 500").contains("integrity check");

                out.write(request("POST", "/tf/default/other", token, state).getBytes(UTF_8));
                out.flush();
                assertThat(response(in))
                        .as("the same connection answers the next request")
                        .startsWith("HTTP/1.1 200");
            }
        }
    }

    private static String request(String method, String path, String token, String body) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(UTF_8).length + "\r\n\r\n"
                + body;
    }

    /** One response: its head, then as many body bytes as its Content-Length says. */
    private static String response(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed: " + head.toString(UTF_8));
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(UTF_8);
        int length = 0;
        for (String line : List.of(text.split("\r\n"))) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return text + new String(in.readNBytes(length), UTF_8);
    }
}
