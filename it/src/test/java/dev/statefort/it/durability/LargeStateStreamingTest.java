package dev.statefort.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue point 2 (streaming) from outside: a 100 MiB state goes in and out of a server whose whole heap is smaller
 * than the state, so neither direction can hold it in memory; it also survives a {@code kill -9}.
 */
class LargeStateStreamingTest {
    private static final long SIZE = 100L * 1024 * 1024;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path serverDir;

    static StatefortProcess server;

    @BeforeAll
    static void startServerWithASmallHeap() {
        server = StatefortProcess.start(
                serverDir, "LargeStateStreamingTest", List.of("-Xmx96m"), "--max-state-size", "209715200");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void hundredMebibyteStateIsStreamedInAndOutOfAServerWithA96MebibyteHeap() throws Exception {
        String name = "huge";
        String path = StatefortClient.statePath("default", name);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new GeneratedState(SIZE)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md5.update(buffer, 0, n);
                sha.update(buffer, 0, n);
            }
        }
        String expectedSha = HexFormat.of().formatHex(sha.digest());

        HttpRequest write = HttpRequest.newBuilder(server.uri(path))
                .timeout(Duration.ofMinutes(3))
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/json")
                .header("Content-Md5", Base64.getEncoder().encodeToString(md5.digest()))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedState(SIZE)), SIZE))
                .build();
        HttpResponse<String> written = HTTP.send(write, HttpResponse.BodyHandlers.ofString());
        assertThat(written.statusCode())
                .as(written.body() + "\n" + server.logTail())
                .isEqualTo(200);

        assertThat(readSha256(path)).isEqualTo(expectedSha);
        JsonNode version =
                server.adminClient().versions("default", name).path("items").get(0);
        assertThat(version.path("size").asLong()).isEqualTo(SIZE);
        assertThat(version.path("sha256").asText()).isEqualToIgnoringCase(expectedSha);

        server.kill9();
        server.restart();
        assertThat(readSha256(path)).isEqualTo(expectedSha);
    }

    private static String readSha256(String path) throws Exception {
        HttpRequest read = HttpRequest.newBuilder(server.uri(path))
                .timeout(Duration.ofMinutes(3))
                .header("Authorization", "Bearer " + server.adminToken())
                .GET()
                .build();
        HttpResponse<InputStream> response = HTTP.send(read, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = new DigestInputStream(response.body(), sha)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        }
        assertThat(total).isEqualTo(SIZE);
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A readable Terraform state of exactly {@code size} bytes, generated on the fly (one big output value). */
    static final class GeneratedState extends InputStream {
        private static final byte[] HEAD =
                ("{\n  \"version\": 4,\n  \"terraform_version\": \"1.11.4\",\n  \"serial\": 1,\n"
                                + "  \"lineage\": \"0b6d1c3e-5f0a-4a57-9b59-3d7a1f0c2e11\",\n  \"outputs\": {\n    \"blob\": {\n"
                                + "      \"value\": \"")
                        .getBytes(StandardCharsets.UTF_8);
        private static final byte[] TAIL =
                "\",\n      \"type\": \"string\"\n    }\n  },\n  \"resources\": [],\n  \"check_results\": null\n}\n"
                        .getBytes(StandardCharsets.UTF_8);
        private final long size;
        private long position;

        GeneratedState(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            return byteAt(position++);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) byteAt(position++);
            }
            return n;
        }

        private int byteAt(long p) {
            if (p < HEAD.length) {
                return HEAD[(int) p];
            }
            long fromEnd = size - p;
            if (fromEnd <= TAIL.length) {
                return TAIL[(int) (TAIL.length - fromEnd)];
            }
            return 'a' + (int) ((p * 31 + (p >> 7)) % 26);
        }

        @Override
        public void close() throws IOException {
            position = size;
        }
    }
}
