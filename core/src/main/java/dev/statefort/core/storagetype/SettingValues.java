package dev.statefort.core.storagetype;

import java.nio.file.Path;

/**
 * The configuration's merged setting values (file, environment and flags) as a {@link StorageKey}
 * reads them: each reader returns the value or the fallback and adds a problem naming where a bad
 * value came from, so every problem is reported at once, at start. The server's configuration
 * loader implements it.
 */
public interface SettingValues {
    /** Where the value of {@code key} came from: the file's setting or the environment variable. */
    String where(String key);

    /** Whether {@code key} is set at all. */
    boolean isSet(String key);

    /** Text; {@code fallback} when unset or empty. */
    String text(String key, String fallback);

    /** An absolute path; {@code fallback} when unset. */
    Path path(String key, Path fallback);

    /** A size such as {@code 8MiB}; {@code fallback} when unset. */
    long size(String key, String fallback);

    /** {@code on}/{@code off} (or true/false, yes/no); {@code fallback} when unset. */
    boolean onOff(String key, boolean fallback);

    /** Adds a problem unless {@code file} (the value of {@code key}; null: unset) is a file this process can read. */
    void requireReadable(String key, Path file);

    /** Adds a problem; the configuration will not start. */
    void problem(String message);
}
