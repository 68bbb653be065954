package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import dev.statefort.core.testing.TestClock;
import dev.statefort.server.http.backend.TerraformBackendHandler;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 point 5: a client that accepts gzip (Terraform's Go client always does) gets the state
 * gzip-compressed, made once per version, {@code Vary: Accept-Encoding}, the exact bytes after
 * decompression; a client that does not ask gets the bytes as they are.
 */
class GzipOnTheWireTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static String state(int outputs) {
        StringBuilder s = new StringBuilder("{\"version\":4,\"serial\":3,\"lineage\":\"l\",\"outputs\":{");
        for (int i = 0; i < outputs; i++) {
            s.append(i == 0 ? "" : ",")
                    .append("\"o")
                    .append(i)
                    .append("\":{\"value\":\"value number ")
                    .append(i)
                    .append("\",\"type\":\"string\"}");
        }
        return s.append("},\"resources\":[]}\n").toString();
    }

    private HttpResponse<byte[]> get(TestServer server, String path, String token, String acceptEncoding)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token);
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aClientThatAcceptsGzipGetsTheExactBytesCompressed() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"), new TestClock())) {
            String token = server.token("default", Permission.WRITE);
            String big = state(200);
            assertThat(server.send("POST", "/tf/default/big", big, token).status())
                    .isEqualTo(200);

            HttpResponse<byte[]> gzipped = get(server, "/tf/default/big", token, "gzip");
            assertThat(gzipped.statusCode()).isEqualTo(200);
            assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
            assertThat(gzipped.headers().firstValue("Vary").orElse("")).contains("Accept-Encoding");
            assertThat(gzipped.body().length).isLessThan(big.length() / 4);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
                assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(big);
            }
            HttpResponse<byte[]> again = get(server, "/tf/default/big", token, "deflate, gzip;q=0.8");
            assertThat(again.body()).isEqualTo(gzipped.body());

            for (String identity : new String[] {null, "identity", "gzip;q=0", "br"}) {
                HttpResponse<byte[]> plain = get(server, "/tf/default/big", token, identity);
                assertThat(plain.headers().firstValue("Content-Encoding"))
                        .as(identity)
                        .isEmpty();
                assertThat(new String(plain.body(), UTF_8)).as(identity).isEqualTo(big);
                assertThat(plain.headers().firstValue("Vary").orElse("")).contains("Accept-Encoding");
            }

            String small = state(1);
            assertThat(server.send("POST", "/tf/default/small", small, token).status())
                    .isEqualTo(200);
            HttpResponse<byte[]> tiny = get(server, "/tf/default/small", token, "gzip");
            assertThat(tiny.headers().firstValue("Content-Encoding"))
                    .as("under 1 KiB")
                    .isEmpty();
            assertThat(new String(tiny.body(), UTF_8)).isEqualTo(small);
        }
    }

    @Test
    void acceptEncodingIsParsedWithItsWeights() {
        assertThat(TerraformBackendHandler.acceptsGzip("gzip")).isTrue();
        assertThat(TerraformBackendHandler.acceptsGzip("br, GZIP;q=0.5")).isTrue();
        assertThat(TerraformBackendHandler.acceptsGzip("*")).isTrue();
        assertThat(TerraformBackendHandler.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(TerraformBackendHandler.acceptsGzip("gzip; q=0.0")).isFalse();
        assertThat(TerraformBackendHandler.acceptsGzip("identity")).isFalse();
        assertThat(TerraformBackendHandler.acceptsGzip(null)).isFalse();
    }
}
