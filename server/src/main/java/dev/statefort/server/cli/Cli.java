package dev.statefort.server.cli;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Permission;

/** The CLI acts on the data directory directly, as a global admin named after the OS user. */
final class Cli {
    private Cli() {}

    static Principal principal() {
        return new Principal("cli:" + System.getProperty("user.name"), null, Permission.ADMIN);
    }
}
