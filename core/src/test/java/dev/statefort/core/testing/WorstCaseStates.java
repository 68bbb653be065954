package dev.statefort.core.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The worst-case inputs of issue 25's review, as generators: states a reader or a writer with a
 * scoped token can store, built to cost the analysis (parse, mask, diff, cache) as much as possible.
 * Each is one {@code terraform_data.worst} instance whose attributes carry the shape.
 */
public final class WorstCaseStates {
    private WorstCaseStates() {}

    /**
     * A number Jackson's {@code LongNode.hashCode()} ({@code (int) v ^ (int) (v >> 32)}) maps to 0:
     * every one of them lands in the same hash bin.
     */
    public static long collidingNumber(int a) {
        return ((long) a << 32) + a;
    }

    /**
     * {@code count} colliding numbers under the sensitive attribute {@code secret}, the same numbers
     * again under the unmarked {@code copy} (a derived copy: masked too), and {@code count} other
     * colliding numbers under {@code open} (not sensitive: shown). 20,000 of them cost about 15 s of CPU
     * per masking with a hash set of {@code JsonNode}s.
     */
    public static byte[] collidingNumbers(int count) {
        StringBuilder secret = new StringBuilder();
        StringBuilder open = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            String sep = i == 1 ? "" : ",";
            secret.append(sep).append(collidingNumber(i));
            open.append(sep).append(collidingNumber(count + i));
        }
        String attributes = "\"secret\":[" + secret + "],\"copy\":[" + secret + "],\"open\":[" + open + "]";
        return instance(attributes, "[[{\"type\":\"get_attr\",\"value\":\"secret\"}]]", 1);
    }

    /**
     * Arrays nested {@code depth} deep with {@code width} numbers at the bottom, each {@code first +
     * i}: two versions with another {@code first} differ in every leaf, and each leaf's path is {@code
     * depth} steps long ({@code deep[0][0]…[0][i]}). At a depth of 1,900 and 30,000 leaves (about 100
     * KB) a diff that flattens both sides builds hundreds of megabytes of paths.
     */
    public static byte[] deepArrays(int depth, int width, long first, long serial) {
        StringBuilder deep = new StringBuilder();
        deep.append("[".repeat(depth));
        for (int i = 0; i < width; i++) {
            deep.append(i == 0 ? "" : ",").append(first + i);
        }
        deep.append("]".repeat(depth));
        return instance("\"deep\":" + deep, "[]", serial);
    }

    /**
     * {@code [{},{},…]} of about {@code bytes} bytes under one attribute: three raw bytes for each empty
     * object, each of which costs a {@code ObjectNode} and a {@code LinkedHashMap} (about 72 bytes of
     * heap) once parsed. 30 MB of it took 930 MB of heap when weighed as four times its size.
     */
    public static byte[] emptyObjects(long bytes) {
        int count = (int) Math.max(1, bytes / 3);
        StringBuilder list = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 16, 3L * count + 16));
        list.append('[');
        for (int i = 0; i < count; i++) {
            list.append(i == 0 ? "{}" : ",{}");
        }
        list.append(']');
        return instance("\"list\":" + list, "[]", 1);
    }

    /**
     * One resource whose type is {@code nameLength} characters long with {@code instances} counted
     * instances: each address repeats the type, so 10 MB of name and 1,000 instances (about 4,000 JSON
     * tokens) would make 10 GB of addresses.
     */
    public static byte[] longNames(int nameLength, int instances) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < instances; i++) {
            list.append(i == 0 ? "" : ",").append("{\"index_key\":").append(i).append(",\"attributes\":{}}");
        }
        return ("{\"version\":4,\"serial\":1,\"lineage\":\"worst\",\"outputs\":{},\"resources\":[{\"mode\":"
                        + "\"managed\",\"type\":\"" + "t".repeat(nameLength) + "\",\"name\":\"n\",\"instances\":["
                        + list + "]}]}")
                .getBytes(UTF_8);
    }

    /**
     * One sensitive path of {@code steps} steps (each {@code get_attr "s"}), about eight JSON levels
     * deep however long: anything that recursed once per step would overflow the stack. A second,
     * short path names the secret at {@code s.s}.
     */
    public static byte[] longSensitivePath(int steps, long serial) {
        StringBuilder path = new StringBuilder("[");
        for (int i = 0; i < steps; i++) {
            path.append(i == 0 ? "" : ",").append("{\"type\":\"get_attr\",\"value\":\"s\"}");
        }
        path.append(']');
        return instance(
                "\"s\":{\"s\":\"secret-" + serial + "\"},\"open\":\"v" + serial + "\"",
                "[" + path + "," + SECRET_PATH + "]",
                serial);
    }

    /** The path {@code s.s}. */
    private static final String SECRET_PATH =
            "[{\"type\":\"get_attr\",\"value\":\"s\"},{\"type\":\"get_attr\",\"value\":\"s\"}]";

    private static byte[] instance(String attributes, String sensitive, long serial) {
        return ("{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":" + serial
                        + ",\"lineage\":\"worst\",\"outputs\":{},\"resources\":[{\"mode\":\"managed\","
                        + "\"type\":\"terraform_data\",\"name\":\"worst\",\"instances\":[{\"attributes\":{"
                        + attributes + "},\"sensitive_attributes\":" + sensitive + "}]}]}")
                .getBytes(UTF_8);
    }
}
