package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.JsonBodies;
import dev.statefort.server.http.QueryParams;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** What the REST API reads from a request besides the path: a small JSON body and query parameters. */
public final class ApiInput {
    static final int MAX_JSON_BYTES = 64 * 1024;

    private ApiInput() {}

    /** The body as a JSON object (an empty body is {@code {}}); 400 for anything else, 413 above 64 KiB. */
    static JsonNode readJson(Exchange exchange, ObjectMapper json) throws IOException {
        return JsonBodies.object(exchange, json, MAX_JSON_BYTES, "request body must be a JSON object");
    }

    /** The body's text field {@code field}, or null when it is missing or null; 400 when it is not a string. */
    static String text(JsonNode body, String field) {
        return JsonBodies.text(body, field);
    }

    static Instant instantParam(Exchange exchange, String name) {
        String v = exchange.query(name);
        return v == null ? null : instant(name, v);
    }

    /** {@code text} as an ISO-8601 UTC time; 400 naming {@code name} otherwise. */
    static Instant instant(String name, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name + " must be an ISO-8601 UTC time such as 2026-12-01T10:00:00Z");
        }
    }

    static int intParam(Exchange exchange, String name, int fallback, int min, int max) {
        return QueryParams.integer(exchange, name, fallback, min, max);
    }

    /** An array of strings, or empty when missing; 400 otherwise. */
    static java.util.List<String> strings(JsonNode body, String field) {
        JsonNode node = body.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return java.util.List.of();
        }
        if (!node.isArray()) {
            throw new InvalidInputException("\"" + field + "\" must be an array of strings");
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new InvalidInputException("\"" + field + "\" must be an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }
}
