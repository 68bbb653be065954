package dev.statefort.server.config;

import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.storagetype.StorageType;
import dev.statefort.store.fs.FileSystemStorageType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The storage profiles of a node ({@code storage.<name>.*}) and the one new projects use ({@code
 * storage.default}). Profile {@value #LOCAL} always exists: the data directory's blob store, where
 * every project made before profiles lives.
 */
public record StorageConfig(String defaultProfile, List<Profile<?>> profiles) {
    public static final String LOCAL = ProjectRecord.LOCAL_STORAGE;

    public StorageConfig {
        profiles = List.copyOf(profiles);
    }

    /**
     * One named profile: its {@link StorageType} and the settings that type read from the profile's
     * keys. {@link #toString()} is the settings record's, which prints no secret.
     */
    public record Profile<S>(String name, StorageType<S> type, S settings) {
        /** Where its blobs are, never with a secret. */
        public String location() {
            return type.location(settings);
        }

        /** The settings as {@code wanted}'s, when the profile is of that type. */
        public <T> Optional<T> settingsOf(StorageType<T> wanted) {
            return type == wanted ? Optional.of(castTo(settings)) : Optional.empty();
        }

        @SuppressWarnings("unchecked")
        private static <T> T castTo(Object settings) {
            return (T) settings;
        }
    }

    public Optional<Profile<?>> find(String name) {
        return profiles.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The directory of profile {@value #LOCAL}. */
    public Path localDir() {
        return find(LOCAL).orElseThrow().settingsOf(FileSystemStorageType.TYPE).orElseThrow();
    }
}
