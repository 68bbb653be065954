package dev.statefort.core.spi;

import dev.statefort.core.model.StateKey;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Project and state settings documents (JSON, validated by the caller). One concern of {@link MetadataStore}: its general rules apply, and every
 * implementation passes the contract suite in store-tck.
 */
public interface SettingsStore {
    // ---- settings documents -------------------------------------------------------------------

    /** The project's settings as a JSON object, or empty when never saved. */
    Optional<String> findProjectSettings(String project);

    /** Replaces the project's settings JSON (last write wins); ProjectNotFoundException if missing. */
    void saveProjectSettings(String project, String json, Instant now);

    /** One state's settings as a JSON object (e.g. a destructive-write permit), or empty. */
    Optional<String> findStateSettings(StateKey key);

    /** The settings of every state of a project that has some, by state name (one read, not one per state). */
    Map<String, String> listStateSettings(String project);

    /** Replaces one state's settings JSON; creates the state row if needed. */
    void saveStateSettings(StateKey key, String json, Instant now);

    /**
     * Replaces one state's settings JSON only if it is still {@code expected} (null: the state has
     * none yet), in one conditional write; false, and nothing changed, when someone else changed it
     * first. Creates the state row if needed; ProjectNotFoundException if the project is missing.
     */
    boolean replaceStateSettings(StateKey key, String expected, String json, Instant now);
}
