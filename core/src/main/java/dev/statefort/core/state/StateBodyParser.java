package dev.statefort.core.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.statefort.core.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Checks that a body is exactly one JSON object and reads its top-level summary fields. Streams:
 * values it does not need (resources, long strings such as OpenTofu's {@code encrypted_data}) are
 * skipped without being buffered.
 */
final class StateBodyParser {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(2_000).build())
            .build();

    private StateBodyParser() {}

    /** Parses to the end of {@code in}; throws {@link InvalidInputException} for anything but one object. */
    static StateSummary parse(InputStream in) throws IOException {
        return parse(JSON.createParser(in));
    }

    /** {@link #parse(InputStream)} of {@code body[0, length)}. */
    static StateSummary parse(byte[] body, int length) throws IOException {
        return parse(JSON.createParser(body, 0, length));
    }

    private static StateSummary parse(JsonParser created) throws IOException {
        Long serial = null;
        String lineage = null;
        String terraformVersion = null;
        boolean numericVersion = false;
        boolean encrypted = false;
        Integer resourceCount = null;
        try (JsonParser parser = created) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException("state body must be a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "serial" -> serial = isLong(parser, value) ? parser.getLongValue() : null;
                    case "lineage" -> lineage = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "version" -> numericVersion = value == JsonToken.VALUE_NUMBER_INT;
                    case "terraform_version" ->
                        terraformVersion = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "resources" -> resourceCount = value == JsonToken.START_ARRAY ? countInstances(parser) : null;
                    case "encrypted_data" -> {
                        encrypted = true;
                        parser.skipChildren();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new InvalidInputException("state body must be exactly one JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " (near byte " + e.getLocation().getByteOffset() + ")";
            throw new InvalidInputException("state body is not valid JSON" + where);
        }
        boolean readable = numericVersion && !encrypted;
        return readable
                ? new StateSummary(true, serial, lineage, terraformVersion, resourceCount == null ? 0 : resourceCount)
                : StateSummary.OPAQUE;
    }

    /** At the start of {@code resources}: sums the lengths of every resource's {@code instances}. */
    private static int countInstances(JsonParser parser) throws IOException {
        int count = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("instances".equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        parser.skipChildren();
                        count++;
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        return count;
    }

    private static boolean isLong(JsonParser parser, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
    }
}
