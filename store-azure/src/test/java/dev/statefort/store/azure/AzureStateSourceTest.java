package dev.statefort.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import dev.statefort.core.transfer.SourceState;
import dev.statefort.core.transfer.SourceVersion;
import dev.statefort.store.tck.StateSourceContents;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Finding Terraform azurerm backend states in a container, on a real Azurite. */
class AzureStateSourceTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private final List<String> containers = new ArrayList<>();

    @AfterEach
    void deleteContainers() {
        for (String container : containers) {
            AZURITE.admin().getBlobContainerClient(container).deleteIfExists();
        }
    }

    /** A fresh container with these blobs, name to content; its settings with {@code prefix}. */
    private AzureSettings containerWith(String prefix, Map<String, String> blobs) {
        String name = "import-" + UUID.randomUUID();
        containers.add(name);
        BlobContainerClient raw = AZURITE.admin().getBlobContainerClient(name);
        raw.create();
        blobs.forEach((blob, body) -> raw.getBlobClient(blob).upload(BinaryData.fromString(body), true));
        return AZURITE.settings(name).withPrefix(prefix);
    }

    private static Map<String, String> layout() {
        Map<String, String> blobs = new LinkedHashMap<>();
        blobs.put("team/network.tfstate", "network default");
        blobs.put("team/network.tfstateenv:staging", "network staging");
        blobs.put("team/prod/terraform.tfstate", "prod default");
        blobs.put("team/prod/terraform.tfstateenv:dev", "prod dev");
        blobs.put("team/terraform.tfstate", "root default");
        blobs.put("team/terraform.tfstateenv:qa", "root qa");
        blobs.put("team/network.tfstate.backup", "not a state");
        blobs.put("team/notes.txt", "not a state");
        blobs.put("other/db.tfstate", "outside the prefix");
        blobs.put("other/db.tfstateenv:staging", "outside the prefix");
        return blobs;
    }

    @Test
    void findsEveryStateAndWorkspaceOfTheBackendLayoutUnderThePrefixWithItsBytes() throws IOException {
        AzureSettings settings = containerWith("team/", layout());
        Instant before = Instant.now().minusSeconds(60);
        try (AzureStateSource source = AzureStateSource.open(settings)) {
            List<SourceState> states = source.states();
            assertThat(StateSourceContents.byName(states))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "network", "network default",
                            "network-staging", "network staging",
                            "prod", "prod default",
                            "prod-dev", "prod dev",
                            "default", "root default",
                            "qa", "root qa"));
            String container = "azure://" + AzuriteExtension.ACCOUNT + "/" + settings.container() + "/";
            Map<String, String> origins = new LinkedHashMap<>();
            for (SourceState state : states) {
                origins.put(state.name(), state.origin());
                SourceVersion only = state.versions().list().getFirst();
                assertThat(only.origin()).isEqualTo(state.origin());
                assertThat(only.createdAt())
                        .isAfter(before)
                        .isBefore(Instant.now().plusSeconds(60));
            }
            assertThat(origins)
                    .containsEntry("network", container + "team/network.tfstate")
                    .containsEntry("network-staging", container + "team/network.tfstateenv:staging")
                    .containsEntry("qa", container + "team/terraform.tfstateenv:qa");
            assertThat(String.join(" ", origins.values())).doesNotContain(AzuriteExtension.KEY);
        }
    }

    @Test
    void withoutAPrefixTheWholeContainerIsRead() throws IOException {
        AzureSettings settings = containerWith(
                "",
                Map.of(
                        "app.tfstate", "app",
                        "app.tfstateenv:staging", "app staging",
                        "app.tfstate.lock", "not a state"));
        try (AzureStateSource source = AzureStateSource.open(settings)) {
            assertThat(StateSourceContents.byName(source.states()))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("app", "app", "app-staging", "app staging"));
        }
    }

    @Test
    void listingsArePaged() throws IOException {
        Map<String, String> blobs = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            blobs.put("s" + i + ".tfstate", "s" + i);
            blobs.put("s" + i + ".tfstateenv:w", "s" + i + " w");
            blobs.put("s" + i + ".txt", "no");
        }
        AzureSettings settings = containerWith("", blobs);
        try (AzureStateSource source = AzureStateSource.open(settings, 2)) {
            assertThat(StateSourceContents.byName(source.states()))
                    .hasSize(10)
                    .containsEntry("s4", "s4")
                    .containsEntry("s4-w", "s4 w");
        }
    }

    @Test
    void bodiesAreReadOnlyWhenOpened() throws IOException {
        AzureSettings settings = containerWith("", Map.of("a.tfstate", "listed"));
        try (AzureStateSource source = AzureStateSource.open(settings)) {
            SourceVersion version = source.states().getFirst().versions().list().getFirst();
            BlobContainerClient raw = AZURITE.admin().getBlobContainerClient(settings.container());
            raw.getBlobClient("a.tfstate").upload(BinaryData.fromString("later"), true);
            assertThat(StateSourceContents.read(version)).isEqualTo("later");
            raw.getBlobClient("a.tfstate").delete();
            assertThatThrownBy(() -> StateSourceContents.read(version))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("a.tfstate")
                    .hasMessageContaining("404");
        }
    }

    @Test
    void describeNamesTheContainerPrefixAndEndpointButNoSecret() {
        AzureSettings settings = AZURITE.settings("some-container").withPrefix("team/");
        try (AzureStateSource source = AzureStateSource.open(settings)) {
            assertThat(source.describe())
                    .isEqualTo("azure://" + AzuriteExtension.ACCOUNT + "/some-container/team/ at " + AZURITE.endpoint())
                    .doesNotContain(AzuriteExtension.KEY);
        }
    }

    @Test
    void aMissingContainerFailsTheListingNamingIt() {
        AzureSettings settings = AZURITE.settings("missing-" + UUID.randomUUID());
        try (AzureStateSource source = AzureStateSource.open(settings)) {
            assertThatThrownBy(source::states)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(settings.container())
                    .hasMessageContaining("ContainerNotFound")
                    .hasMessageNotContaining(AzuriteExtension.KEY);
        }
    }

    @Test
    void anUnreachableEndpointFailsTheListingNamingItWithoutTheSecret() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        AzureSettings dead = AzureSettings.of(AzuriteExtension.ACCOUNT, "dead")
                .withEndpoint(URI.create("http://127.0.0.1:" + deadPort + "/" + AzuriteExtension.ACCOUNT))
                .withAccountKey(AzuriteExtension.KEY);
        try (AzureStateSource source = AzureStateSource.open(dead)) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(source::states);
            assertThat(thrown)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("azure://" + AzuriteExtension.ACCOUNT + "/dead/")
                    .hasMessageContaining("127.0.0.1:" + deadPort)
                    .hasMessageContaining("ConnectException");
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(AzuriteExtension.KEY);
        }
    }

    @Test
    void closeShutsTheHttpClientDown() {
        AzureSettings settings = containerWith("", Map.of("a.tfstate", "x"));
        AzureStateSource source = AzureStateSource.open(settings);
        source.close();
        assertThatThrownBy(source::states).isInstanceOf(IOException.class);
    }
}
