package dev.statefort.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.SettingsStore;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Reads and writes project and state settings documents, with defaults for what was never set. */
public final class SettingsService {
    private static final int MAX_UPDATE_ATTEMPTS = 16;

    /** Client input: an unknown field is a 400 naming it. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Stored documents, which nodes of two versions share during a rolling upgrade: a field never set
     * is not written (an older node does not know a newer field), and a field a newer node wrote is
     * ignored when read.
     */
    private static final ObjectMapper STORED = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    private final SettingsStore store;
    private final Clock clock;

    public SettingsService(SettingsStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public ProjectSettings project(String project) {
        return store.findProjectSettings(project)
                .map(json -> read(json, ProjectSettings.class))
                .orElse(ProjectSettings.DEFAULTS);
    }

    public void saveProject(String project, ProjectSettings settings) {
        store.saveProjectSettings(project, write(settings), clock.instant());
    }

    /**
     * Applies the fields present in {@code patchJson} to the project's current settings, validates
     * the result, saves it and returns it. Fields that are absent keep their value; {@code null}
     * clears the optional ones.
     */
    public ProjectSettings patchProject(String project, String patchJson) {
        com.fasterxml.jackson.databind.node.ObjectNode merged = JSON.valueToTree(project(project));
        try {
            com.fasterxml.jackson.databind.JsonNode patch = JSON.readTree(patchJson);
            if (patch == null || !patch.isObject()) {
                throw new InvalidInputException("settings must be a JSON object");
            }
            merged.setAll((com.fasterxml.jackson.databind.node.ObjectNode) patch);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("settings are not valid JSON");
        }
        ProjectSettings settings = parse(merged.toString(), ProjectSettings.class);
        saveProject(project, settings);
        return settings;
    }

    public StateSettings state(StateKey key) {
        return store.findStateSettings(key)
                .map(json -> read(json, StateSettings.class))
                .orElse(StateSettings.NONE);
    }

    /** The settings of every state of a project, by state name (a state without any is absent). */
    public Map<String, StateSettings> states(String project) {
        Map<String, StateSettings> out = new java.util.HashMap<>();
        store.listStateSettings(project).forEach((state, json) -> out.put(state, read(json, StateSettings.class)));
        return out;
    }

    /**
     * Changes one state's settings by {@code change}, read and written as one conditional write (again
     * on a concurrent change): an admin's outputs access and a client's tags, kept in the same
     * document, never undo each other. Returns the settings as saved.
     */
    public StateSettings updateState(StateKey key, UnaryOperator<StateSettings> change) {
        for (int attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
            Optional<String> stored = store.findStateSettings(key);
            StateSettings current =
                    stored.map(json -> read(json, StateSettings.class)).orElse(StateSettings.NONE);
            StateSettings updated = change.apply(current);
            if (updated.equals(current) && stored.isPresent()) {
                return current;
            }
            if (store.replaceStateSettings(key, stored.orElse(null), write(updated), clock.instant())) {
                return updated;
            }
        }
        throw new dev.statefort.core.ConflictException(
                "the state's settings kept changing under this change: retry it");
    }

    /** Parses settings sent by a client; unknown fields and bad values are a 400 naming them. */
    public static <T> T parse(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable cause = e.getCause();
            throw new InvalidInputException(cause == null ? "invalid settings" : cause.getMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("invalid settings: " + e.getOriginalMessage());
        }
    }

    /** A settings document as it is stored. */
    public static String write(Object settings) {
        try {
            return STORED.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize settings", e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return STORED.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored settings are unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
