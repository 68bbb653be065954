package dev.statefort.core.surgery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.insight.ResourceInstance;
import dev.statefort.core.insight.StateDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Addresses as Terraform writes them, and rm / mv on state trees as {@code terraform state rm/mv} does them. */
class StateEditsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode tree(String resources) throws Exception {
        return (ObjectNode) JSON.readTree(
                "{\"version\":4,\"serial\":3,\"lineage\":\"l\",\"outputs\":{},\"resources\":[" + resources + "]}");
    }

    private static String resource(String module, String mode, String type, String name, String each, String... keys) {
        StringBuilder instances = new StringBuilder();
        for (String key : keys) {
            instances
                    .append(instances.isEmpty() ? "" : ",")
                    .append("{\"schema_version\":0,")
                    .append(key == null ? "" : "\"index_key\":" + key + ",")
                    .append("\"attributes\":{\"id\":\"")
                    .append(name)
                    .append(key == null ? "" : key.replace("\"", ""))
                    .append("\"}}");
        }
        return "{" + (module == null ? "" : "\"module\":\"" + module.replace("\"", "\\\"") + "\",") + "\"mode\":\""
                + mode
                + "\",\"type\":\"" + type + "\",\"name\":\"" + name + "\""
                + (each == null ? "" : ",\"each\":\"" + each + "\"")
                + ",\"provider\":\"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\",\"instances\":[" + instances
                + "]}";
    }

    private static List<String> addresses(ObjectNode tree) {
        return StateDocument.parse(tree).orElseThrow().resources().stream()
                .map(ResourceInstance::address)
                .toList();
    }

    private static Map<String, ObjectNode> trees(ObjectNode a, ObjectNode b) {
        Map<String, ObjectNode> trees = new LinkedHashMap<>();
        trees.put("a", a);
        if (b != null) {
            trees.put("b", b);
        }
        return trees;
    }

    @Test
    void addressesParseAsTerraformWritesThem() {
        InstanceAddress a = InstanceAddress.parse("module.net[\"eu\"].module.sub.aws_subnet.private[2]");
        assertThat(a.module()).isEqualTo("module.net[\"eu\"].module.sub");
        assertThat(a.type()).isEqualTo("aws_subnet");
        assertThat(a.name()).isEqualTo("private");
        assertThat(a.indexKey().asInt()).isEqualTo(2);
        assertThat(a).hasToString("module.net[\"eu\"].module.sub.aws_subnet.private[2]");
        InstanceAddress d = InstanceAddress.parse("data.aws_ami.ubuntu");
        assertThat(d.mode()).isEqualTo("data");
        assertThat(d.hasKey()).isFalse();
        assertThat(InstanceAddress.parse("aws_s3_bucket.b[\"a.b\"]").indexKey().asText())
                .isEqualTo("a.b");
        for (String bad : List.of("aws_s3_bucket", "module.x", "a.b.c", "aws_s3_bucket.b[", "", "x.y[\"a]")) {
            assertThatThrownBy(() -> InstanceAddress.parse(bad)).isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void rmTakesAResourceOrOneInstance() throws Exception {
        ObjectNode a = tree(resource(null, "managed", "aws_s3_bucket", "logs", null, (String) null) + ","
                + resource("module.app", "managed", "aws_instance", "web", "list", "0", "1"));
        StateEdits.apply(SurgeryOperation.of("rm", "module.app.aws_instance.web[0]", null, null), "a", trees(a, null));
        assertThat(addresses(a)).containsExactly("aws_s3_bucket.logs", "module.app.aws_instance.web[1]");
        StateEdits.apply(SurgeryOperation.of("rm", "module.app.aws_instance.web[1]", null, null), "a", trees(a, null));
        assertThat(addresses(a)).containsExactly("aws_s3_bucket.logs");
        assertThat(a.path("resources")).hasSize(1); // the emptied resource went with its last instance
        StateEdits.apply(SurgeryOperation.of("rm", "aws_s3_bucket.logs", null, null), "a", trees(a, null));
        assertThat(addresses(a)).isEmpty();
        assertThatThrownBy(() -> StateEdits.apply(
                        SurgeryOperation.of("rm", "aws_s3_bucket.logs", null, null), "a", trees(a, null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no aws_s3_bucket.logs");
    }

    @Test
    void mvRenamesWithinAStateAndMovesIntoAnother() throws Exception {
        ObjectNode a = tree(resource(null, "managed", "aws_instance", "web", "list", "0", "1") + ","
                + resource(null, "managed", "aws_s3_bucket", "logs", null, (String) null));
        ObjectNode b = tree(resource(null, "managed", "aws_s3_bucket", "other", null, (String) null));
        Map<String, ObjectNode> trees = trees(a, b);
        StateEdits.apply(
                SurgeryOperation.of("mv", "aws_instance.web[1]", "module.app.aws_instance.web[\"blue\"]", null),
                "a",
                trees);
        assertThat(addresses(a))
                .containsExactly("aws_instance.web[0]", "aws_s3_bucket.logs", "module.app.aws_instance.web[\"blue\"]");
        assertThat(a.path("resources").get(2).path("each").asText()).isEqualTo("map");
        assertThat(a.path("resources")
                        .get(2)
                        .path("instances")
                        .get(0)
                        .path("attributes")
                        .path("id")
                        .asText())
                .as("the instance keeps its attributes")
                .isEqualTo("web1");

        StateEdits.apply(SurgeryOperation.of("mv", "aws_s3_bucket.logs", null, "b"), "a", trees);
        assertThat(addresses(a)).doesNotContain("aws_s3_bucket.logs");
        assertThat(addresses(b)).containsExactly("aws_s3_bucket.other", "aws_s3_bucket.logs");
        assertThat(b.path("resources").get(1).path("provider").asText()).contains("hashicorp/aws");

        StateEdits.apply(SurgeryOperation.of("mv", "aws_instance.web[0]", "aws_instance.single", null), "a", trees);
        assertThat(addresses(a)).containsExactly("module.app.aws_instance.web[\"blue\"]", "aws_instance.single");
        assertThat(a.path("resources").get(1).path("instances").get(0).has("index_key"))
                .isFalse();
    }

    @Test
    void aMoveOntoAnAddressInUseOrToAnotherTypeIsRefused() throws Exception {
        ObjectNode a = tree(resource(null, "managed", "aws_s3_bucket", "logs", null, (String) null) + ","
                + resource(null, "managed", "aws_s3_bucket", "data", null, (String) null));
        assertThatThrownBy(() -> StateEdits.apply(
                        SurgeryOperation.of("mv", "aws_s3_bucket.logs", "aws_s3_bucket.data", null),
                        "a",
                        trees(a, null)))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> SurgeryOperation.of("mv", "aws_s3_bucket.logs", "aws_instance.logs", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("keeps the resource type");
        assertThatThrownBy(() -> SurgeryOperation.of("cp", "aws_s3_bucket.logs", null, null))
                .isInstanceOf(InvalidInputException.class);
        assertThat(addresses(a)).containsExactly("aws_s3_bucket.logs", "aws_s3_bucket.data");
    }
}
