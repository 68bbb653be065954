package dev.statefort.store.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists of strings (version flags, quarantine reasons) as JSON array text, e.g. {@code ["a","b"]}.
 * Any string round-trips exactly (JSON escaping), which a separator-based encoding would not give.
 */
final class JsonLists {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private JsonLists() {}

    /** JSON array text; null for an empty list when {@code emptyAsNull}. */
    static String encode(List<String> items, boolean emptyAsNull) {
        if (items.isEmpty() && emptyAsNull) {
            return null;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (String item : items) {
                g.writeString(item);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The list in a JSON array text; empty for null. */
    static List<String> decode(String json) {
        if (json == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalStateException("stored list is not a JSON array");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
                out.add(p.getText());
            }
            if (t != JsonToken.END_ARRAY) {
                throw new IllegalStateException("stored list is not a JSON array of strings");
            }
        } catch (IOException e) {
            throw new IllegalStateException("stored list is not valid JSON", e);
        }
        return List.copyOf(out);
    }
}
