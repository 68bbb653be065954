package dev.statefort.it.transfer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.transfer.FakeTfe;
import dev.statefort.it.support.CliResult;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.S3Server;
import dev.statefort.it.support.StatefortProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 15 point 2 through the runnable jar's {@code statefort import}: an S3 bucket in the S3 backend's
 * layout (s3proxy), read with explicit options and with a storage profile of the configuration
 * ({@code --profile}); another http backend (a Statefort project read with a token) by URL and by list;
 * HCP Terraform's API (a fake in test code) with every state version in order and its creation time kept.
 */
class ImportSourcesCliTest {
    private static final String BUCKET = "tfstates";

    static S3Server s3;

    @RegisterExtension
    static final RealServer node = RealServer.startedBy(ImportSourcesCliTest::start)
            .setUp(n -> {
                for (String p : List.of("froms3", "fromprofile", "fromhttp", "fromtfe", "source")) {
                    n.createProject(p);
                }
                n.write("source", "net", state("src-net", 4));
                n.write("source", "dns", state("src-dns", 9));
                putS3Layout();
            });

    static StatefortProcess start(Path dir, String logName) throws Exception {
        s3 = new S3Server(dir.resolve("s3"), StatefortProcess.freePort());
        s3.start();
        Path config = dir.resolve("statefort.properties");
        Files.writeString(config, """
                storage.legacy.type=s3
                storage.legacy.bucket=profile-blobs
                storage.legacy.endpoint=%s
                storage.legacy.region=us-east-1
                storage.legacy.create=true
                """.formatted(s3.endpoint()));
        return StatefortProcess.startConfigured(
                dir.resolve("server"),
                logName,
                Map.of(
                        "STATEFORT_STORAGE_LEGACY_ACCESS_KEY_ID", S3Server.IDENTITY,
                        "STATEFORT_STORAGE_LEGACY_SECRET_ACCESS_KEY", S3Server.CREDENTIAL),
                config);
    }

    @Test
    void theS3BackendsLayoutWithWorkspacesIsImportedWithExplicitOptionsThenSkippedTheSecondTime() {
        CliResult first = node.server()
                .cli(
                        Map.of(),
                        null,
                        "import",
                        "--project",
                        "froms3",
                        "--from-s3",
                        "s3://" + BUCKET + "/team",
                        "--endpoint",
                        s3.endpoint(),
                        "--region",
                        "us-east-1",
                        "--access-key-id",
                        S3Server.IDENTITY,
                        "--secret-access-key",
                        S3Server.CREDENTIAL);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdout()).contains("imported 3, skipped 0, failed 0");
        assertThat(first.output()).doesNotContain(S3Server.CREDENTIAL);
        assertThat(stateNames("froms3")).containsExactlyInAnyOrder("network", "network-staging", "app");
        assertThat(current("froms3", "network-staging")).isEqualTo(state("staging-net", 2));

        CliResult again = node.server()
                .cli(
                        Map.of(),
                        null,
                        "import",
                        "--project",
                        "froms3",
                        "--from-s3",
                        "s3://" + BUCKET + "/team/",
                        "--endpoint",
                        s3.endpoint(),
                        "--access-key-id",
                        S3Server.IDENTITY,
                        "--secret-access-key",
                        S3Server.CREDENTIAL);
        assertThat(again.stdout()).contains("imported 0, skipped 3, failed 0");
    }

    @Test
    void aStorageProfileOfTheConfigurationGivesEndpointAndCredentials() {
        CliResult dry = node.server()
                .cli(
                        "import",
                        "--project",
                        "fromprofile",
                        "--from-s3",
                        "s3://" + BUCKET + "/team",
                        "--profile",
                        "legacy",
                        "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.stdout()).contains("dry run: would import 3, skipped 0, failed 0");
        assertThat(stateNames("fromprofile")).as("a dry run writes nothing").isEmpty();

        CliResult run = node.server()
                .cli(
                        "import",
                        "--project",
                        "fromprofile",
                        "--from-s3",
                        "s3://" + BUCKET + "/team",
                        "--profile",
                        "legacy");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(stateNames("fromprofile")).containsExactlyInAnyOrder("network", "network-staging", "app");
        JsonNode audit = node.admin().getJson("/api/v1/audit?project=fromprofile&action=state.import");
        assertThat(audit.path("items")).hasSize(3);
    }

    @Test
    void anotherHttpBackendIsImportedByUrlAndByListWithThePasswordFromTheEnvironment() throws Exception {
        String token = node.createToken("source", "read", "import-reader");
        String base = node.baseUrl();
        CliResult one = node.server()
                .cli(
                        Map.of("STATEFORT_IMPORT_PASSWORD", token),
                        null,
                        "import",
                        "--project",
                        "fromhttp",
                        "--from-http",
                        base + "/tf/source/net",
                        "--state",
                        "net-copy",
                        "--user",
                        "importer");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(current("fromhttp", "net-copy")).isEqualTo(state("src-net", 4));
        assertThat(one.output()).doesNotContain(token);

        Path list = node.dir().resolve("http-list.txt");
        Files.writeString(list, """
                # name url
                net %s/tf/source/net
                dns %s/tf/source/dns
                never-written %s/tf/source/missing
                """.formatted(base, base, base));
        CliResult many = node.server()
                .cli(
                        Map.of("STATEFORT_IMPORT_PASSWORD", token),
                        null,
                        "import",
                        "--project",
                        "fromhttp",
                        "--from-http-list",
                        list.toString(),
                        "--user",
                        "importer");
        assertThat(many.exitCode()).as(many.toString()).isZero();
        assertThat(many.stdout()).contains("imported 2, skipped 0, failed 0");
        assertThat(current("fromhttp", "dns")).isEqualTo(state("src-dns", 9));
        assertThat(stateNames("fromhttp")).doesNotContain("never-written");
    }

    @Test
    void everyStateVersionOfHcpTerraformIsImportedInOrderWithItsCreationTime() throws Exception {
        try (FakeTfe tfe = new FakeTfe()) {
            CliResult refused = node.server()
                    .cli(
                            Map.of("TFE_TOKEN", "wrong-token"),
                            null,
                            "import",
                            "--project",
                            "fromtfe",
                            "--from-tfe",
                            tfe.base().toString(),
                            "--organization",
                            FakeTfe.ORG);
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.output()).contains("token refused").doesNotContain("wrong-token");

            CliResult run = node.server()
                    .cli(
                            Map.of("TFE_TOKEN", FakeTfe.TOKEN),
                            null,
                            "import",
                            "--project",
                            "fromtfe",
                            "--from-tfe",
                            tfe.base().toString(),
                            "--organization",
                            FakeTfe.ORG);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).contains("imported 6, skipped 0, failed 0");
            // the workspaces' tags are kept, so a cloud block's `workspaces { tags = [...] }` finds them here
            assertThat(node.admin()
                            .getJson("/api/v2/organizations/fromtfe/workspaces?search%5Btags%5D=from-hcp")
                            .path("data"))
                    .hasSize(tfe.workspaces().size());
            for (Map.Entry<String, List<FakeTfe.Version>> ws : tfe.workspaces().entrySet()) {
                JsonNode items = node.admin().versions("fromtfe", ws.getKey()).path("items"); // newest first
                List<FakeTfe.Version> expected = ws.getValue();
                assertThat(items).hasSize(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    JsonNode v = items.get(expected.size() - 1 - i);
                    assertThat(v.path("serial").asLong())
                            .isEqualTo(expected.get(i).serial());
                    assertThat(v.path("createdAt").asText())
                            .isEqualTo(expected.get(i).createdAt().toString());
                    assertThat(new String(
                                    node.admin()
                                            .versionContent(
                                                    "fromtfe",
                                                    ws.getKey(),
                                                    v.path("number").asLong()),
                                    UTF_8))
                            .isEqualTo(expected.get(i).body());
                }
            }
        }
    }

    private static void putS3Layout() {
        try (S3Client client = S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.IDENTITY, S3Server.CREDENTIAL)))
                .build()) {
            client.createBucket(b -> b.bucket(BUCKET));
            put(client, "team/network/terraform.tfstate", state("net", 3));
            put(client, "env:/staging/team/network/terraform.tfstate", state("staging-net", 2));
            put(client, "team/app.tfstate", state("app", 7));
            put(client, "team/network/terraform.tfstate.tflock", "{}");
            put(client, "elsewhere/terraform.tfstate", state("other", 1));
        }
    }

    private static void put(S3Client client, String key, String body) {
        client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body, UTF_8));
    }

    private static List<String> stateNames(String project) {
        List<String> names = new ArrayList<>();
        for (JsonNode s :
                node.admin().getJson("/api/v1/projects/" + project + "/states").path("items")) {
            names.add(s.path("name").asText());
        }
        return names;
    }

    private static String current(String project, String state) {
        return node.admin().get("/tf/" + project + "/" + state).text();
    }

    static String state(String lineage, long serial) {
        return "{\"version\":4,\"terraform_version\":\"1.9.0\",\"serial\":" + serial + ",\"lineage\":\"" + lineage
                + "\",\"outputs\":{},\"resources\":[]}";
    }
}
