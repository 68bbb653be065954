package dev.statefort.core.testing;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Permission;

/** Principals for tests that exercise a use case's rules rather than its permission check. */
public final class TestPrincipals {
    private TestPrincipals() {}

    /** Admin of every project, named {@code name} (as the audit log and the version history show it). */
    public static Principal admin(String name) {
        return new Principal(name, null, Permission.ADMIN);
    }
}
