package dev.statefort.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;

/**
 * A change freeze, put on one state or on a whole project by an admin: while it is in force every
 * new exclusive LOCK and every write outside a lock already held is refused with 423, and the
 * client is shown {@link #asHolder()}.
 *
 * @param state the frozen state's name, or null for the whole project
 * @param until when it ends by itself, or null (until an admin lifts it)
 */
public record Freeze(String project, String state, String reason, String frozenBy, Instant frozenAt, Instant until) {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Prefix of the {@code ID} a refused client is shown. */
    public static final String ID_PREFIX = "freeze: ";

    /** The {@code Operation} a refused client is shown. */
    public static final String OPERATION = "freeze";

    public Freeze {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(frozenBy, "frozenBy");
        Objects.requireNonNull(frozenAt, "frozenAt");
    }

    /** Whether it is in force at {@code now}. */
    public boolean activeAt(Instant now) {
        return until == null || until.isAfter(now);
    }

    /**
     * What the client is shown in the holder's place, whose {@code ID} carries the reason (Terraform
     * before 1.15 prints only the holder's ID): {@code Who} = the admin, {@code Operation} = {@code
     * freeze}, {@code Info} = the reason.
     */
    public LockRecord asHolder() {
        String scope = state == null ? "project " + project : "state " + project + "/" + state;
        String id = ID_PREFIX + reason + " (" + scope + " frozen by " + frozenBy
                + (until == null ? "" : " until " + until) + ")";
        LockInfo info = LockInfo.of(shownLockInfo(id, OPERATION, reason, frozenBy, frozenAt), id, OPERATION);
        return new LockRecord(info, frozenBy, frozenAt, frozenAt, null, LockRecord.Kind.FREEZE);
    }

    /** A LockInfo JSON as Terraform writes it, for a holder made up by the server. */
    public static byte[] shownLockInfo(String id, String operation, String info, String who, Instant created) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ID", id);
            g.writeStringField("Operation", operation);
            g.writeStringField("Info", info);
            g.writeStringField("Who", who);
            g.writeStringField("Version", "");
            g.writeStringField("Created", created.toString());
            g.writeStringField("Path", "");
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
