package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.model.Permission;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.server.config.ConfigException;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.testing.TestCertificates;
import dev.statefort.server.wiring.StatefortNode;
import dev.statefort.server.wiring.StatefortServer;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from PEM files: HTTP/1.1 only, even for clients offering h2; client certificates from the
 * configured CA act as the principal their subject is mapped to.
 */
class TlsTest {
    private static final String CI_SUBJECT = "CN=ci-pipeline,O=Statefort Test";

    @TempDir
    Path dir;

    @Test
    void servesHttpsWithThePemCertificateAndNeverNegotiatesHttp2() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        try (StatefortNode node = node(tlsSettings(certs));
                StatefortServer server = StatefortServer.start(node)) {
            node.bootstrap();
            String token =
                    node.access().tokens().create(null, Permission.ADMIN, "t").token();
            HttpClient client = client(certs, null);
            HttpResponse<String> health = client.send(get(server, "/healthz").build(), ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

            HttpResponse<String> write = client.send(
                    post(server, "/tf/default/tls")
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    ofString());
            assertThat(write.statusCode()).isEqualTo(200);

            HttpClient plain = HttpClient.newHttpClient();
            assertThatThrownBy(() -> plain.send(get(server, "/healthz").build(), ofString()))
                    .as("a client that does not trust the test CA is refused")
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void aMappedClientCertificateActsAsItsPrincipalWithoutAToken() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued ci = certs.client("ci", CI_SUBJECT);
        try (StatefortNode node = node(clientCertSettings(certs, "write default " + CI_SUBJECT));
                StatefortServer server = StatefortServer.start(node)) {
            node.bootstrap();
            HttpClient client = client(certs, ci);
            HttpResponse<String> written =
                    client.send(post(server, "/tf/default/by-cert").build(), ofString());
            assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
            HttpResponse<String> read =
                    client.send(get(server, "/tf/default/by-cert").build(), ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo(STATE);

            String admin =
                    node.access().tokens().create(null, Permission.ADMIN, "t").token();
            HttpResponse<String> versions = client.send(
                    get(server, "/api/v1/projects/default/states/by-cert/versions")
                            .header("Authorization", "Bearer " + admin)
                            .build(),
                    ofString());
            JsonNode version =
                    new ObjectMapper().readTree(versions.body()).path("items").path(0);
            assertThat(version.path("principal").asText())
                    .as("the version names the certificate that wrote it")
                    .isEqualTo("cert:" + CI_SUBJECT);
        }
    }

    /** Issue 10 point 1: a browser sends a client certificate unasked, so it is refused for a cross-site change too. */
    @Test
    void aCrossSiteChangeWithAClientCertificateIsRefused() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued ci = certs.client("ci", CI_SUBJECT);
        try (StatefortNode node = node(clientCertSettings(certs, "write default " + CI_SUBJECT));
                StatefortServer server = StatefortServer.start(node)) {
            node.bootstrap();
            HttpClient client = client(certs, ci);
            HttpResponse<String> crossSite = client.send(
                    post(server, "/tf/default/by-cert")
                            .header("Origin", "https://evil.example")
                            .header("Sec-Fetch-Site", "cross-site")
                            .build(),
                    ofString());
            assertThat(crossSite.statusCode()).as(crossSite.body()).isEqualTo(403);
            HttpResponse<String> read =
                    client.send(get(server, "/tf/default/by-cert").build(), ofString());
            assertThat(read.statusCode()).as("nothing was stored").isEqualTo(404);
            HttpResponse<String> own = client.send(
                    post(server, "/tf/default/by-cert")
                            .header("Origin", "https://127.0.0.1:" + server.port())
                            .build(),
                    ofString());
            assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        }
    }

    @Test
    void aClientCertificateGrantsNoMoreThanItsMapping() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued reader = certs.client("reader", "CN=reader");
        try (StatefortNode node = node(clientCertSettings(certs, "read default CN=reader"));
                StatefortServer server = StatefortServer.start(node)) {
            node.bootstrap();
            HttpClient client = client(certs, reader);
            assertThat(client.send(get(server, "/tf/default/any").build(), ofString())
                            .statusCode())
                    .isEqualTo(404);
            HttpResponse<String> write =
                    client.send(post(server, "/tf/default/any").build(), ofString());
            assertThat(write.statusCode()).isEqualTo(403);
            assertThat(write.body()).contains("'write'");
        }
    }

    @Test
    void anUnmappedCertificateIsRefusedAndNoCertificateNeedsAToken() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued stranger = certs.client("stranger", "CN=stranger");
        try (StatefortNode node = node(clientCertSettings(certs, "admin * " + CI_SUBJECT));
                StatefortServer server = StatefortServer.start(node)) {
            node.bootstrap();
            HttpResponse<String> unmapped =
                    client(certs, stranger).send(get(server, "/tf/default/x").build(), ofString());
            assertThat(unmapped.statusCode()).isEqualTo(403);
            assertThat(unmapped.body()).contains("CN=stranger").contains("not mapped");

            HttpResponse<String> none =
                    client(certs, null).send(get(server, "/tf/default/x").build(), ofString());
            assertThat(none.statusCode()).as("no certificate, no token").isEqualTo(401);
        }
    }

    @Test
    void aCertificateFromAnotherCaIsNeverAccepted() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued forged = certs.selfSignedClient("forged", CI_SUBJECT);
        try (StatefortNode node = node(clientCertSettings(certs, "admin * " + CI_SUBJECT));
                StatefortServer server = StatefortServer.start(node)) {
            node.bootstrap();
            assertThatThrownBy(() -> client(certs, forged)
                            .send(get(server, "/tf/default/x").build(), ofString()))
                    .as("a self-signed certificate with a mapped subject fails the handshake")
                    .isInstanceOf(IOException.class);
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

    @Test
    void aBadPrincipalsFileIsAConfigurationErrorNamingTheLine() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Map<String, String> settings = clientCertSettings(certs, "# comment\n\nsuperuser * CN=x\nwrite default");
        assertThatThrownBy(() -> ConfigLoader.load(settings, Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("unknown permission 'superuser'")
                .hasMessageContaining("line 4");
        Map<String, String> alone = new HashMap<>(tlsSettings(certs));
        alone.put("tls-client-ca", certs.caPem().toString());
        assertThatThrownBy(() -> ConfigLoader.load(alone, Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls-client-principals");
    }

    private static final String STATE = "{\"version\":4,\"serial\":1}";

    private Map<String, String> tlsSettings(TestCertificates certs) {
        return Map.of(
                "data-dir", dir.resolve("data").toString(),
                "port", "0",
                "tls-cert", certs.certPem().toString(),
                "tls-key", certs.keyPem().toString());
    }

    private Map<String, String> clientCertSettings(TestCertificates certs, String principals) throws IOException {
        Path file = Files.writeString(dir.resolve("principals"), principals + "\n");
        Map<String, String> settings = new HashMap<>(tlsSettings(certs));
        settings.put("tls-client-ca", certs.caPem().toString());
        settings.put("tls-client-principals", file.toString());
        return settings;
    }

    private static StatefortNode node(Map<String, String> settings) {
        ServerConfig config = ConfigLoader.load(settings, Map.of(), null);
        return StatefortNode.of(config, new InMemoryMetadataStore(), new InMemoryBlobStore());
    }

    private static HttpRequest.Builder get(StatefortServer server, String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path));
    }

    private static HttpRequest.Builder post(StatefortServer server, String path) {
        return get(server, path).POST(HttpRequest.BodyPublishers.ofString(STATE));
    }

    private static HttpResponse.BodyHandler<String> ofString() {
        return HttpResponse.BodyHandlers.ofString();
    }

    /**
     * Presents its certificate whatever CAs the server names (the JDK would otherwise withhold a
     * certificate from an unnamed issuer, and the server's own check would go untested).
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;

        AlwaysPresent(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    /** A client offering h2, trusting the test CA, presenting {@code identity} when not null. */
    private static HttpClient client(TestCertificates certs, TestCertificates.Issued identity) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certs.ca());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManager[] keyManagers = null;
        if (identity != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "test".toCharArray();
            keys.setKeyEntry("client", identity.key(), password, new Certificate[] {identity.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            keyManagers = new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .version(HttpClient.Version.HTTP_2)
                .build();
    }
}
