package dev.statefort.core.storagetype;

import java.util.function.Supplier;

/**
 * The keys of one storage profile ({@code storage.<profile>.*}) as its {@link StorageType} reads
 * them: each value comes typed by its {@link StorageKey}, and every problem is added to the
 * configuration's list (all are reported at once, at start) rather than thrown.
 */
public final class ProfileReader {
    private final SettingValues settings;
    private final String profile;
    private final StorageType<?> type;

    public ProfileReader(SettingValues settings, String profile, StorageType<?> type) {
        this.settings = settings;
        this.profile = profile;
        this.type = type;
    }

    /** The profile's name. */
    public String profile() {
        return profile;
    }

    /**
     * The setting's full key, {@code storage.<profile>.<key>}.
     *
     * @throws IllegalStateException when {@code key} is not one of the type's {@link StorageType#keys()}:
     *     a key the type reads is a key it accepts
     */
    public String key(StorageKey<?> key) {
        if (!type.keys().contains(key)) {
            throw new IllegalStateException(
                    "storage type " + type.name() + " reads '" + key.name() + "', which is not among its keys");
        }
        return "storage." + profile + "." + key.name();
    }

    /** The value of {@code key}, or its fallback after adding a problem about it. */
    public <T> T get(StorageKey<T> key) {
        return key.read(settings, key(key));
    }

    /** Where the value of {@code key} came from: the file's setting or the environment variable. */
    public String where(StorageKey<?> key) {
        return settings.where(key(key));
    }

    /** Adds a problem; the profile will not be defined. */
    public void problem(String message) {
        settings.problem(message);
    }

    /** Adds "storage profile 'p' (type) needs storage.p.key{@code more}" and returns null. */
    public <T> T needs(StorageKey<?> key, String more) {
        problem("storage profile '" + profile + "' (" + type.name() + ") needs " + key(key) + more);
        return null;
    }

    /**
     * The settings {@code build} makes, or null after adding the problem its {@link
     * IllegalArgumentException} names (the settings records check themselves).
     */
    public <S> S build(Supplier<S> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            problem("storage profile '" + profile + "': " + e.getMessage());
            return null;
        }
    }
}
