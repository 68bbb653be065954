package dev.statefort.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import java.io.IOException;

/** JSON request bodies, as the REST API and the TFE API read them: declared as JSON, one small object. */
public final class JsonBodies {
    private JsonBodies() {}

    /**
     * {@code application/json}, or a structured {@code +json} type such as {@code
     * application/merge-patch+json} or {@code application/vnd.api+json}: a type no cross-site HTML form
     * can send.
     */
    public static boolean isJson(String mediaType) {
        return mediaType != null
                && (mediaType.equals("application/json")
                        || (mediaType.startsWith("application/") && mediaType.endsWith("+json")));
    }

    /**
     * The body as a JSON object (an empty body is {@code {}}); 400 with {@code notAnObject} for
     * anything else, 413 above {@code maxBytes}.
     */
    public static JsonNode object(Exchange exchange, ObjectMapper json, int maxBytes, String notAnObject)
            throws IOException {
        byte[] body = exchange.readSmallBody(maxBytes, "request body");
        if (body.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new InvalidInputException(notAnObject);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("request body is not valid JSON");
        }
    }

    /** The field {@code field} of a JSON object as text, or null when it is missing or null; 400 when it is not a string. */
    public static String text(JsonNode body, String field) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidInputException("\"" + field + "\" must be a string");
        }
        return v.asText();
    }
}
