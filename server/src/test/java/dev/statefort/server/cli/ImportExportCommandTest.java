package dev.statefort.server.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.core.testing.TestPrincipals;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.testing.CliRun;
import dev.statefort.server.wiring.StatefortNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 points 2 and 3: statefort export, and statefort import from an export and from a directory. */
class ImportExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void anExportImportedIntoASecondServerHasEveryVersionByteForByteAndASecondImportSkipsThemAll() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (StatefortNode node = open(a)) {
            write(node, "net", state("lineage-net", 1, "first \u00e9"));
            write(node, "net", state("lineage-net", 2, "second"));
            write(
                    node,
                    "net",
                    ("{\"version\":4,\"serial\":3,\"lineage\":\"lineage-net\",\"outputs\":{},"
                            + "\"resources\":[]}\n\n   "));
            write(node, "app", state("lineage-app", 7, "only"));
        }
        Path export = dir.resolve("default.tar");
        CliRun.Result exported =
                cli("export", "--project", "infra", "--output", export.toString(), "--data-dir", a.toString());
        assertThat(exported.code()).isZero();
        assertThat(exported.out()).contains("exported 2 states, 4 versions");
        assertThat(exported.err()).contains("holds the states in clear");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export)))
                .isEqualTo("rw-------");

        open(b).close();
        CliRun.Result imported =
                cli("import", "--project", "infra", "--from-export", export.toString(), "--data-dir", b.toString());
        assertThat(imported.code()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out()).contains("imported 4, skipped 0, failed 0");

        try (StatefortNode source = open(a);
                StatefortNode target = open(b)) {
            for (String state : List.of("net", "app")) {
                List<VersionRecord> from = versions(source, state);
                List<VersionRecord> to = versions(target, state);
                assertThat(to).hasSameSizeAs(from);
                for (int i = 0; i < from.size(); i++) {
                    assertThat(bytes(target, to.get(i)))
                            .as(state + " v" + (i + 1))
                            .isEqualTo(bytes(source, from.get(i)));
                    assertThat(to.get(i).sha256()).isEqualTo(from.get(i).sha256());
                    assertThat(to.get(i).serial()).isEqualTo(from.get(i).serial());
                    assertThat(to.get(i).createdAt())
                            .as("creation time kept")
                            .isEqualTo(from.get(i).createdAt());
                }
            }
            assertThat(target.project()
                            .audit()
                            .list(new AuditQuery("infra", null, null, "state.import", null, null, 100, null)))
                    .hasSize(4);
        }

        CliRun.Result again =
                cli("import", "--project", "infra", "--from-export", export.toString(), "--data-dir", b.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("imported 0, skipped 4, failed 0");
        try (StatefortNode target = open(b)) {
            assertThat(versions(target, "net")).hasSize(3);
        }

        Path current = dir.resolve("current.tar");
        assertThat(cli(
                                "export",
                                "--project",
                                "infra",
                                "--output",
                                current.toString(),
                                "--current-only",
                                "--data-dir",
                                a.toString())
                        .out())
                .contains("exported 2 states, 2 versions");
        Path c = dir.resolve("c");
        open(c).close();
        assertThat(cli("import", "--project", "infra", "--from-export", current.toString(), "--data-dir", c.toString())
                        .code())
                .isZero();
        try (StatefortNode target = open(c)) {
            assertThat(versions(target, "net")).singleElement().satisfies(v -> assertThat(v.serial())
                    .isEqualTo(3L));
        }
    }

    @Test
    void aDirectoryIsImportedOneStatePerFileAndWorkspaceAndABrokenFileFailsAlone() throws Exception {
        Path tree = dir.resolve("tree");
        put(tree.resolve("terraform.tfstate"), state("l-root", 1, "root"));
        put(tree.resolve("terraform.tfstate.d/staging/terraform.tfstate"), state("l-staging", 2, "staging"));
        put(tree.resolve("network/terraform.tfstate"), state("l-net", 3, "net"));
        put(tree.resolve("network/terraform.tfstate.d/prod/terraform.tfstate"), state("l-net-prod", 4, "np"));
        put(tree.resolve("envs/app.tfstate"), state("l-app", 5, "app"));
        put(tree.resolve("network/.terraform/terraform.tfstate"), "{\"version\":3,\"backend\":{}}");
        put(tree.resolve("network/terraform.tfstate.backup"), state("l-net", 2, "older"));
        put(tree.resolve("broken/terraform.tfstate"), "this is not a state");
        Path data = dir.resolve("data");
        open(data).close();

        CliRun.Result dry = cli(
                "import", "--project", "infra", "--dir", tree.toString(), "--dry-run", "--data-dir", data.toString());
        assertThat(dry.out()).contains("dry run: would import 5, skipped 0, failed 1");
        try (StatefortNode node = open(data)) {
            assertThat(node.state().states().states(TestPrincipals.admin("test"), "infra"))
                    .as("a dry run writes nothing")
                    .isEmpty();
        }

        CliRun.Result run =
                cli("import", "--project", "infra", "--dir", tree.toString(), "--data-dir", data.toString());
        assertThat(run.code()).as("a failure makes the exit code 1").isEqualTo(1);
        assertThat(run.out()).contains("imported 5, skipped 0, failed 1").contains("failed   broken");
        try (StatefortNode node = open(data)) {
            assertThat(node.state().states().states(TestPrincipals.admin("test"), "infra").stream()
                            .map(StateRecord::key)
                            .map(StateKey::name))
                    .containsExactlyInAnyOrder("default", "staging", "network", "network-prod", "envs-app");
            assertThat(new String(bytes(node, versions(node, "network-prod").getFirst()), UTF_8))
                    .isEqualTo(state("l-net-prod", 4, "np"));
        }
        CliRun.Result again =
                cli("import", "--project", "infra", "--dir", tree.toString(), "--data-dir", data.toString());
        assertThat(again.out()).contains("imported 0, skipped 5, failed 1");
    }

    @Test
    void anImportIntoAMissingProjectStopsBeforeReadingAnything() {
        CliRun.Result run = cli(
                "import",
                "--project",
                "nope",
                "--dir",
                dir.toString(),
                "--data-dir",
                dir.resolve("d").toString());
        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("nope");
    }

    @Test
    void aMissingExportFileIsAClearErrorNotAStackTrace() {
        Path data = dir.resolve("e");
        open(data).close();
        CliRun.Result run = cli(
                "import",
                "--project",
                "infra",
                "--from-export",
                dir.resolve("none.tar").toString(),
                "--data-dir",
                data.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("cannot read the export").doesNotContain("\tat ");
    }

    static String state(String lineage, long serial, String output) {
        return "{\"version\":4,\"terraform_version\":\"1.9.0\",\"serial\":" + serial + ",\"lineage\":\"" + lineage
                + "\",\"outputs\":{\"o\":{\"value\":\"" + output + "\",\"type\":\"string\"}},\"resources\":[]}";
    }

    private static void put(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static void write(StatefortNode node, String state, String body) throws Exception {
        byte[] bytes = body.getBytes(UTF_8);
        WriteOutcome outcome = node.state()
                .states()
                .write(WriteRequest.of(
                        new StateKey("infra", state),
                        new ByteArrayInputStream(bytes),
                        bytes.length,
                        TestPrincipals.admin("test")));
        assertThat(outcome).isInstanceOf(WriteOutcome.Written.class);
    }

    private static List<VersionRecord> versions(StatefortNode node, String state) {
        List<VersionRecord> all = new ArrayList<>(node.state()
                .states()
                .versions(TestPrincipals.admin("test"), new StateKey("infra", state), PageRequest.first(100))
                .items());
        return all.reversed();
    }

    private static byte[] bytes(StatefortNode node, VersionRecord v) throws Exception {
        try (InputStream in = node.state().states().content(v)) {
            return in.readAllBytes();
        }
    }

    private static StatefortNode open(Path data) {
        if (!Files.exists(data)) {
            assertThat(StatefortCli.run("project", "create", "infra", "--data-dir", data.toString()))
                    .isZero();
        }
        return StatefortNode.open(ConfigLoader.load(Map.of("data-dir", data.toString()), Map.of(), null));
    }

    static CliRun.Result cli(String... args) {
        return CliRun.run(args);
    }
}
