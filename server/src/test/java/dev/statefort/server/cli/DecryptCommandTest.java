package dev.statefort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The break-glass command reads what exists and creates nothing. */
class DecryptCommandTest {
    @TempDir
    Path dir;

    @Test
    void aMistypedDataDirIsAnErrorAndNothingIsCreated() {
        Path missing = dir.resolve("typo");

        int exit = StatefortCli.run(
                "decrypt", "--data-dir", missing.toString(), "--project", "default", "--state", "network");

        assertThat(exit).isEqualTo(1);
        assertThat(missing).doesNotExist();
        assertThat(dir.resolve("typo.master.key")).doesNotExist();
    }

    @Test
    void aMissingMasterKeyFileIsAnErrorAndNoKeyIsGenerated() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("statefort.db"), "");
        Path key = dir.resolve("elsewhere.key");

        int exit = StatefortCli.run(
                "decrypt",
                "--data-dir",
                data.toString(),
                "--master-key-file",
                key.toString(),
                "--project",
                "default",
                "--state",
                "network");

        assertThat(exit).isEqualTo(1);
        assertThat(key).doesNotExist();
    }
}
