package dev.statefort.core.model;

import dev.statefort.core.InvalidInputException;
import java.util.Locale;

/** What a token may do, each level including the ones below it. */
public enum Permission {
    /**
     * Read a state's outputs only: a GET of the state address returns a synthesized state with the
     * outputs (non-sensitive, or as the state's allowlist says) and no resources. No API access.
     */
    OUTPUTS,
    /** Read states and versions. */
    READ,
    /** READ plus write, lock and unlock. */
    WRITE,
    /** WRITE plus administration (delete, projects, tokens). */
    ADMIN;

    public boolean includes(Permission other) {
        return compareTo(other) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Permission parse(String text) {
        for (Permission p : values()) {
            if (p.wireName().equalsIgnoreCase(text)) {
                return p;
            }
        }
        throw new InvalidInputException("unknown permission '" + text + "': use outputs, read, write or admin");
    }
}
