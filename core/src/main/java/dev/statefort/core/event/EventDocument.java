package dev.statefort.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.model.AuditEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What an event says, as webhooks and the live stream send it: {@code {"type", "timestamp",
 * "data"}} (the Standard Webhooks payload shape), where data holds the event's ID, project, state,
 * version, actor, the state page's address and its recorded detail (lock IDs, findings, counts: no
 * state content, no token, no sensitive value; the actor's credential trace is left out too).
 */
public final class EventDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventDocument() {}

    /**
     * The event's JSON.
     *
     * @param baseUrl the server's public address for the state page link, or null (no link)
     * @param extra more fields for {@code data} (the resource counts of a write), or null
     */
    public static ObjectNode of(AuditEvent e, String type, String baseUrl, ObjectNode extra) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("type", type);
        doc.put("timestamp", e.at().toString());
        ObjectNode data = doc.putObject("data");
        data.put("id", e.id());
        data.put("project", e.project());
        if (e.state() != null) {
            data.put("state", e.state());
        }
        if (e.version() != null) {
            data.put("version", e.version());
        }
        data.put("actor", e.principal());
        String page = pageUrl(baseUrl, e);
        if (page != null) {
            data.put("url", page);
        }
        JsonNode detail = detail(e);
        if (detail instanceof ObjectNode fields) {
            fields.remove("credential");
            if (!fields.isEmpty()) {
                data.set("detail", fields);
            }
        }
        if (extra != null) {
            data.setAll(extra);
        }
        return doc;
    }

    /** The event as a Slack incoming-webhook message (Teams and Mattermost take the same {@code text}). */
    public static ObjectNode slack(AuditEvent e, String type, String baseUrl) {
        String where = e.state() == null ? e.project() : e.project() + "/" + e.state();
        String page = pageUrl(baseUrl, e);
        String subject = page == null ? "`" + where + "`" : "<" + page + "|" + where + ">";
        StringBuilder text = new StringBuilder("*").append(type).append("* on ").append(subject);
        if (e.version() != null) {
            text.append(" (version ").append(e.version()).append(')');
        }
        text.append(" by ").append(e.principal());
        JsonNode detail = detail(e);
        if (detail != null && detail.hasNonNull("lockId")) {
            text.append(", lock ").append(detail.get("lockId").asText());
        }
        if (detail != null && detail.has("findings")) {
            text.append(": ").append(detail.get("findings"));
        }
        if (detail != null && detail.hasNonNull("reason")) {
            text.append(": ").append(detail.get("reason").asText());
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.put("text", text.toString());
        return doc;
    }

    public static byte[] bytes(JsonNode doc) {
        try {
            return JSON.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event document is always serializable", e);
        }
    }

    private static JsonNode detail(AuditEvent e) {
        if (e.detail() == null || e.detail().isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(e.detail());
        } catch (JsonProcessingException ex) {
            return null;
        }
    }

    private static String pageUrl(String baseUrl, AuditEvent e) {
        if (baseUrl == null) {
            return null;
        }
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        String project = URLEncoder.encode(e.project(), StandardCharsets.UTF_8);
        return e.state() == null
                ? base + "/ui/projects/" + project
                : base + "/ui/projects/" + project + "/states/" + URLEncoder.encode(e.state(), StandardCharsets.UTF_8);
    }
}
