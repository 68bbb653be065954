package dev.statefort.server.http.tfe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.JsonBodies;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reading a JSON:API request body: its {@code data.attributes} and {@code data.relationships}, each field checked. */
final class TfeInput {
    /** A JSON:API body is small; an inline state is not (it has its own, larger limit). */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private TfeInput() {}

    /** The body as JSON (empty: an empty object); 400 for anything that is not a JSON object. */
    static JsonNode read(Exchange exchange, ObjectMapper json, int maxBytes) throws IOException {
        return JsonBodies.object(
                exchange, json, maxBytes, "the request body must be a JSON:API document (a JSON object)");
    }

    /** {@code data.attributes}, or an empty object. */
    static JsonNode attributes(JsonNode body) {
        JsonNode data = body.path("data");
        if (!data.isMissingNode() && !data.isNull() && !data.isObject()) {
            throw new InvalidInputException("data must be an object");
        }
        JsonNode attributes = data.path("attributes");
        if (!attributes.isMissingNode() && !attributes.isNull() && !attributes.isObject()) {
            throw new InvalidInputException("data.attributes must be an object");
        }
        return attributes;
    }

    /** A whole-number attribute; 400 when missing or not one. */
    static long number(JsonNode attributes, String name) {
        JsonNode value = attributes.path(name);
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new InvalidInputException(name + " must be a whole number");
        }
        return value.asLong();
    }

    /** A boolean attribute, false when missing or null; 400 when it is something else. */
    static boolean flag(JsonNode attributes, String name) {
        JsonNode value = attributes.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(name + " must be true or false");
        }
        return value.asBoolean();
    }

    /** A list of strings attribute, or null when missing or null; 400 for anything else. */
    static List<String> texts(JsonNode attributes, String name) {
        JsonNode value = attributes.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new InvalidInputException(name + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new InvalidInputException(name + " must be a list of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    /**
     * The tag names of a tags list: {@code data: [{"type":"tags","attributes":{"name":"x"}}]} as a
     * relationship of a new workspace ({@code data.relationships.tags}) or as the body of the tags
     * relationship routes; null when there is no such list.
     */
    static List<String> tagNames(JsonNode tagsData) {
        if (tagsData.isMissingNode() || tagsData.isNull()) {
            return null;
        }
        if (!tagsData.isArray()) {
            throw new InvalidInputException("tags must be a list of {\"type\":\"tags\",\"attributes\":{\"name\":...}}");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode tag : tagsData) {
            String name = JsonBodies.text(tag.path("attributes"), "name");
            if (name == null) {
                throw new InvalidInputException("each tag needs attributes.name");
            }
            names.add(name);
        }
        return names;
    }
}
