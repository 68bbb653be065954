package dev.statefort.core.storage;

import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Sends every key to the blob store of its profile: the one the key names ({@link
 * BlobKeys#profileOf}), or for a key that names none (written before moves existed) the profile of
 * its project, remembered once looked up: such keys only ever live on the profile their project had
 * before its first move, and that move gives every one of them a new key. A profile this node does
 * not have, or one that is down, fails with {@link StoreUnavailableException} (503) while every other
 * profile keeps working.
 */
final class ProjectRoutedBlobStore implements BlobStore {
    private final StorageProfiles profiles;
    private final Function<String, Optional<String>> profileOfProject;
    private final Map<String, String> known = new ConcurrentHashMap<>();

    ProjectRoutedBlobStore(StorageProfiles profiles, Function<String, Optional<String>> profileOfProject) {
        this.profiles = profiles;
        this.profileOfProject = profileOfProject;
    }

    /** A put for a key of no project: the services create the project first, so this is a bug, not input. */
    @Override
    public long put(String key, InputStream content) throws IOException {
        StorageProfiles.Profile profile =
                profileOf(key).orElseThrow(() -> new IllegalStateException("no project for blob " + key));
        try {
            return profile.store().put(key, content);
        } catch (StoreUnavailableException e) {
            throw reported(profile, e);
        }
    }

    /** A key of no project is no blob. */
    @Override
    public InputStream open(String key) {
        StorageProfiles.Profile profile = profileOf(key).orElseThrow(() -> new BlobNotFoundException(key));
        try {
            return profile.store().open(key);
        } catch (StoreUnavailableException e) {
            throw reported(profile, e);
        }
    }

    @Override
    public void delete(String key) {
        Optional<StorageProfiles.Profile> profile = profileOf(key);
        try {
            profile.ifPresent(p -> p.store().delete(key));
        } catch (StoreUnavailableException e) {
            throw reported(profile.get(), e);
        }
    }

    @Override
    public boolean exists(String key) {
        Optional<StorageProfiles.Profile> profile = profileOf(key);
        try {
            return profile.map(p -> p.store().exists(key)).orElse(false);
        } catch (StoreUnavailableException e) {
            throw reported(profile.get(), e);
        }
    }

    /** Tells the profiles' listeners (the health check) at once, so readiness does not lag the failure. */
    private StoreUnavailableException reported(StorageProfiles.Profile profile, StoreUnavailableException e) {
        profiles.reportUnavailable(profile.name());
        return e;
    }

    /** Every profile answers; otherwise names each one that does not. */
    @Override
    public void ping() {
        List<String> down = new ArrayList<>();
        StoreUnavailableException cause = null;
        for (StorageProfiles.Profile p : profiles.list()) {
            try {
                p.store().ping();
            } catch (StoreUnavailableException e) {
                down.add("storage profile '" + p.name() + "': " + e.getMessage());
                cause = e;
            }
        }
        if (!down.isEmpty()) {
            throw new StoreUnavailableException(String.join("; ", down), cause);
        }
    }

    @Override
    public void close() {
        profiles.close();
    }

    /** The profile holding the key; empty when it names none and no such project exists. */
    private Optional<StorageProfiles.Profile> profileOf(String key) {
        Optional<String> named = BlobKeys.profileOf(key);
        if (named.isPresent()) {
            return Optional.of(profiles.find(named.get())
                    .orElseThrow(() -> new StoreUnavailableException("the blob " + key + " is on storage profile '"
                            + named.get() + "', which is not configured on this node")));
        }
        String project = BlobKeys.projectOf(key);
        String profile = known.get(project);
        if (profile == null) {
            Optional<String> found = profileOfProject.apply(project);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            profile = found.get();
            known.put(project, profile);
        }
        String name = profile;
        return Optional.of(profiles.find(name)
                .orElseThrow(() ->
                        new StoreUnavailableException("project '" + project + "' keeps its states on storage profile '"
                                + name + "', which is not configured on this node")));
    }

    @Override
    public String toString() {
        return "ProjectRoutedBlobStore"
                + profiles.list().stream().map(StorageProfiles.Profile::name).toList();
    }
}
