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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A readable Terraform/OpenTofu state (format version 3 or 4), parsed for insight: resources with
 * their addresses and attributes, outputs. Opaque bodies (client-encrypted, unknown JSON) do not
 * parse: {@link #parse} returns empty and callers show "contents not readable".
 */
public final class StateDocument {
    /** Reads states whole (restore, outputs of a state over the analysis limits) and writes answers. */
    static final ObjectMapper JSON = mapper(AnalysisLimits.DEFAULT_MAX_DEPTH * 10, Long.MAX_VALUE);

    private static final long DEFAULT_MAX_ADDRESS_CHARS = 64L * 1024 * 1024;

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
        return parse(in, DEFAULT_LIMITS, DEFAULT_MAX_ADDRESS_CHARS);
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

    /** Parses under {@code limits}, reusing its readers (as {@link #parse(InputStream, AnalysisLimits)}). */
    public static Parser parser(AnalysisLimits limits) {
        return new Parser(limits);
    }

    /** {@link #parse(InputStream, AnalysisLimits)} with its limits set once, its readers made once. */
    public static final class Parser {
        private final ObjectMapper trees;
        private final ObjectMapper streams;
        private final long maxAddressChars;

        private Parser(AnalysisLimits limits) {
            this.trees = mapper(limits.maxDepth(), limits.maxNodes());
            this.streams = mapper(AnalysisLimits.DEFAULT_MAX_DEPTH * 10, limits.maxNodes());
            // a normal state's addresses hold far fewer characters than the state has bytes
            this.maxAddressChars = Math.max(1024 * 1024, Math.min(limits.maxStateBytes(), DEFAULT_MAX_ADDRESS_CHARS));
        }

        public Optional<StateDocument> parse(InputStream in) throws IOException {
            return StateDocument.parse(in, trees, maxAddressChars);
        }

        /**
         * A streaming parser over {@code in} that reads at most the limits' JSON tokens and leaves
         * {@code in} open (its caller reads it to its end).
         */
        com.fasterxml.jackson.core.JsonParser streaming(InputStream in) throws IOException {
            return streams.createParser(new java.io.FilterInputStream(in) {
                @Override
                public void close() {
                    // the caller reads the stream to its end, then closes it
                }
            });
        }
    }

    private static Optional<StateDocument> parse(InputStream in, ObjectMapper mapper, long maxAddressChars)
            throws IOException {
        JsonNode node;
        try {
            node = readToEnd(in, mapper);
        } catch (StreamConstraintsException e) {
            throw AnalysisLimitException.of(e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
        return parse(node, maxAddressChars);
    }

    /** An estimate of the heap this document holds (its tree, masked copies and instances). */
    public long heapBytes() {
        return heapBytes;
    }

    private static long weigh(ObjectNode root, List<ResourceInstance> resources) {
        long bytes = HeapWeight.of(root);
        for (ResourceInstance r : resources) {
            bytes += 160 + HeapWeight.ofString(r.address()) + r.sensitive().heapBytes();
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

    /** A parsed tree as a document, its addresses together at most 64 Mi characters. */
    public static Optional<StateDocument> parse(JsonNode node) {
        return parse(node, DEFAULT_MAX_ADDRESS_CHARS);
    }

    /**
     * A parsed tree as a document; empty when it is not a readable Terraform state.
     *
     * @param maxAddressChars what the instances' addresses may hold together: each repeats its
     *     resource's module, type and name, so a few tokens with long names would otherwise make
     *     gigabytes of addresses
     * @throws AnalysisLimitException when the addresses would be longer
     */
    static Optional<StateDocument> parse(JsonNode node, long maxAddressChars) {
        if (!isReadableState(node)) {
            return Optional.empty();
        }
        ObjectNode root = (ObjectNode) node;
        List<ResourceInstance> resources = new ArrayList<>();
        long addressChars = 0;
        for (JsonNode resource : root.path("resources")) {
            String module = resource.path("module").asText("");
            String mode = resource.path("mode").asText("managed");
            String type = resource.path("type").asText("");
            String name = resource.path("name").asText("");
            String provider = resource.path("provider").asText("");
            String base =
                    (module.isEmpty() ? "" : module + ".") + (mode.equals("data") ? "data." : "") + type + "." + name;
            for (JsonNode instance : resource.path("instances")) {
                JsonNode indexKey = instance.get("index_key");
                String suffix = indexSuffix(indexKey);
                addressChars += base.length() + suffix.length();
                if (addressChars > maxAddressChars) {
                    throw AnalysisLimitException.addressesTooLong();
                }
                String address = base + suffix;
                JsonNode attributes = instance.path("attributes");
                if (!attributes.isObject()) {
                    attributes = JsonNodeFactory.instance.objectNode();
                }
                SensitiveTree sensitive = SensitiveTree.of(instance.path("sensitive_attributes"));
                resources.add(new ResourceInstance(
                        address,
                        module,
                        mode,
                        type,
                        name,
                        indexKey,
                        attributes,
                        sensitive,
                        Masking.maskAttributes(attributes, sensitive), // masked once, here
                        provider,
                        instance.get("identity") instanceof ObjectNode identity ? identity : null));
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
}
