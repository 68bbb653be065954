package dev.statefort.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.storagetype.ProfileReader;
import dev.statefort.core.storagetype.StorageKey;
import dev.statefort.core.storagetype.StorageType;
import dev.statefort.server.cli.StatefortCli;
import dev.statefort.store.fs.FileSystemStorageType;
import dev.statefort.store.s3.S3StorageType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 26 point 5: {@link StorageTypes#ALL} is the one list of storage types. What the
 * configuration accepts, what docs/configuration.md documents and what {@code statefort import}
 * offers all come from it (the wiring's side is {@code wiring.StoresTest}).
 */
class StorageTypesTest {
    private static final Path CONFIGURATION_MD =
            Path.of(System.getProperty("user.dir")).getParent().resolve("docs/configuration.md");

    @Test
    void everyTypesKeysAreDocumentedInItsRowOfTheConfigurationPage() throws Exception {
        Map<String, String> rows = typeRows();
        assertThat(rows.keySet())
                .as("the rows of 'Types and their keys' are the registered types")
                .containsExactlyElementsOf(
                        StorageTypes.ALL.stream().map(StorageType::name).toList());
        for (StorageType<?> type : StorageTypes.ALL) {
            for (StorageKey<?> key : type.keys()) {
                if (key != StorageKey.TYPE) {
                    assertThat(rows.get(type.name()))
                            .as("docs/configuration.md documents %s's key %s", type.name(), key.name())
                            .contains("`" + key.name() + "`");
                }
            }
        }
        List<String> quoted =
                StorageTypes.ALL.stream().map(t -> "`" + t.name() + "`").toList();
        assertThat(Files.readString(CONFIGURATION_MD))
                .as("the types the text lists")
                .contains("(" + String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.getLast()
                        + ";");
    }

    @Test
    void everyTypeTakesTypeFirstAndEachKeyOnce() {
        for (StorageType<?> type : StorageTypes.ALL) {
            assertThat(type.keys()).first().isSameAs(StorageKey.TYPE);
            assertThat(type.keys().stream().map(StorageKey::name)).doesNotHaveDuplicates();
            assertThat(StorageTypes.named(type.name())).containsSame(type);
        }
        assertThat(StorageTypes.ALL.stream().map(StorageType::name)).doesNotHaveDuplicates();
    }

    @Test
    void theMessagesListTheRegisteredTypes(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("statefort.properties"), """
                data-dir=%s
                storage.odd.type=ftp
                storage.none.bucket=b
                """.formatted(tmp.resolve("data")));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be one of " + String.join(", ", StorageTypes.sortedNames()) + ", not 'ftp'")
                .hasMessageContaining("no storage.none.type (" + StorageTypes.names() + ")");
        assertThat(StorageTypes.names())
                .endsWith(" or " + StorageTypes.ALL.getLast().name());
        for (StorageType<?> type : StorageTypes.ALL) {
            assertThat(StorageTypes.names()).contains(type.name());
        }
    }

    @Test
    void aTypeThatReadsAKeyItDoesNotListFailsLoudly() {
        Settings settings = new Settings(Map.of(), Map.of(), new java.util.ArrayList<>());
        ProfileReader reader = new ProfileReader(settings, "p", FileSystemStorageType.TYPE);
        assertThatThrownBy(() -> reader.get(S3StorageType.BUCKET))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("storage type filesystem reads 'bucket'");
    }

    @Test
    void everyImportableTypesOptionIsAnOptionOfStatefortImport() {
        CommandLine.Model.CommandSpec importCommand = new CommandLine(new StatefortCli())
                .getSubcommands()
                .get("import")
                .getCommandSpec();
        List<String> options = StorageTypes.ALL.stream()
                .flatMap(t -> t.importer().stream())
                .map(StorageType.Import::option)
                .toList();
        assertThat(options).containsExactly("--from-s3", "--from-azure", "--from-gcs");
        for (String option : options) {
            assertThat(importCommand.findOption(option)).as(option).isNotNull();
        }
    }

    /** The rows of the table under "Types and their keys": type to its keys' cell. */
    private static Map<String, String> typeRows() throws Exception {
        List<String> lines = Files.readAllLines(CONFIGURATION_MD);
        int start = lines.indexOf("### Types and their keys");
        assertThat(start).as("docs/configuration.md has 'Types and their keys'").isNotNegative();
        return lines.subList(start, lines.size()).stream()
                .takeWhile(l -> !l.startsWith("### Examples"))
                .filter(l -> l.startsWith("| `"))
                .map(l -> l.split("\\|"))
                .collect(Collectors.toMap(
                        cells -> cells[1].strip().replace("`", ""),
                        cells -> cells[2],
                        (a, b) -> a,
                        LinkedHashMap::new));
    }
}
