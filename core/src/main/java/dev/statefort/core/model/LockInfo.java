package dev.statefort.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.statefort.core.InvalidInputException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The LockInfo JSON exactly as the client sent it, plus the two fields Statefort reads from it. The
 * bytes are stored and returned unchanged (Terraform shows the holder from them on a 423).
 */
public final class LockInfo {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final byte[] json;
    private final String id;
    private final String operation;

    private LockInfo(byte[] json, String id, String operation) {
        this.json = json;
        this.id = id;
        this.operation = operation;
    }

    /** The longest lock ID a request may name ({@code ?ID=} of a write or a delete). */
    public static final int MAX_QUERY_ID_LENGTH = 1024;

    /**
     * The lock ID a write or a delete names ({@code ?ID=}, or the REST upload's {@code lockId}):
     * null for none (null or empty), 400 when longer than {@value #MAX_QUERY_ID_LENGTH} characters.
     */
    public static String queryId(String raw) {
        if (raw != null && raw.length() > MAX_QUERY_ID_LENGTH) {
            throw new InvalidInputException("lock ID is longer than " + MAX_QUERY_ID_LENGTH + " characters");
        }
        return raw == null || raw.isEmpty() ? null : raw;
    }

    /** Rebuilds a LockInfo from stored parts (no parsing). */
    public static LockInfo of(byte[] json, String id, String operation) {
        Objects.requireNonNull(json, "json");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("lock id must not be empty");
        }
        return new LockInfo(json.clone(), id, operation);
    }

    /**
     * Parses the client's LockInfo. It must be a JSON object with a non-empty string {@code ID};
     * {@code Operation} is optional free text.
     */
    public static LockInfo parse(byte[] json) {
        String id = null;
        String operation = null;
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException("lock info must be a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("ID".equals(field) && value == JsonToken.VALUE_STRING) {
                    id = parser.getText();
                } else if ("Operation".equals(field) && value == JsonToken.VALUE_STRING) {
                    operation = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new InvalidInputException("lock info is not a single JSON object");
            }
        } catch (IOException e) {
            throw new InvalidInputException("lock info is not valid JSON");
        }
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("lock info has no \"ID\"");
        }
        return new LockInfo(json.clone(), id, operation);
    }

    /** The exact bytes the client sent. */
    public byte[] json() {
        return json.clone();
    }

    public String id() {
        return id;
    }

    /** The client's {@code Operation} text, or null. */
    public String operation() {
        return operation;
    }

    /** The client's {@code Who} text (user@host for Terraform), or null. */
    public String who() {
        return textField("Who");
    }

    /**
     * A top-level string field of the client's LockInfo ({@code Info}, {@code Path}, ...), or null
     * when it is absent or not a string.
     */
    public String textField(String name) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(field)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null; // stored LockInfo was checked on LOCK; an odd one shows nothing
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LockInfo other
                && Arrays.equals(json, other.json)
                && id.equals(other.id)
                && Objects.equals(operation, other.operation);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(json);
    }

    @Override
    public String toString() {
        return "LockInfo[id=" + id + ", operation=" + operation + "]";
    }
}
