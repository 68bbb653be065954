package dev.statefort.server.backup;

/**
 * Where things are in a backup file, a tar: {@code db/<table>.jsonl} (a first line {@code
 * {"columns":[...]}}, then one JSON array per row; bytes as {@code {"base64":"..."}}), {@code
 * blobs/<blob key>} (the blob exactly as stored: encrypted and compressed), and {@code
 * manifest.json} last (the SHA-256 of every other entry). There is never a master key in it.
 */
final class BackupLayout {
    static final String FORMAT = "statefort-backup";
    static final int FORMAT_VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String DB = "db/";
    static final String TABLE_SUFFIX = ".jsonl";
    static final String BLOBS = "blobs/";

    private BackupLayout() {}

    static String table(String name) {
        return DB + name + TABLE_SUFFIX;
    }

    static String blob(String key) {
        return BLOBS + key;
    }
}
