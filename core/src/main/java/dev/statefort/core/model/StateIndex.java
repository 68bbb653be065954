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
