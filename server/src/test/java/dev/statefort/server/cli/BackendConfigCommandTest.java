package dev.statefort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.server.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 point 4: statefort backend-config writes the backend block, never over a declared backend. */
class BackendConfigCommandTest {
    private static final String SERVER = "https://state.example.com";

    @TempDir
    Path dir;

    @Test
    void writesTheHttpBackendBlockWithAddressesFromTheServerUrlAndNoSecret() throws Exception {
        Files.writeString(dir.resolve("main.tf"), "resource \"null_resource\" \"a\" {}\n");
        CliRun.Result run = cli("--dir", dir.toString());
        assertThat(run.code()).as(run.err()).isZero();
        String block = Files.readString(dir.resolve("statefort_backend.tf"));
        assertThat(block)
                .contains("backend \"http\"")
                .contains("address        = \"" + SERVER + "/tf/infra/network\"")
                .contains("lock_address   = \"" + SERVER + "/tf/infra/network/lock\"")
                .doesNotContain("password =");
    }

    @Test
    void jsonIsTerraformJson() throws Exception {
        assertThat(cli("--dir", dir.toString(), "--json").code()).isZero();
        JsonNode http = new ObjectMapper()
                .readTree(dir.resolve("statefort_backend.tf.json").toFile())
                .path("terraform")
                .path("backend")
                .path("http");
        assertThat(http.path("address").asText()).isEqualTo(SERVER + "/tf/infra/network");
        assertThat(http.path("unlock_address").asText()).isEqualTo(SERVER + "/tf/infra/network/lock");
        assertThat(http.has("password")).isFalse();
    }

    @Test
    void aBackendDeclaredInTfJsonIsNamedWithItsFileAndLineThenReplacedWithOverride() throws Exception {
        Files.writeString(
                dir.resolve("versions.tf.json"),
                "{\n  \"terraform\": {\n    \"required_version\": \">= 1.0\",\n    \"backend\": {\"local\": {}}\n  }\n}\n");
        CliRun.Result refused = cli("--dir", dir.toString());
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("versions.tf.json:4 declares backend \"local\"");
        assertThat(dir.resolve("statefort_backend.tf")).doesNotExist();

        assertThat(cli("--dir", dir.toString(), "--override").code()).isZero();
        assertThat(Files.readString(dir.resolve("statefort_override.tf"))).contains("backend \"http\"");
    }

    @Test
    void aBackendInHclIsFoundButNotInCommentsAndAnOverrideNeedsAnOverrideName() throws Exception {
        Files.writeString(dir.resolve("main.tf"), "# backend \"s3\" {\n/* backend \"gcs\" {\n*/\n");
        assertThat(cli("--dir", dir.toString()).code())
                .as("comments declare nothing")
                .isZero();
        Files.writeString(dir.resolve("backend.tf"), "terraform {\n\n  backend \"s3\" {\n  }\n}\n");
        assertThat(cli("--dir", dir.toString()).err()).contains("backend.tf:3 declares backend \"s3\"");
        CliRun.Result badName = cli("--dir", dir.toString(), "--override", "--file", "mine.tf");
        assertThat(badName.code()).isNotZero();
        assertThat(badName.err()).contains("override file");
        assertThat(cli("--dir", dir.toString(), "--override", "--file", "ci_override.tf.json")
                        .code())
                .isZero();
        assertThat(Files.readString(dir.resolve("ci_override.tf.json"))).contains("\"http\"");
    }

    @Test
    void aFileStatefortDidNotWriteIsNeverReplacedButItsOwnIs() throws Exception {
        Files.writeString(dir.resolve("main.tf"), "resource \"null_resource\" \"a\" {}\n");
        CliRun.Result refused = cli("--dir", dir.toString(), "--file", "main.tf");
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("main.tf exists and was not written by statefort");
        assertThat(Files.readString(dir.resolve("main.tf"))).isEqualTo("resource \"null_resource\" \"a\" {}\n");

        assertThat(cli("--dir", dir.toString()).code()).isZero();
        assertThat(cli("--dir", dir.toString()).code())
                .as("its own file is rewritten")
                .isZero();
        assertThat(Files.readString(dir.resolve("statefort_backend.tf"))).startsWith("# Written by statefort");
    }

    private CliRun.Result cli(String... extra) {
        String[] args = new String[6 + extra.length];
        args[0] = "backend-config";
        args[1] = "--project";
        args[2] = "infra";
        args[3] = "--state";
        args[4] = "network";
        args[5] = "--server=" + SERVER;
        System.arraycopy(extra, 0, args, 6, extra.length);
        return ImportExportCommandTest.cli(args);
    }
}
