package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The heap a parsed tree holds, counted node by node (a 64-bit JVM with compressed references:
 * 12-byte headers, 4-byte references, 8-byte alignment; checked against the heap a full collection
 * leaves, see {@code WorstCaseAnalysisTest}) as Jackson builds it: an object node is a
 * {@code LinkedHashMap} with its table and one entry per field, an array node an {@code ArrayList},
 * a text node its {@code String} and bytes (two a character beyond Latin-1). Field names are counted
 * once per distinct instance (Jackson shares the names it has seen). The shape is what costs, not the
 * raw size: {@code [{},{},…]} holds about 40 bytes of heap for each raw byte.
 */
final class HeapWeight {
    /**
     * The node (header, factory, map), its {@code LinkedHashMap} (64 bytes since Java 21) and the
     * map's entry-set view, which the map keeps once anything iterated it (serializing, comparing,
     * masking and this walk all do).
     */
    private static final long OBJECT_NODE = align(20) + 64 + 24;

    private static final long MAP_ENTRY = align(36);
    /** The node and its {@code ArrayList}. */
    private static final long ARRAY_NODE = align(20) + align(24);

    private static final long STRING = align(24);
    private static final long REFERENCE = 4;

    private final Set<String> names = Collections.newSetFromMap(new IdentityHashMap<>());
    private long bytes;

    private HeapWeight() {}

    /** The heap of {@code nodes} together (a node reachable from two of them counted twice). */
    static long of(JsonNode... nodes) {
        HeapWeight weight = new HeapWeight();
        for (JsonNode node : nodes) {
            if (node != null) {
                weight.add(node);
            }
        }
        return weight.bytes;
    }

    /** The heap of a string of {@code text}. */
    static long ofString(String text) {
        return STRING + bytes(text);
    }

    private void add(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                bytes += OBJECT_NODE;
                if (!node.isEmpty()) {
                    bytes += align(16 + REFERENCE * tableCapacity(node.size())) + MAP_ENTRY * node.size();
                }
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (names.add(field.getKey())) {
                        bytes += ofString(field.getKey());
                    }
                    add(field.getValue());
                }
            }
            case ARRAY -> {
                bytes += ARRAY_NODE;
                if (!node.isEmpty()) {
                    bytes += align(16 + REFERENCE * (node.size() + node.size() / 2 + 1));
                }
                for (JsonNode element : node) {
                    add(element);
                }
            }
            case STRING -> bytes += align(16) + ofString(node.textValue());
            case NUMBER -> bytes += node.isInt() ? align(16) : node.isBigInteger() || node.isBigDecimal() ? 80 : 24;
            case BINARY, POJO -> bytes += align(16) + 64;
            default -> {
                // booleans, nulls and missing nodes are shared instances
            }
        }
    }

    /** A {@code HashMap}'s table for {@code size} entries: a power of two, at least 16, kept 3/4 full at most. */
    private static long tableCapacity(int size) {
        long capacity = 16;
        while (capacity * 3 / 4 < size) {
            capacity <<= 1;
        }
        return capacity;
    }

    private static long bytes(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return align(16 + 2L * text.length());
            }
        }
        return align(16 + (long) text.length());
    }

    private static long align(long size) {
        return (size + 7) & ~7L;
    }
}
