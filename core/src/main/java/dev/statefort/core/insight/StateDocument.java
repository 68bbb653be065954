package dev.statefort.core.insight;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
    /** Reads states whole (restore, outputs of a state over the analysis limits) and writes answers. */
    static final ObjectMapper JSON = mapper(AnalysisLimits.DEFAULT_MAX_DEPTH * 10, Long.MAX_VALUE);

    private static final ObjectMapper DEFAULT_LIMITS =
            mapper(AnalysisLimits.DEFAULT_MAX_DEPTH, AnalysisLimits.DEFAULT_MAX_NODES);

    private final ObjectNode root;
    private final List<ResourceInstance> resources;
    private final Map<String, OutputValue> outputs;
    private final long heapBytes;

    private StateDocument(ObjectNode root, List<ResourceInstance> resources, Map<String, OutputValue> outputs) {
        this.root = root;
        this.resources = resources;
        this.outputs = outputs;
        this.heapBytes = weigh(root, resources);
    }

    private static ObjectMapper mapper(int maxDepth, long maxTokens) {
        return new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxTokenCount(maxTokens)
                        .maxStringLength(200_000_000)
                        .build())
                .build());
    }

    /**
     * Parses a state body under the default {@link AnalysisLimits}; empty when it is not a readable
     * Terraform state.
     *
     * @throws AnalysisLimitException when it has more JSON tokens or nests deeper than the limits
     */
    public static Optional<StateDocument> parse(InputStream in) throws IOException {
        return parse(in, DEFAULT_LIMITS);
    }

    /**
     * Parses a state body with at most {@code limits.maxNodes()} JSON tokens nested at most {@code
     * limits.maxDepth()} deep (Jackson counts while it reads, so a body over them costs no more heap
     * than one at them); empty when it is not a readable Terraform state.
     *
     * @throws AnalysisLimitException when the body is over those limits
     */
    public static Optional<StateDocument> parse(InputStream in, AnalysisLimits limits) throws IOException {
        return parser(limits).parse(in);
    }

    /** Parses under {@code limits}, reusing one reader (as {@link #parse(InputStream, AnalysisLimits)}). */
    public static Parser parser(AnalysisLimits limits) {
        ObjectMapper mapper = mapper(limits.maxDepth(), limits.maxNodes());
        return in -> parse(in, mapper);
    }

    /** {@link #parse(InputStream, AnalysisLimits)} with its limits set once. */
    @FunctionalInterface
    public interface Parser {
        Optional<StateDocument> parse(InputStream in) throws IOException;
    }

    private static Optional<StateDocument> parse(InputStream in, ObjectMapper mapper) throws IOException {
        JsonNode node;
        try {
            node = readToEnd(in, mapper);
        } catch (StreamConstraintsException e) {
            throw AnalysisLimitException.of(e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
        return parse(node);
    }

    /** An estimate of the heap this document holds (its tree, masked copies and instances). */
    public long heapBytes() {
        return heapBytes;
    }

    private static long weigh(ObjectNode root, List<ResourceInstance> resources) {
        long bytes = HeapWeight.of(root);
        for (ResourceInstance r : resources) {
            bytes += 160
                    + HeapWeight.ofString(r.address())
                    + 48L * r.sensitivePaths().size();
            if (r.maskedAttributes() != r.attributes()) {
                bytes += HeapWeight.of(r.maskedAttributes());
            }
        }
        return bytes;
    }

    /** The instances by address (the last one wins when a state repeats an address). */
    Map<String, ResourceInstance> byAddress() {
        Map<String, ResourceInstance> map = new java.util.HashMap<>();
        for (ResourceInstance r : resources) {
            map.put(r.address(), r);
        }
        return map;
    }

    /**
     * Reads a JSON tree and then the rest of the stream: Jackson stops after the root value (and a
     * state file ends with a newline), but a stream that checks what it delivers (the version's
     * SHA-256) only judges when it is read to its end.
     */
    static JsonNode readToEnd(InputStream in) throws IOException {
        return readToEnd(in, JSON);
    }

    private static JsonNode readToEnd(InputStream in, ObjectMapper mapper) throws IOException {
        JsonNode node = mapper.readTree(new java.io.FilterInputStream(in) {
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
        if (!isReadableState(node)) {
            return Optional.empty();
        }
        ObjectNode root = (ObjectNode) node;
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
                        address,
                        module,
                        mode,
                        type,
                        name,
                        indexKey,
                        attributes,
                        sensitive.text(),
                        sensitive.tree(),
                        Masking.maskAttributes(attributes, sensitive.tree()))); // masked once, here
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

    /**
     * A readable state's bytes again, pretty-printed, with {@code serial} set; empty when {@code
     * content} is not a readable Terraform state. Reads the whole body, without the analysis limits:
     * a restore must work for every version.
     */
    public static Optional<byte[]> withSerial(byte[] content, long serial) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(content);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
        if (!isReadableState(node)) {
            return Optional.empty();
        }
        ((ObjectNode) node).put("serial", serial);
        return Optional.of(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    }

    private static boolean isReadableState(JsonNode node) {
        return node instanceof ObjectNode root
                && root.path("version").isIntegralNumber()
                && !root.has("encrypted_data");
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
