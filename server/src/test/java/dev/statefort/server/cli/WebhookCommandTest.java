package dev.statefort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.AuditQuery;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.testing.CliRun;
import dev.statefort.server.wiring.StatefortNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code statefort webhook ...}: the CLI twin of the webhook API, through the same use case and audit events. */
class WebhookCommandTest {
    @TempDir
    Path dir;

    @Test
    void webhooksFromTheCommandLine() throws Exception {
        Path config = dir.resolve("statefort.properties");
        Files.writeString(config, "data-dir=" + dir.resolve("data") + "\n");
        String c = config.toString();
        assertThat(CliRun.run("project", "create", "infra", "--config", c).code())
                .isZero();

        CliRun.Result refused = CliRun.run(
                "webhook",
                "create",
                "--project",
                "infra",
                "--url",
                "https://127.0.0.1/x",
                "--event",
                "*",
                "--config",
                c);
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("webhook-allowed-hosts");

        CliRun.Result created = CliRun.run(
                "webhook",
                "create",
                "--project",
                "infra",
                "--url",
                "https://hooks.example.com/statefort",
                "--event",
                "lock.stale",
                "--event",
                "guard.refused",
                "--format",
                "slack",
                "--config",
                c);
        assertThat(created.code()).as(created.err()).isZero();
        Matcher id = Pattern.compile("webhook (wh_[0-9a-f]+) created").matcher(created.out());
        assertThat(id.find()).as(created.out()).isTrue();
        assertThat(created.out()).contains("signing secret (shown once): whsec_");

        CliRun.Result listed = CliRun.run("webhook", "list", "--project", "infra", "--config", c);
        assertThat(listed.out())
                .contains(id.group(1), "lock.stale,guard.refused", "slack", "enabled")
                .doesNotContain("whsec_");
        CliRun.Result rotated =
                CliRun.run("webhook", "rotate-secret", "--project", "infra", id.group(1), "--config", c);
        assertThat(rotated.out()).contains("new signing secret (shown once): whsec_");
        CliRun.Result ping = CliRun.run("webhook", "ping", "--project", "infra", id.group(1), "--config", c);
        assertThat(ping.code()).as(ping.err()).isZero();
        CliRun.Result log = CliRun.run("webhook", "deliveries", "--project", "infra", id.group(1), "--config", c);
        assertThat(log.out()).contains("webhook.ping", "pending");
        assertThat(CliRun.run("webhook", "delete", "--project", "infra", id.group(1), "--config", c)
                        .code())
                .isZero();
        assertThat(CliRun.run("webhook", "list", "--project", "infra", "--config", c)
                        .out())
                .doesNotContain(id.group(1));

        try (StatefortNode node = StatefortNode.open(ConfigLoader.load(Map.of(), Map.of(), config))) {
            assertThat(
                            node
                                    .project()
                                    .audit()
                                    .list(new AuditQuery("infra", null, null, null, null, null, 50, null))
                                    .stream()
                                    .map(e ->
                                            e.action() + " by " + e.principal().replaceAll(":.*", ""))
                                    .toList())
                    .contains(
                            "webhook.create by cli",
                            "webhook.rotate-secret by cli",
                            "webhook.ping by cli",
                            "webhook.delete by cli");
        }
    }
}
