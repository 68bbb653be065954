package dev.statefort.core.insight;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A readable Terraform/OpenTofu state (format version 3 or 4), parsed for insight: resources with
 * their addresses and attributes, outputs. Opaque bodies (client-encrypted, unknown JSON) do not
 * parse: {@link #parse} returns empty and callers show "contents not readable".
 */
public final class StateDocument {
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(2_000)
                    .maxStringLength(200_000_000)
                    .build())
            .build());

    private final ObjectNode root;
    private final List<ResourceInstance> resources;
    private final Map<String, OutputValue> outputs;

    private StateDocument(ObjectNode root, List<ResourceInstance> resources, Map<String, OutputValue> outputs) {
        this.root = root;
        this.resources = resources;
        this.outputs = outputs;
    }

    /** Parses a state body; empty when it is not a readable Terraform state. */
    public static Optional<StateDocument> parse(InputStream in) throws IOException {
        JsonNode node;
        try {
            node = readToEnd(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
        return parse(node);
    }

    /**
     * Reads a JSON tree and then the rest of the stream: Jackson stops after the root value (and a
     * state file ends with a newline), but a stream that checks what it delivers (the version's
     * SHA-256) only judges when it is read to its end.
     */
    static JsonNode readToEnd(InputStream in) throws IOException {
        JsonNode node = JSON.readTree(new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // the caller closes the stream once it has been read to its end
            }
        });
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return node;
    }

    /** The parsed tree itself, for readers in this package that copy out what they need. */
    ObjectNode root() {
        return root;
    }

    public static Optional<StateDocument> parse(JsonNode node) {
        if (!(node instanceof ObjectNode root)
                || !root.path("version").isIntegralNumber()
                || root.has("encrypted_data")) {
            return Optional.empty();
        }
        List<ResourceInstance> resources = new ArrayList<>();
        for (JsonNode resource : root.path("resources")) {
            String module = resource.path("module").asText("");
            String mode = resource.path("mode").asText("managed");
            String type = resource.path("type").asText("");
            String name = resource.path("name").asText("");
            String base =
                    (module.isEmpty() ? "" : module + ".") + (mode.equals("data") ? "data." : "") + type + "." + name;
            for (JsonNode instance : resource.path("instances")) {
                JsonNode indexKey = instance.get("index_key");
                String address = base + indexSuffix(indexKey);
                JsonNode attributes = instance.path("attributes");
                if (!attributes.isObject()) {
                    attributes = JsonNodeFactory.instance.objectNode();
                }
                SensitivePaths sensitive = sensitivePaths(instance.path("sensitive_attributes"));
                resources.add(new ResourceInstance(
                        address, module, mode, type, name, indexKey, attributes, sensitive.text(), sensitive.tree()));
            }
        }
        Map<String, OutputValue> outputs = new LinkedHashMap<>();
        root.path("outputs")
                .fields()
                .forEachRemaining(e -> outputs.put(
                        e.getKey(),
                        new OutputValue(
                                e.getKey(),
                                e.getValue().path("value"),
                                e.getValue().get("type"),
                                e.getValue().path("sensitive").asBoolean(false))));
        return Optional.of(new StateDocument(root, List.copyOf(resources), Collections.unmodifiableMap(outputs)));
    }

    public List<ResourceInstance> resources() {
        return resources;
    }

    /**
     * The resources a filter matches, in state order: a substring of the address or of the type,
     * ignoring case and surrounding blanks; a null or blank filter matches every resource. The REST
     * API and the UI filter the same way.
     */
    public List<ResourceInstance> resourcesMatching(String filter) {
        String needle = filter == null ? "" : filter.trim().toLowerCase(java.util.Locale.ROOT);
        if (needle.isEmpty()) {
            return resources;
        }
        return resources.stream()
                .filter(r -> r.address().toLowerCase(java.util.Locale.ROOT).contains(needle)
                        || r.type().toLowerCase(java.util.Locale.ROOT).contains(needle))
                .toList();
    }

    public Map<String, OutputValue> outputs() {
        return outputs;
    }

    public Long serial() {
        return root.path("serial").isIntegralNumber() ? root.path("serial").asLong() : null;
    }

    public String lineage() {
        return root.path("lineage").isTextual() ? root.path("lineage").asText() : null;
    }

    public String terraformVersion() {
        return root.path("terraform_version").isTextual()
                ? root.path("terraform_version").asText()
                : null;
    }

    /** The parsed tree (callers that rewrite a state, e.g. restore, copy it first). */
    /** The document again, pretty-printed, with {@code serial} set. */
    public byte[] withSerial(long serial) throws java.io.IOException {
        ObjectNode copy = tree();
        copy.put("serial", serial);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(copy);
    }

    public ObjectNode tree() {
        return root.deepCopy();
    }

    private static String indexSuffix(JsonNode indexKey) {
        if (indexKey == null || indexKey.isNull()) {
            return "";
        }
        if (indexKey.isNumber()) {
            return "[" + indexKey.asText() + "]";
        }
        return "[\"" + indexKey.asText().replace("\"", "\\\"") + "\"]";
    }

    /** The sensitive paths of one instance, as text and as a tree. */
    private record SensitivePaths(Set<String> text, SensitiveTree tree) {}

    /**
     * Terraform writes sensitive attribute paths as arrays of steps: {@code {"type":"get_attr",
     * "value":"password"}} or {@code {"type":"index","value":{"value":0,"type":"number"}}}.
     * Attributes of dynamic type are stored as {@code {"value": ..., "type": ...}}, so the sensitive
     * path {@code input.secret} is {@code input.value.secret} in the JSON: both are kept. Linear in the
     * number of steps.
     */
    private static SensitivePaths sensitivePaths(JsonNode paths) {
        Set<String> text = new HashSet<>();
        SensitiveTree.Builder tree = new SensitiveTree.Builder();
        for (JsonNode path : paths) {
            List<Object> steps = new ArrayList<>();
            StringBuilder rendered = new StringBuilder();
            int firstStepEnd = -1;
            boolean understood = path.isArray() && !path.isEmpty();
            for (JsonNode step : path) {
                String kind = step.path("type").asText();
                JsonNode value = step.path("value");
                if (kind.equals("get_attr") && value.isTextual()) {
                    steps.add(value.asText());
                    AttributePaths.appendField(rendered, value.asText());
                } else if (kind.equals("index")) {
                    JsonNode key = value.has("value") ? value.get("value") : value;
                    if (key.isIntegralNumber() && key.canConvertToInt()) {
                        steps.add(key.asInt());
                        rendered.append('[').append(key.asText()).append(']');
                    } else {
                        steps.add(key.asText());
                        rendered.append("[\"").append(key.asText()).append("\"]");
                    }
                } else {
                    understood = false;
                    break;
                }
                if (firstStepEnd < 0) {
                    firstStepEnd = rendered.length();
                }
            }
            if (understood) {
                text.add(rendered.toString());
                text.add(rendered.substring(0, firstStepEnd) + ".value" + rendered.substring(firstStepEnd));
                tree.add(steps);
                List<Object> dynamic = new ArrayList<>(steps.size() + 1);
                dynamic.add(steps.getFirst());
                dynamic.add("value");
                dynamic.addAll(steps.subList(1, steps.size()));
                tree.add(dynamic);
            }
        }
        return new SensitivePaths(Set.copyOf(text), tree.build());
    }
}
