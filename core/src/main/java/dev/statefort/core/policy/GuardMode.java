package dev.statefort.core.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.statefort.core.InvalidInputException;
import java.util.Locale;

/** What the destructive-write guard does with a write it flags. */
public enum GuardMode {
    /** Flags nothing. */
    OFF,
    /** Accepts the write and flags it in the version list and the audit log (default). */
    WARN,
    /** Refuses the write with 409 and keeps it quarantined for an admin to view, diff or promote. */
    ENFORCE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static GuardMode parse(String text) {
        for (GuardMode m : values()) {
            if (m.wireName().equalsIgnoreCase(text)) {
                return m;
            }
        }
        throw new InvalidInputException("guard must be off, warn or enforce, not '" + text + "'");
    }
}
