package dev.statefort.server.config;

import java.util.List;

/** The configuration is invalid; the message names each bad setting and how to fix it. */
public class ConfigException extends RuntimeException {
    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }
}
