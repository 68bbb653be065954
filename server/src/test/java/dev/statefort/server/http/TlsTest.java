package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.auth.Permission;
import dev.statefort.core.spi.memory.InMemoryBlobStore;
import dev.statefort.core.spi.memory.InMemoryMetadataStore;
import dev.statefort.server.config.ConfigException;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.wiring.StatefortNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files: a client trusting the CA talks HTTP/1.1, even when it offers h2. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsWithThePemCertificateAndNeverNegotiatesHttp2() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        ServerConfig config = ConfigLoader.load(
                Map.of(
                        "data-dir", dir.resolve("data").toString(),
                        "port", "0",
                        "tls-cert", certs.certPem().toString(),
                        "tls-key", certs.keyPem().toString()),
                Map.of(),
                null);
        try (StatefortNode node = StatefortNode.of(config, new InMemoryMetadataStore(), new InMemoryBlobStore());
                StatefortServer server = StatefortServer.start(node)) {
            node.bootstrap();
            String token = node.tokens().create(null, Permission.ADMIN, "t").token();
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(trusting(certs))
                    .version(HttpClient.Version.HTTP_2)
                    .build();
            HttpResponse<String> health = client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

            HttpResponse<String> write = client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/tf/default/tls"))
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"version\":4,\"serial\":1}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(write.statusCode()).isEqualTo(200);

            HttpClient plain = HttpClient.newHttpClient();
            assertThatThrownBy(() -> plain.send(
                            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .as("a client that does not trust the test CA is refused")
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void aCertificateWithoutItsKeyIsAConfigurationErrorNamingTheSetting() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        assertThatThrownBy(() -> ConfigLoader.load(
                        Map.of(
                                "data-dir",
                                dir.toString(),
                                "tls-cert",
                                certs.certPem().toString()),
                        Map.of(),
                        null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls-cert")
                .hasMessageContaining("tls-key");
    }

    private static SSLContext trusting(TestCertificates certs) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certs.ca());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
