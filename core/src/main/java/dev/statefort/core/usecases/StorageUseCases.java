package dev.statefort.core.usecases;

import dev.statefort.core.storage.StorageAdministration;
import dev.statefort.core.storage.StorageHealth;
import dev.statefort.core.storage.StorageMoves;
import dev.statefort.core.storage.StorageProfiles;

/**
 * Where blobs live: the named storage profiles, whether they answer, and the use cases a global admin
 * has over them.
 *
 * @param profiles the named blob stores and the default one
 * @param health whether each profile answers (readiness, the profile listing)
 * @param admin the profiles as a global admin sees them
 * @param moves moving a project's blobs to another profile
 */
public record StorageUseCases(
        StorageProfiles profiles, StorageHealth health, StorageAdministration admin, StorageMoves moves) {}
