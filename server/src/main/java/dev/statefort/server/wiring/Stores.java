package dev.statefort.server.wiring;

import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.core.storage.StorageProfiles;
import dev.statefort.core.storagetype.StorageType;
import dev.statefort.server.config.ConfigException;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.config.StorageConfig;
import dev.statefort.server.metrics.MeteredBlobStore;
import dev.statefort.server.metrics.NodeMetrics;
import dev.statefort.store.jdbc.JdbcMetadataStores;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where configuration picks store implementations: the database by its URL, each
 * storage profile through its {@link dev.statefort.server.config.StorageType}.
 */
public final class Stores {
    private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

    private Stores() {}

    static MetadataStore openMetadata(ServerConfig config) {
        return switch (config.databaseKind()) {
            case SQLITE -> JdbcMetadataStores.sqlite(config.sqliteFile(), config.databaseWriteWait());
            case POSTGRESQL ->
                JdbcMetadataStores.postgres(config.databaseUrl(), config.databaseUser(), config.databasePassword());
        };
    }

    /**
     * The configured storage profiles without the node around them (backup and restore read and
     * write the blobs as stored, encrypted, and need neither the master key nor the services).
     */
    public static StorageProfiles openProfilesOnly(ServerConfig config) {
        return openProfiles(config.storage(), new NodeMetrics());
    }

    /** Opens (and migrates) the configured database and closes it again: a new database gets its schema. */
    public static void migrate(ServerConfig config) {
        openMetadata(config).close();
    }

    /** Every configured storage profile, each opened on its first use ({@link LazyBlobStore}). */
    static StorageProfiles openProfiles(StorageConfig storage, NodeMetrics metrics) {
        List<StorageProfiles.Profile> profiles = new ArrayList<>();
        for (StorageConfig.Profile<?> p : storage.profiles()) {
            profiles.add(new StorageProfiles.Profile(
                    p.name(),
                    p.type().name(),
                    p.location(),
                    new LazyBlobStore(p.name(), () -> new MeteredBlobStore(openBlobs(p), p.name(), metrics))));
        }
        return new StorageProfiles(storage.defaultProfile(), profiles);
    }

    /**
     * Opens the profile's store. One that cannot be reached to create its bucket or container now is
     * opened without creating it: the node starts, and that profile's projects answer 503 until the
     * store answers (create it by hand, or start again once it is reachable).
     */
    static <S> BlobStore openBlobs(StorageConfig.Profile<S> profile) {
        StorageType<S> type = profile.type();
        try {
            return type.open(profile.settings());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("storage profile '" + profile.name() + "': " + e.getMessage());
        } catch (StoreUnavailableException e) {
            LOG.warn(
                    "storage profile '{}' ({}) is unavailable at start: {}; its projects answer 503 until it is back",
                    profile.name(),
                    profile.location(),
                    e.getMessage());
            return type.open(type.withoutCreate(profile.settings()));
        }
    }

    /**
     * Names every project whose profile this node does not have: it starts all the same (the CLI's
     * commands need no storage), and those projects' states answer 503 naming the profile.
     */
    static void warnAboutMissingProfiles(ServerConfig config, MetadataStore metadata) {
        for (ProjectRecord p : metadata.listProjects()) {
            for (String profile : p.movingTo() == null ? List.of(p.storage()) : List.of(p.storage(), p.movingTo())) {
                if (config.storage().find(profile).isEmpty()) {
                    LOG.warn(
                            "project '{}' keeps its states on storage profile '{}', which is not configured here:"
                                    + " its states answer 503 until storage.{}.* is set as on the other nodes",
                            p.name(),
                            profile,
                            profile);
                }
            }
        }
    }

    /** Opens every lazily opened profile of {@code storage} now. */
    static void openNow(StorageProfiles storage) {
        for (StorageProfiles.Profile p : storage.list()) {
            if (p.store() instanceof LazyBlobStore lazy) {
                lazy.store();
            }
        }
    }
}
