package dev.statefort.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.storagetype.StorageType;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.config.StorageConfig;
import dev.statefort.server.config.StorageTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26 point 5: every registered storage type is configured and opened through its {@link
 * StorageType}; {@link Stores} knows no type by name. Nothing is reached: no profile creates its bucket.
 */
class StoresTest {
    @TempDir
    Path tmp;

    /** A profile of each type, by type; a type added to {@link StorageTypes#ALL} needs its line here. */
    private Map<String, String> samples() throws Exception {
        Path gcsCredentials = Files.writeString(tmp.resolve("gcs.json"), """
                {"type": "authorized_user", "client_id": "id", "client_secret": "x", "refresh_token": "y"}
                """);
        return Map.of(
                "s3",
                "bucket=states\nendpoint=http://127.0.0.1:9\nregion=us-east-1\n",
                "azure",
                "account=devstoreaccount1\ncontainer=states\nendpoint=http://127.0.0.1:9/devstoreaccount1\n"
                        + "account-key=c2VjcmV0\n",
                "gcs",
                "bucket=states\nendpoint=http://127.0.0.1:9\nproject=p\ncredentials-file=" + gcsCredentials + "\n",
                "filesystem",
                "dir=" + tmp.resolve("files") + "\n");
    }

    @Test
    void everyRegisteredTypeIsConfiguredAndOpenedThroughItsDescriptor() throws Exception {
        Map<String, String> samples = samples();
        assertThat(samples.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        StorageTypes.ALL.stream().map(StorageType::name).toList());
        StringBuilder properties = new StringBuilder("data-dir=" + tmp.resolve("data") + "\n");
        samples.forEach((type, keys) -> {
            String profile = "p" + type.replaceAll("[^a-z0-9]", "");
            properties
                    .append("storage.")
                    .append(profile)
                    .append(".type=")
                    .append(type)
                    .append('\n');
            keys.lines().forEach(line -> properties
                    .append("storage.")
                    .append(profile)
                    .append('.')
                    .append(line)
                    .append('\n'));
        });
        Path file = Files.writeString(tmp.resolve("statefort.properties"), properties);
        ServerConfig config = ConfigLoader.load(Map.of(), Map.of(), file);

        Set<Class<?>> storeClasses = new HashSet<>();
        for (StorageType<?> type : StorageTypes.ALL) {
            StorageConfig.Profile<?> profile =
                    config.storage().find("p" + type.name()).orElseThrow();
            assertThat(profile.type()).isSameAs(type);
            assertThat(profile.location()).isNotBlank();
            try (BlobStore store = Stores.openBlobs(profile);
                    BlobStore direct = openDirectly(profile)) {
                assertThat(store.getClass()).as(type.name()).isEqualTo(direct.getClass());
                storeClasses.add(store.getClass());
            }
        }
        assertThat(storeClasses).as("each type opens its own store").hasSameSizeAs(StorageTypes.ALL);
        assertThat(Stores.openProfilesOnly(config).list())
                .extracting(p -> p.name() + ":" + p.type())
                .contains("local:filesystem", "ps3:s3", "pazure:azure", "pgcs:gcs", "pfilesystem:filesystem");
    }

    private static <S> BlobStore openDirectly(StorageConfig.Profile<S> profile) {
        return profile.type().open(profile.settings());
    }
}
