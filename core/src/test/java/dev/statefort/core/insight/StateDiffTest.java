package dev.statefort.core.insight;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** On real Terraform 1.11.4 states: v1 = count 2, secret "hunter2"; v2 = count 3, secret "changed". */
class StateDiffTest {
    private static StateDocument load(String name) throws IOException {
        try (InputStream in = StateDiffTest.class.getResourceAsStream("/states/" + name)) {
            return StateDocument.parse(in).orElseThrow();
        }
    }

    @Test
    void parsesAddressesOutputsAndSensitivePathsOfARealState() throws IOException {
        StateDocument v1 = load("terraform-1.11-v1.tfstate");
        assertThat(v1.resources())
                .extracting(ResourceInstance::address)
                .containsExactlyInAnyOrder(
                        "terraform_data.counted[0]",
                        "terraform_data.counted[1]",
                        "terraform_data.keyed[\"a\"]",
                        "terraform_data.keyed[\"b\"]",
                        "terraform_data.plain");
        assertThat(v1.outputs().get("secret_out").sensitive()).isTrue();
        assertThat(v1.outputs().get("plain_name").sensitive()).isFalse();
        assertThat(v1.terraformVersion()).isEqualTo("1.11.4");
        ResourceInstance keyed = v1.resources().stream()
                .filter(r -> r.address().equals("terraform_data.keyed[\"a\"]"))
                .findFirst()
                .orElseThrow();
        JsonNode masked = keyed.maskedAttributes();
        assertThat(masked.toString()).doesNotContain("hunter2").contains("(sensitive)");
    }

    @Test
    void diffReportsAddedAndChangedResourcesAndMasksSensitiveValues() throws IOException {
        StateDiff.Result diff = StateDiff.between(load("terraform-1.11-v1.tfstate"), load("terraform-1.11-v2.tfstate"));
        assertThat(diff.resourcesAdded()).containsExactly("terraform_data.counted[2]");
        assertThat(diff.resourcesRemoved()).isEmpty();
        assertThat(diff.resourcesChanged())
                .extracting(StateDiff.ResourceChange::address)
                .contains("terraform_data.keyed[\"a\"]", "terraform_data.keyed[\"b\"]");
        assertThat(diff.outputsChanged())
                .extracting(StateDiff.OutputChange::name)
                .containsExactly("secret_out");
        String all = diff.toString();
        assertThat(all).doesNotContain("hunter2").doesNotContain("changed\"");
        StateDiff.ResourceChange keyed = diff.resourcesChanged().stream()
                .filter(c -> c.address().equals("terraform_data.keyed[\"a\"]"))
                .findFirst()
                .orElseThrow();
        assertThat(keyed.changes()).allSatisfy(c -> assertThat(c.after()).isEqualTo(Masking.SENSITIVE));
    }

    @Test
    void diffOfAStateWithItselfIsEmptyAndOpaqueBodiesDoNotParse() throws IOException {
        StateDocument v2 = load("terraform-1.11-v2.tfstate");
        assertThat(StateDiff.between(v2, v2).isEmpty()).isTrue();
        String encrypted = "{\"serial\":1,\"lineage\":\"x\",\"meta\":{},\"encrypted_data\":\"AA==\","
                + "\"encryption_version\":\"v0\"}";
        assertThat(StateDocument.parse(new ByteArrayInputStream(encrypted.getBytes(StandardCharsets.UTF_8))))
                .isEmpty();
    }

    /** Issue 10 point 4: masking walks a tree of sensitive paths; nested, indexed, map-keyed and dynamic paths. */
    @Test
    void sensitivePathsMaskNestedIndexedMapKeyedAndDynamicValues() throws Exception {
        String state = """
                {"version":4,"serial":1,"lineage":"l","resources":[{"mode":"managed","type":"t","name":"n",
                 "instances":[{"attributes":{
                   "deep":{"a":{"b":{"c":"deep-secret","d":"open"}}},
                   "list":["zero","one-secret"],
                   "tags":{"env":"prod-secret","team":"infra"},
                   "input":{"value":{"key":"dyn-secret"},"type":["object",{"key":"string"}]},
                   "copy":"deep-secret"},
                  "sensitive_attributes":[
                   [{"type":"get_attr","value":"deep"},{"type":"get_attr","value":"a"},{"type":"get_attr","value":"b"},
                    {"type":"get_attr","value":"c"}],
                   [{"type":"get_attr","value":"list"},{"type":"index","value":{"value":1,"type":"number"}}],
                   [{"type":"get_attr","value":"tags"},{"type":"index","value":{"value":"env","type":"string"}}],
                   [{"type":"get_attr","value":"input"},{"type":"get_attr","value":"key"}]]}]}]}
                """;
        ResourceInstance r = StateDocument.parse(new java.io.ByteArrayInputStream(state.getBytes(UTF_8)))
                .orElseThrow()
                .resources()
                .getFirst();
        JsonNode masked = r.maskedAttributes();
        assertThat(masked.toString())
                .doesNotContain("deep-secret", "one-secret", "prod-secret", "dyn-secret")
                .contains("\"open\"", "\"zero\"", "\"infra\"");
        assertThat(masked.path("copy").asText())
                .as("a derived copy of a sensitive value")
                .isEqualTo("(sensitive)");
        assertThat(masked.path("list").path(0).asText()).isEqualTo("zero");
    }

    /** A path marked sensitive in either version is masked on both sides of the diff. */
    @Test
    void aPathMarkedSensitiveOnlyInTheOtherVersionIsMaskedToo() throws Exception {
        String before = """
                {"version":4,"serial":1,"lineage":"l","resources":[{"mode":"managed","type":"t","name":"n",
                 "instances":[{"attributes":{"pw":"old-secret","id":"1"},"sensitive_attributes":[]}]}]}
                """;
        String after = """
                {"version":4,"serial":2,"lineage":"l","resources":[{"mode":"managed","type":"t","name":"n",
                 "instances":[{"attributes":{"id":"2"},
                  "sensitive_attributes":[[{"type":"get_attr","value":"pw"}]]}]}]}
                """;
        StateDiff.Result diff = StateDiff.between(
                StateDocument.parse(new ByteArrayInputStream(before.getBytes(UTF_8)))
                        .orElseThrow(),
                StateDocument.parse(new ByteArrayInputStream(after.getBytes(UTF_8)))
                        .orElseThrow());
        assertThat(diff.resourcesChanged().getFirst().changes().toString()).doesNotContain("old-secret");
    }
}
