package dev.statefort.server.http.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Small Terraform v4 state bodies built in code: {@code terraform_data} resources with an {@code
 * input} attribute (optionally marked sensitive) and outputs (optionally sensitive).
 */
final class TestStates {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LINEAGE = "6f3e1a52-0000-4000-8000-lineage00001";

    /** An OpenTofu client-side encrypted body, as tofu writes it: the summary cannot read it. */
    static final String ENCRYPTED = "{\"serial\":3,\"lineage\":\"" + LINEAGE + "\",\"meta\":{\"key_provider.pbkdf2.k\":"
            + "\"eyJzYWx0IjoiQUFBQSJ9\"},\"encrypted_data\":\"c2VjcmV0LWNpcGhlcnRleHQtYnl0ZXM=\","
            + "\"encryption_version\":\"v0\"}";

    private final ObjectNode root = JSON.createObjectNode();
    private final ArrayNode resources;
    private final ObjectNode outputs;

    private TestStates(long serial, String lineage) {
        root.put("version", 4);
        root.put("terraform_version", "1.11.4");
        root.put("serial", serial);
        root.put("lineage", lineage);
        outputs = root.putObject("outputs");
        resources = root.putArray("resources");
    }

    static TestStates state(long serial) {
        return new TestStates(serial, LINEAGE);
    }

    static TestStates state(long serial, String lineage) {
        return new TestStates(serial, lineage);
    }

    /** {@code count} resources {@code terraform_data.r0 .. r<count-1>}, input "v<i>". */
    static String withResources(long serial, int count) {
        TestStates s = state(serial);
        for (int i = 0; i < count; i++) {
            s.resource("r" + i, "v" + i, false);
        }
        return s.json();
    }

    /** A {@code terraform_data.<name>} whose {@code input} is {@code input} (marked sensitive if asked). */
    TestStates resource(String name, String input, boolean sensitive) {
        ObjectNode resource = resources.addObject();
        resource.put("mode", "managed");
        resource.put("type", "terraform_data");
        resource.put("name", name);
        resource.put("provider", "provider[\"terraform.io/builtin/terraform\"]");
        ObjectNode instance = resource.putArray("instances").addObject();
        instance.put("schema_version", 0);
        ObjectNode attributes = instance.putObject("attributes");
        attributes.put("id", "id-" + name);
        attributes.putObject("input").put("value", input).put("type", "string");
        // Terraform copies input to output without marking the copy sensitive
        attributes.putObject("output").put("value", input).put("type", "string");
        ArrayNode sensitivePaths = instance.putArray("sensitive_attributes");
        if (sensitive) {
            sensitivePaths.addArray().addObject().put("type", "get_attr").put("value", "input");
        }
        return this;
    }

    /** A module resource with a string index key: {@code module.<module>.terraform_data.<name>["key"]}. */
    TestStates moduleResource(String module, String name, String indexKey) {
        ObjectNode resource = resources.addObject();
        resource.put("module", "module." + module);
        resource.put("mode", "managed");
        resource.put("type", "terraform_data");
        resource.put("name", name);
        ObjectNode instance = resource.putArray("instances").addObject();
        instance.put("index_key", indexKey);
        instance.putObject("attributes").put("id", "id-" + indexKey);
        instance.putArray("sensitive_attributes");
        return this;
    }

    TestStates output(String name, String value, boolean sensitive) {
        ObjectNode output = outputs.putObject(name);
        output.put("value", value);
        output.put("type", "string");
        if (sensitive) {
            output.put("sensitive", true);
        }
        return this;
    }

    String json() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
