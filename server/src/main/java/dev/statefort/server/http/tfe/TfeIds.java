package dev.statefort.server.http.tfe;

import dev.statefort.core.NotFoundException;
import dev.statefort.core.model.StateKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The TFE API's IDs of Statefort's things, derived from names so that any node answers any ID with
 * no lookup table: a workspace is a state ({@code ws-}), a state version a version of it by number,
 * or, while its upload is pending, by the serial it declared ({@code sv-}), an output one output of
 * a version ({@code wsout-}). Each is a prefix and the base64url of {@code project/state[/...]}.
 */
final class TfeIds {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private TfeIds() {}

    /** A state version: {@code number} when written, else the pending upload of {@code serial}. */
    record Version(StateKey key, Long number, Long serial) {
        String id() {
            return encode("sv-", key, number != null ? "n" + number : "s" + serial);
        }
    }

    /** One output of a version. */
    record Output(StateKey key, long number, String name) {
        String id() {
            return encode("wsout-", key, number + "/" + name);
        }
    }

    /** An HCP project's ID (projects have no effect: nothing reads it back). */
    static String project(String project, String name) {
        return "prj-" + ENCODER.encodeToString((project + "/" + name).getBytes(StandardCharsets.UTF_8));
    }

    static String workspace(StateKey key) {
        return encode("ws-", key, null);
    }

    static StateKey workspace(String id) {
        String[] parts = decode("ws-", id, 2);
        return key(parts, id);
    }

    static Version version(String id) {
        String[] parts = decode("sv-", id, 3);
        String which = parts[2];
        try {
            long value = Long.parseLong(which.substring(1));
            if (which.startsWith("n")) {
                return new Version(key(parts, id), value, null);
            }
            if (which.startsWith("s")) {
                return new Version(key(parts, id), null, value);
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // below
        }
        throw unknown(id);
    }

    static Output output(String id) {
        String[] parts = decode("wsout-", id, 4);
        try {
            return new Output(key(parts, id), Long.parseLong(parts[2]), parts[3]);
        } catch (NumberFormatException e) {
            throw unknown(id);
        }
    }

    private static String encode(String prefix, StateKey key, String rest) {
        String plain = key.project() + "/" + key.name() + (rest == null ? "" : "/" + rest);
        return prefix + ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String prefix, String id, int parts) {
        if (id == null || !id.startsWith(prefix) || id.length() > 1024) {
            throw unknown(id);
        }
        try {
            String plain = new String(DECODER.decode(id.substring(prefix.length())), StandardCharsets.UTF_8);
            String[] split = plain.split("/", parts);
            if (split.length != parts) {
                throw unknown(id);
            }
            return split;
        } catch (IllegalArgumentException e) {
            throw unknown(id);
        }
    }

    private static StateKey key(String[] parts, String id) {
        try {
            return new StateKey(parts[0], parts[1]);
        } catch (RuntimeException e) {
            throw unknown(id);
        }
    }

    private static NotFoundException unknown(String id) {
        String shown = id == null ? "" : id.length() > 80 ? id.substring(0, 80) + "..." : id;
        return new NotFoundException("no such ID: " + shown.replaceAll("[^A-Za-z0-9_-]", "?"));
    }
}
