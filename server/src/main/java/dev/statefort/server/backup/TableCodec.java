package dev.statefort.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.store.jdbc.DatabaseSnapshots;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A table in a backup: JSON lines, the column names first, then each row as an array of values. */
final class TableCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableCodec() {}

    /** Writes one table, row by row. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long rows;

        Writer(List<String> columns) throws IOException {
            ObjectNode header = JSON.createObjectNode();
            ArrayNode names = header.putArray("columns");
            columns.forEach(names::add);
            line(header);
        }

        void row(Object[] values) throws IOException {
            ArrayNode row = JSON.createArrayNode();
            for (Object v : values) {
                switch (v) {
                    case null -> row.addNull();
                    case Long l -> row.add(l);
                    case Boolean b -> row.add(b);
                    case byte[] bytes ->
                        row.addObject().put("base64", Base64.getEncoder().encodeToString(bytes));
                    default -> row.add(v.toString());
                }
            }
            line(row);
            rows++;
        }

        long rows() {
            return rows;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void line(JsonNode node) throws IOException {
            out.write(JSON.writeValueAsBytes(node));
            out.write('\n');
        }
    }

    /** Reads a table written by {@link Writer}. */
    static DatabaseSnapshots.Table read(byte[] content, String entry) throws IOException {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.UTF_8))) {
            String first = lines.readLine();
            if (first == null) {
                throw new IOException(entry + " is empty");
            }
            List<String> columns = new ArrayList<>();
            JSON.readTree(first).path("columns").forEach(c -> columns.add(c.asText()));
            if (columns.isEmpty()) {
                throw new IOException(entry + " names no columns");
            }
            List<Object[]> rows = new ArrayList<>();
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode row = JSON.readTree(line);
                if (!row.isArray() || row.size() != columns.size()) {
                    throw new IOException(entry + " has a row that is not " + columns.size() + " values");
                }
                Object[] values = new Object[row.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = value(row.get(i));
                }
                rows.add(values);
            }
            return new DatabaseSnapshots.Table(List.copyOf(columns), rows);
        }
    }

    private static Object value(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isObject() && node.has("base64")) {
            return Base64.getDecoder().decode(node.get("base64").asText());
        }
        return node.asText();
    }
}
