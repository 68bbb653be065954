package dev.statefort.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A store whose endpoint is a loopback port where nothing listens: every operation fails with
 * {@link StoreUnavailableException} after a few quick tries, and no message holds the secret.
 */
class AzureBlobStoreUnreachableTest {
    private static final String CONTAINER = "statefort-dead";
    private static final String SAS_SIG = "c2VjcmV0LXNpZ25hdHVyZQ==";
    private static final String SAS =
            "sv=2023-11-03&sp=rwdc&sr=c&se=2099-01-01T00:00:00Z&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";

    private static URI deadEndpoint;

    @BeforeAll
    static void findADeadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadEndpoint = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/" + AzuriteExtension.ACCOUNT);
        }
    }

    /** Each credential kind, with the strings that must never appear in a message. */
    record Credential(String name, UnaryOperator<AzureSettings> apply, List<String> secrets) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Credential> credentials() {
        String connection = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteExtension.ACCOUNT + ";AccountKey="
                + AzuriteExtension.KEY + ";BlobEndpoint=" + deadEndpoint + ";";
        return List.of(
                new Credential(
                        "account key",
                        s -> s.withEndpoint(deadEndpoint).withAccountKey(AzuriteExtension.KEY),
                        List.of(AzuriteExtension.KEY)),
                new Credential(
                        "sas token",
                        s -> s.withEndpoint(deadEndpoint).withSasToken(SAS),
                        List.of(SAS, SAS_SIG, "c2VjcmV0LXNpZ25hdHVyZQ")),
                new Credential(
                        "connection string",
                        s -> s.withAccount(null).withConnectionString(connection),
                        List.of(connection, AzuriteExtension.KEY)));
    }

    private static String everything(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static AzureSettings settings(Credential credential) {
        return credential.apply().apply(AzureSettings.of(AzuriteExtension.ACCOUNT, CONTAINER));
    }

    private static void assertUnavailableWithoutSecret(ThrowingCall call, Credential credential, String... named) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("'" + CONTAINER + "'");
        for (String name : named) {
            assertThat(thrown).hasMessageContaining(name);
        }
        assertThat(everything(thrown)).doesNotContain(credential.secrets());
    }

    @Test
    void everyOperationFailsAsUnavailable() {
        Credential credential = credentials().get(0);
        try (BlobStore store = AzureBlobStores.open(settings(credential))) {
            assertUnavailableWithoutSecret(
                    () -> store.put("p/s/v1", new ByteArrayInputStream(new byte[100_000])),
                    credential,
                    "'p/s/v1'",
                    "ConnectException");
            assertUnavailableWithoutSecret(() -> store.open("p/s/v1"), credential, "'p/s/v1'");
            assertUnavailableWithoutSecret(() -> store.exists("p/s/v1"), credential, "'p/s/v1'");
            assertUnavailableWithoutSecret(() -> store.delete("p/s/v1"), credential, "'p/s/v1'");
            assertUnavailableWithoutSecret(store::ping, credential);
        }
        assertUnavailableWithoutSecret(
                () -> AzureBlobStores.open(settings(credential).withCreate(true)), credential);
    }

    @ParameterizedTest
    @MethodSource("credentials")
    void noMessageHoldsTheSecret(Credential credential) {
        AzureSettings settings = settings(credential);
        assertThat(settings.toString()).doesNotContain(credential.secrets());
        try (BlobStore store = AzureBlobStores.open(settings)) {
            assertUnavailableWithoutSecret(
                    () -> store.put("p/s/v1", new ByteArrayInputStream(new byte[100])), credential, "'p/s/v1'");
            assertUnavailableWithoutSecret(store::ping, credential);
        }
    }

    @ParameterizedTest
    @MethodSource("credentials")
    void invalidKeysAreStillClientErrors(Credential credential) {
        try (BlobStore store = AzureBlobStores.open(settings(credential))) {
            assertThatThrownBy(() -> store.exists("../x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.open("a//b")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
