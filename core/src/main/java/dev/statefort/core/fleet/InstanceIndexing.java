package dev.statefort.core.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.insight.ResourceInstance;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.model.IndexedInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the search index keeps of a parsed state: per instance its address, type, provider, mode,
 * module, its identity's values and a bounded set of identifying attributes. Never a value the state
 * marks sensitive, never an attribute outside that set, never anything longer than {@link
 * #MAX_VALUE_CHARS}.
 */
public final class InstanceIndexing {
    /** The attributes that name the object an instance stands for, in the order they are kept. */
    public static final List<String> IDENTIFYING = List.of(
            "id", "arn", "name", "self_link", "bucket", "fqdn", "hostname", "email", "unique_id", "function_name");

    /** Values that do not identify anything (a provider's placeholder ID). */
    private static final Set<String> PLACEHOLDERS = Set.of("", "none", "null", "unknown", "-", "0");

    static final int MAX_VALUE_CHARS = 1024;
    private static final int MAX_IDENTITY_VALUES = 16;
    /** Longer identity keys are kept as their digest (a database index holds a few KiB per entry). */
    private static final int MAX_OWNER_KEY_BYTES = 1024;
    /** Longer addresses are not indexed (a database index holds a few KiB per entry). */
    static final int MAX_ADDRESS_BYTES = 1024;

    private InstanceIndexing() {}

    public static List<IndexedInstance> of(StateDocument document) {
        List<IndexedInstance> out = new ArrayList<>(document.resources().size());
        Set<String> seen = new java.util.HashSet<>();
        for (ResourceInstance r : document.resources()) {
            if (utf8Length(r.address()) > MAX_ADDRESS_BYTES || r.address().indexOf('\u0000') >= 0) {
                continue; // a key of that length is no address anyone searches for
            }
            if (seen.add(r.address())) { // a state repeating an address: its first instance
                out.add(of(r));
            }
        }
        return out;
    }

    static IndexedInstance of(ResourceInstance r) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : IDENTIFYING) {
            JsonNode value = r.attributes().get(name);
            if (value != null && isKeptScalar(value) && !isSensitive(r, name)) {
                fields.put(name, value.asText());
            }
        }
        Map<String, String> identity = identity(r.identity());
        identity.forEach((k, v) -> fields.put("identity." + k, v));
        return new IndexedInstance(
                r.address(), r.type(), r.provider(), r.mode(), r.module(), fields, ownerKey(r, fields, identity));
    }

    /** Whether the state marks attribute {@code name} (or all attributes) sensitive. */
    private static boolean isSensitive(ResourceInstance r, String name) {
        if (r.sensitive().isSensitive()) {
            return true;
        }
        var node = r.sensitive().field(name);
        return node != null && !node.isEmpty();
    }

    /** An identity's scalar values by name, sorted (so the same identity always makes the same key). */
    private static Map<String, String> identity(JsonNode identity) {
        Map<String, String> values = new TreeMap<>();
        if (identity == null) {
            return values;
        }
        identity.fields().forEachRemaining(e -> {
            if (values.size() < MAX_IDENTITY_VALUES && isKeptScalar(e.getValue())) {
                values.put(e.getKey(), e.getValue().asText());
            }
        });
        return values;
    }

    private static boolean isKeptScalar(JsonNode value) {
        return (value.isTextual() || value.isNumber())
                && value.asText().length() <= MAX_VALUE_CHARS
                && value.asText().indexOf('\u0000') < 0
                && !PLACEHOLDERS.contains(value.asText().strip().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * What makes two managed instances the same object: the type and the identity when there is one,
     * else the type and the ARN, else the type and the ID; null for a data source or nothing to go by.
     */
    private static String ownerKey(ResourceInstance r, Map<String, String> fields, Map<String, String> identity) {
        if (!"managed".equals(r.mode())) {
            return null;
        }
        if (!identity.isEmpty()) {
            StringBuilder key = new StringBuilder(r.type()).append(" identity");
            identity.forEach((k, v) -> key.append(' ').append(k).append('=').append(v));
            return utf8Length(key.toString()) <= MAX_OWNER_KEY_BYTES
                    ? key.toString()
                    : r.type() + " identity sha256=" + dev.statefort.core.auth.Secrets.sha256Hex(key.toString());
        }
        String key = fields.containsKey("arn")
                ? r.type() + " arn=" + fields.get("arn")
                : fields.containsKey("id") ? r.type() + " id=" + fields.get("id") : null;
        return key == null || utf8Length(key) <= MAX_OWNER_KEY_BYTES
                ? key
                : r.type() + " sha256=" + dev.statefort.core.auth.Secrets.sha256Hex(key);
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
