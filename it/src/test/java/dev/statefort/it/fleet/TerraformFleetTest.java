package dev.statefort.it.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.TerraformCli;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 32 with the real {@code terraform}: two configurations applied, a third importing the first's
 * object, a fourth reading the first's outputs through {@code terraform_remote_state}; the fleet's
 * search finds each resource by address, type and ID, the imported object is managed twice, and the
 * reader shows in "read by".
 */
class TerraformFleetTest {
    private static final String SUITE = "real-terraform fleet";
    private static final String PROJECT = "default";
    private static final Duration WAIT = Duration.ofSeconds(30);

    static StatefortClient admin;
    static String writeToken;

    @RegisterExtension
    static final RealServer node = RealServer.shared().needingTerraform(SUITE).setUp(n -> {
        admin = n.admin();
        writeToken = n.createToken(PROJECT, "write", "fleet-it-writer");
    });

    private static TerraformCli applied(String state, String config) {
        TerraformCli tf = new TerraformCli(
                        node.terraform(),
                        node.dir().resolve(state),
                        Map.of("TF_HTTP_USERNAME", "terraform", "TF_HTTP_PASSWORD", writeToken))
                .writeHttpBackend(node.baseUrl() + StatefortClient.statePath(PROJECT, state));
        tf.writeFile("main.tf", config);
        tf.run("init", "-no-color").requireSuccess();
        tf.run("apply", "-auto-approve", "-no-color").requireSuccess();
        return tf;
    }

    /** The items of an API answer once they match (the index follows a write in the background). */
    private static JsonNode await(String path, Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode items = admin.getJson(path).path("items");
        while (!done.test(items) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            items = admin.getJson(path).path("items");
        }
        return items;
    }

    private static List<String> hits(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(
                i -> out.add(i.path("state").asText() + " " + i.path("address").asText()));
        return out;
    }

    @Test
    void searchDoubleOwnershipAndReadersOfRealStates() throws Exception {
        applied("fleet-storage", """
                resource "terraform_data" "bucket" {
                  input = "fleet-bucket"
                }

                output "bucket_id" {
                  value = terraform_data.bucket.id
                }
                """);
        applied("fleet-queue", """
                resource "terraform_data" "queue" {
                  input = "fleet-queue"
                }
                """);
        JsonNode bucket = await("/api/v1/search?q=terraform_data.bucket&project=" + PROJECT, i -> i.size() > 0);
        assertThat(hits(bucket)).contains("fleet-storage terraform_data.bucket");
        String bucketId = admin.getJson("/api/v1/projects/" + PROJECT + "/states/fleet-storage/resources")
                .toString()
                .replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
        assertThat(bucketId).hasSize(36);

        assertThat(hits(admin.getJson("/api/v1/search?q=" + bucketId).path("items")))
                .as("by its id")
                .containsExactly("fleet-storage terraform_data.bucket");
        assertThat(hits(admin.getJson("/api/v1/search?type=terraform_data&project=" + PROJECT + "&limit=1000")
                        .path("items")))
                .as("by type")
                .contains("fleet-storage terraform_data.bucket", "fleet-queue terraform_data.queue");

        applied("fleet-adopter", """
                import {
                  to = terraform_data.adopted
                  id = "%s"
                }

                resource "terraform_data" "adopted" {
                  input = "fleet-bucket"
                }
                """.formatted(bucketId));
        JsonNode twice = await("/api/v1/fleet/duplicates?project=" + PROJECT, items -> {
            for (JsonNode d : items) {
                if (d.path("key").asText().equals("id=" + bucketId)) {
                    return true;
                }
            }
            return false;
        });
        JsonNode object = null;
        for (JsonNode d : twice) {
            if (d.path("key").asText().equals("id=" + bucketId)) {
                object = d;
            }
        }
        assertThat(object).as("the imported object is managed twice: %s", twice).isNotNull();
        assertThat(object.path("type").asText()).isEqualTo("terraform_data");
        List<String> owners = new ArrayList<>();
        object.path("owners")
                .forEach(o -> owners.add(
                        o.path("state").asText() + " " + o.path("address").asText()));
        assertThat(owners)
                .containsExactly("fleet-adopter terraform_data.adopted", "fleet-storage terraform_data.bucket");

        String outputsToken = node.server().createToken(PROJECT, "outputs", "fleet-it-reader");
        TerraformCli consumer = new TerraformCli(
                node.terraform(), node.dir().resolve("fleet-consumer"), Map.of("TF_VAR_token", outputsToken));
        consumer.writeFile(
                "main.tf", """
                variable "token" {
                  type      = string
                  sensitive = true
                }

                data "terraform_remote_state" "storage" {
                  backend = "http"
                  config = {
                    address  = "%s"
                    username = "x"
                    password = var.token
                  }
                }

                output "bucket" {
                  value = data.terraform_remote_state.storage.outputs.bucket_id
                }
                """.formatted(node.baseUrl() + StatefortClient.statePath(PROJECT, "fleet-storage")));
        consumer.run("init", "-no-color").requireSuccess();
        consumer.run("apply", "-auto-approve", "-no-color").requireSuccess();
        assertThat(consumer.run("output", "-raw", "bucket").requireSuccess().stdout())
                .isEqualTo(bucketId);

        JsonNode readers = admin.getJson("/api/v1/projects/" + PROJECT + "/states/fleet-storage/consumers")
                .path("items");
        assertThat(readers).hasSize(1);
        assertThat(readers.get(0).path("via").asText()).isEqualTo("outputs-token");
        assertThat(readers.get(0).path("reads").asLong()).isPositive();
        assertThat(admin.getJson("/api/v1/projects/" + PROJECT + "/states/fleet-queue/consumers")
                        .path("items"))
                .isEmpty();
    }
}
