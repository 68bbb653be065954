package dev.statefort.server.http;

import dev.statefort.core.InvalidInputException;

/** Query parameters as the REST API and the TFE API read them. */
public final class QueryParams {
    private QueryParams() {}

    /** The parameter {@code name} as a whole number {@code min..max}; {@code fallback} when absent, 400 otherwise. */
    public static int integer(Exchange exchange, String name, int fallback, int min, int max) {
        String v = exchange.query(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(name + " must be an integer " + min + ".." + max);
    }
}
