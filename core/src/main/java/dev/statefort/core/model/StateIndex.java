package dev.statefort.core.model;

import java.util.List;
import java.util.Objects;

/**
 * What the fleet's search index holds for one version of a state: its instances, or why it holds
 * none.
 *
 * @param key the state
 * @param version the version number the index was made from
 * @param status whether the version could be indexed
 * @param instances the version's resource instances (empty unless {@link Status#INDEXED})
 */
public record StateIndex(StateKey key, long version, Status status, List<IndexedInstance> instances) {
    public StateIndex {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        instances = List.copyOf(instances);
        if (status != Status.INDEXED && !instances.isEmpty()) {
            throw new IllegalArgumentException("only an indexed version has instances");
        }
    }

    /**
     * A digest of what the index holds (status and instances, not the version): a store whose index
     * already holds the same moves only its version on, instead of writing every entry again (most
     * writes change attributes, not what identifies an object).
     */
    public String digest() {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder text = new StringBuilder(status.wireName());
        for (IndexedInstance i : instances) {
            text.append('\u0000')
                    .append(i.address())
                    .append('\u0001')
                    .append(i.type())
                    .append('\u0001')
                    .append(i.provider())
                    .append('\u0001')
                    .append(i.mode())
                    .append('\u0001')
                    .append(i.module())
                    .append('\u0001')
                    .append(i.ownerKey());
            i.fields()
                    .forEach((k, v) ->
                            text.append('\u0002').append(k).append('\u0003').append(v));
        }
        return java.util.HexFormat.of()
                .formatHex(sha.digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Why a version is or is not in the index. */
    public enum Status {
        /** Parsed: its instances are searchable. */
        INDEXED("indexed"),
        /** Not a plain Terraform state (client-side encrypted, or another format): listed, not indexed. */
        NOT_READABLE("not-readable"),
        /** Over the analysis limits: listed, not indexed. */
        TOO_LARGE("too-large");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Status fromWireName(String name) {
            for (Status s : values()) {
                if (s.wireName.equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown index status " + name);
        }
    }
}
