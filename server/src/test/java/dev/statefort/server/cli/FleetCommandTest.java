package dev.statefort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.testing.CliRun;
import dev.statefort.server.wiring.StatefortNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code statefort fleet ...}: the CLI twin of the fleet API, through the same use case. */
class FleetCommandTest {
    @TempDir
    Path dir;

    private static String bucketState(String name, String id) {
        return "{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":1,\"lineage\":\"l\",\"outputs\":{},"
                + "\"resources\":[{\"mode\":\"managed\",\"type\":\"aws_s3_bucket\",\"name\":\"" + name + "\","
                + "\"provider\":\"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\",\"instances\":[{"
                + "\"schema_version\":0,\"attributes\":{\"id\":\"" + id + "\"}}]}]}";
    }

    @Test
    void theFleetFromTheCommandLine() throws Exception {
        Path config = dir.resolve("statefort.properties");
        Files.writeString(config, "data-dir=" + dir.resolve("data") + "\n");
        String c = config.toString();
        assertThat(CliRun.run("project", "create", "infra", "--config", c).code())
                .isZero();
        try (StatefortNode node = StatefortNode.open(
                ConfigLoader.load(Map.of("data-dir", dir.resolve("data").toString()), Map.of(), null))) {
            Principal admin = new Principal("test", null, Permission.ADMIN);
            for (String[] s : new String[][] {{"network", "logs"}, {"imports", "adopted"}}) {
                byte[] body = bucketState(s[1], "acme-logs").getBytes(StandardCharsets.UTF_8);
                node.state()
                        .states()
                        .write(WriteRequest.of(
                                new StateKey("infra", s[0]), new ByteArrayInputStream(body), body.length, admin));
            }
        }

        CliRun.Result search = CliRun.run("fleet", "search", "acme", "--config", c);
        assertThat(search.code()).as(search.err()).isZero();
        assertThat(search.out()).contains("aws_s3_bucket.logs", "aws_s3_bucket.adopted", "infra/network");

        CliRun.Result states = CliRun.run("fleet", "states", "--filter", "sort=name", "--config", c);
        assertThat(states.code()).as(states.err()).isZero();
        assertThat(states.out()).startsWith("project,state,version").contains("infra,imports,1,", "infra,network,1,");
        assertThat(CliRun.run("fleet", "states", "--format", "json", "--config", c)
                        .out())
                .contains("\"state\":\"network\"");
        assertThat(CliRun.run("fleet", "states", "--filter", "sort=nope", "--config", c)
                        .code())
                .isNotZero();

        CliRun.Result twice = CliRun.run("fleet", "duplicates", "--config", c);
        assertThat(twice.out()).contains("aws_s3_bucket id=acme-logs", "infra/network  aws_s3_bucket.logs");

        CliRun.Result readers =
                CliRun.run("fleet", "readers", "--project", "infra", "--state", "network", "--config", c);
        assertThat(readers.code()).as(readers.err()).isZero();
        assertThat(readers.out()).contains("READER");
    }
}
