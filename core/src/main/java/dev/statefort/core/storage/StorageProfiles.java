package dev.statefort.core.storage;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.spi.BlobStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The named blob stores of a node ({@code storage.<name>.*}) and the one new projects use ({@code
 * storage.default}). A project names its profile when it is created; {@link #routedBy} is the one
 * {@link BlobStore} the services use, which sends each key to its project's profile.
 */
public final class StorageProfiles implements AutoCloseable {
    /** One profile: its name, its type ({@code filesystem}, {@code s3}, ...), where it keeps blobs (no secret), its store. */
    public record Profile(String name, String type, String location, BlobStore store) {
        public Profile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(store, "store");
        }
    }

    private final String defaultName;
    private final Map<String, Profile> profiles;
    private final List<Consumer<String>> unavailableListeners = new CopyOnWriteArrayList<>();

    public StorageProfiles(String defaultName, List<Profile> profiles) {
        Map<String, Profile> byName = new LinkedHashMap<>();
        for (Profile p : profiles) {
            if (byName.put(p.name(), p) != null) {
                throw new IllegalArgumentException("two storage profiles are named " + p.name());
            }
        }
        if (!byName.containsKey(defaultName)) {
            throw new IllegalArgumentException("the default storage profile " + defaultName + " is not defined");
        }
        this.defaultName = defaultName;
        this.profiles = Map.copyOf(byName);
    }

    /** A single profile, {@code local}, holding every blob (tests, tools). */
    public static StorageProfiles single(String name, String type, String location, BlobStore store) {
        return new StorageProfiles(name, List.of(new Profile(name, type, location, store)));
    }

    /** The profile new projects use unless they name another. */
    public String defaultName() {
        return defaultName;
    }

    public Optional<Profile> find(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    /** Every profile, by name. */
    public List<Profile> list() {
        List<Profile> all = new ArrayList<>(profiles.values());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        return List.copyOf(all);
    }

    /** The profile a new project gets: {@code requested}, or the default when null; an unknown name is invalid input. */
    public String choose(String requested) {
        if (requested == null || requested.isBlank()) {
            return defaultName;
        }
        if (!profiles.containsKey(requested)) {
            throw new InvalidInputException("no storage profile is named '" + requested + "' (configured: "
                    + String.join(", ", list().stream().map(Profile::name).toList()) + ")");
        }
        return requested;
    }

    /**
     * The blob store of every project: a key {@code <project>/...} goes to the profile {@code
     * profileOfProject} names for that project.
     */
    public BlobStore routedBy(Function<String, Optional<String>> profileOfProject) {
        return new ProjectRoutedBlobStore(this, profileOfProject);
    }

    /** {@code listener} hears the name of a profile whose store just failed an operation as unavailable. */
    public void onUnavailable(Consumer<String> listener) {
        unavailableListeners.add(listener);
    }

    void reportUnavailable(String profile) {
        unavailableListeners.forEach(l -> l.accept(profile));
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Profile p : profiles.values()) {
            try {
                p.store().close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
