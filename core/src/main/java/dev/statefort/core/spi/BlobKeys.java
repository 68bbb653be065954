package dev.statefort.core.spi;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one rule for {@link BlobStore} keys, for every implementation to check with, and the layout
 * of a state's blobs: {@code <project>/<state>/<profile>/<uuid>}, so a blob's key names the storage
 * profile that holds it (a key is never reused, and a move gives the blob a new key). Keys written
 * before storage profiles could be moved, {@code <project>/<state>/<uuid>}, name none: they are on
 * their project's profile. A small state's blob is kept in the database, in the same transaction
 * as its version row: its key is {@code <project>/<state>/_db/<uuid>} ({@link #newDatabaseBlob}),
 * whose third segment no profile can be named (profile names are lower-case letters and digits).
 */
public final class BlobKeys {
    /** Longest key accepted (keeps file names and object names well inside every backend's limit). */
    public static final int MAX_LENGTH = 1024;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    private BlobKeys() {}

    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** A fresh key for a blob of {@code state} in {@code project}, kept on the storage profile {@code profile}. */
    public static String newStateBlob(String project, String state, String profile) {
        return require(project + "/" + state + "/" + profile + "/" + UUID.randomUUID());
    }

    /** The third segment of the key of a blob kept in the database rather than on a storage profile. */
    public static final String DATABASE_SEGMENT = "_db";

    /** A fresh key for a blob of {@code state} in {@code project} kept in the database ({@link SmallBlobStore}). */
    public static String newDatabaseBlob(String project, String state) {
        return require(project + "/" + state + "/" + DATABASE_SEGMENT + "/" + UUID.randomUUID());
    }

    /** Whether the blob under {@code key} is kept in the database (see {@link #newDatabaseBlob}). */
    public static boolean isInDatabase(String key) {
        int first = key.indexOf('/');
        int second = first < 0 ? -1 : key.indexOf('/', first + 1);
        return second > 0 && key.startsWith(DATABASE_SEGMENT + "/", second + 1) && key.indexOf('/', second + 5) < 0;
    }

    /** A fresh key beside {@code key}: the same place (and profile), a new last segment. */
    public static String renewed(String key) {
        return require(key).substring(0, key.lastIndexOf('/') + 1) + UUID.randomUUID();
    }

    /**
     * The storage profile a state blob's key names; empty for a key that names none. Never asked of a
     * key {@linkplain #isInDatabase in the database}, which is on no profile.
     */
    public static Optional<String> profileOf(String key) {
        String[] segments = require(key).split("/");
        return segments.length == 4 ? Optional.of(segments[2]) : Optional.empty();
    }

    /** The project a key belongs to: its first segment. */
    public static String projectOf(String key) {
        return require(key).split("/", 2)[0];
    }

    /** Returns the key, or throws {@link IllegalArgumentException} when it is not a valid blob key. */
    public static String require(String key) {
        if (!isValid(key)) {
            throw new IllegalArgumentException("invalid blob key: segments must match [A-Za-z0-9._-]+, "
                    + "joined by '/', no '.' or '..' segment, at most " + MAX_LENGTH + " characters");
        }
        return key;
    }
}
