package dev.statefort.server.http;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.StateKey;
import java.util.Map;

/** The values of a matched route's {@code {placeholder}} segments, by name. */
public record PathParams(Map<String, String> values) {
    static final PathParams NONE = new PathParams(Map.of());

    /** The segment named {@code name}; the route table guarantees it is there and not empty. */
    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no {" + name + "} segment");
        }
        return value;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** {@code {project}}, checked as a project name (400 otherwise). */
    public String project() {
        return Names.require("project", get("project"));
    }

    /** {@code {project}} and {@code {state}}, checked as names (400 otherwise). */
    public StateKey state() {
        return new StateKey(get("project"), get("state"));
    }

    /** {@code {name}} as a version or quarantine number: a positive integer (400 otherwise). */
    public long number(String name) {
        return number(get(name), "a version or quarantine number");
    }

    public static long number(String text, String what) {
        try {
            long n = Long.parseLong(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(what + " must be a positive integer, not '" + text + "'");
    }
}
