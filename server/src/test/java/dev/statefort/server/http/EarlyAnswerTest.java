package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer given before the request body is read (a write to a state someone else has locked) still
 * reaches a client that sends its whole body first, as Go's and the JDK's clients do, and the
 * keep-alive connection stays usable: the server reads and drops a body of moderate size first.
 */
class EarlyAnswerTest {
    private static final String LOCK = "{\"ID\":\"holder\",\"Operation\":\"OperationTypeApply\"}";

    @TempDir
    Path dir;

    @Test
    void aRefusedThreeMebibyteWriteIsAnsweredAndTheConnectionServesTheNextRequest() throws Exception {
        try (TestServer server = TestServer.inMemory(dir)) {
            server.node().bootstrap();
            String token = server.token("default", Permission.WRITE);
            assertThat(server.send("LOCK", "/tf/default/early", LOCK, token).status())
                    .isEqualTo(200);
            byte[] body = ("{\"padding\":\"" + "y".repeat(3_000_000) + "\"}").getBytes(UTF_8);

            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                for (int i = 0; i < 3; i++) {
                    out.write(head("POST", "/tf/default/early", token, body.length));
                    out.write(body);
                    out.flush();
                    String answer = readResponse(in);
                    assertThat(answer).startsWith("HTTP/1.1 423");
                    assertThat(answer).doesNotContainIgnoringCase("connection: close");
                    assertThat(answer).endsWith(LOCK);
                }
                out.write(head("GET", "/tf/default/early", token, 0));
                out.flush();
                assertThat(readResponse(in))
                        .as("the same connection still answers")
                        .startsWith("HTTP/1.1 404");
            }
        }
    }

    private static byte[] head(String method, String path, String token, int length) {
        return (method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(UTF_8);
    }

    /** One response with a Content-Length body, read exactly. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(UTF_8).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head.toString(UTF_8));
            }
            head.write(b);
        }
        String headText = head.toString(UTF_8);
        int length = 0;
        for (String line : headText.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return headText + new String(in.readNBytes(length), UTF_8);
    }
}
