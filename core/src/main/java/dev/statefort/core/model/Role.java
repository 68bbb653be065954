package dev.statefort.core.model;

import dev.statefort.core.InvalidInputException;
import java.util.Locale;

/** A user's role in one project; each includes the ones before it. */
public enum Role {
    /** Read states, versions, diffs and the audit log of the project. */
    VIEWER(Permission.READ),
    /**
     * VIEWER plus write, lock and unlock through the backend, including Terraform's {@code
     * force-unlock} (an empty-body UNLOCK), which any writer needs after a killed apply.
     */
    WRITER(Permission.WRITE),
    /**
     * WRITER plus the REST/UI force-unlock, restore, delete, members, tokens, aliases and settings.
     */
    ADMIN(Permission.ADMIN);

    private final Permission permission;

    Role(Permission permission) {
        this.permission = permission;
    }

    /** What the role allows, as a token permission. */
    public Permission permission() {
        return permission;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.wireName().equalsIgnoreCase(text)) {
                return r;
            }
        }
        throw new InvalidInputException("unknown role '" + text + "': use viewer, writer or admin");
    }
}
