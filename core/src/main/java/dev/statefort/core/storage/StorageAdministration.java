package dev.statefort.core.storage;

import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.spi.ProjectStore;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a global admin sees of the storage profiles (REST, UI and CLI alike): never a secret. */
public final class StorageAdministration {
    /**
     * One profile as listed.
     *
     * @param location where its blobs are (bucket, container or directory, and prefix)
     * @param problem why it is not healthy (null when it is)
     * @param projects how many projects keep their states on it
     */
    public record ProfileStatus(
            String name,
            String type,
            String location,
            boolean isDefault,
            boolean healthy,
            String problem,
            long projects) {}

    private final StorageProfiles profiles;
    private final StorageHealth health;
    private final ProjectStore projects;

    public StorageAdministration(StorageProfiles profiles, StorageHealth health, ProjectStore projects) {
        this.profiles = profiles;
        this.health = health;
        this.projects = projects;
    }

    /** Every profile with its health ({@link StorageHealth}) and its number of projects; needs a global admin. */
    public List<ProfileStatus> list(Principal actor) {
        if (!actor.isGlobalAdmin()) {
            throw new AccessDeniedException("listing storage profiles needs a global admin");
        }
        Map<String, Long> counts = projects.listProjects().stream()
                .collect(Collectors.groupingBy(ProjectRecord::storage, Collectors.counting()));
        Map<String, StorageHealth.Result> checked = health.check();
        return profiles.list().stream()
                .map(p -> new ProfileStatus(
                        p.name(),
                        p.type(),
                        p.location(),
                        p.name().equals(profiles.defaultName()),
                        checked.get(p.name()).healthy(),
                        checked.get(p.name()).problem(),
                        counts.getOrDefault(p.name(), 0L)))
                .toList();
    }
}
