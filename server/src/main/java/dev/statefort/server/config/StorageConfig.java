package dev.statefort.server.config;

import dev.statefort.core.model.ProjectRecord;
import dev.statefort.store.azure.AzureSettings;
import dev.statefort.store.gcs.GcsSettings;
import dev.statefort.store.s3.S3Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The storage profiles of a node ({@code storage.<name>.*}) and the one new projects use ({@code
 * storage.default}). Profile {@value #LOCAL} always exists: the data directory's blob store, where
 * every project made before profiles lives.
 */
public record StorageConfig(String defaultProfile, List<Profile> profiles) {
    public static final String LOCAL = ProjectRecord.LOCAL_STORAGE;

    public StorageConfig {
        profiles = List.copyOf(profiles);
    }

    /** One named profile; {@link #location()} says where its blobs are, never with a secret. */
    public sealed interface Profile permits FileSystem, S3, Azure, Gcs {
        String name();

        String type();

        String location();
    }

    /** Blobs as files below {@code dir}. */
    public record FileSystem(String name, Path dir) implements Profile {
        @Override
        public String type() {
            return "filesystem";
        }

        @Override
        public String location() {
            return dir.toString();
        }
    }

    /** Blobs in an S3 bucket or an S3-compatible store. */
    public record S3(String name, S3Settings settings) implements Profile {
        @Override
        public String type() {
            return "s3";
        }

        @Override
        public String location() {
            return settings.location();
        }
    }

    /** Blobs in an Azure Blob Storage container. */
    public record Azure(String name, AzureSettings settings) implements Profile {
        @Override
        public String type() {
            return "azure";
        }

        @Override
        public String location() {
            String account = settings.account() == null ? "(from the connection string)" : settings.account();
            return "azure://" + account + "/" + settings.container() + "/" + settings.prefix()
                    + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
        }
    }

    /** Blobs in a Google Cloud Storage bucket. */
    public record Gcs(String name, GcsSettings settings) implements Profile {
        @Override
        public String type() {
            return "gcs";
        }

        @Override
        public String location() {
            return "gs://" + settings.bucket() + "/" + settings.prefix()
                    + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
        }
    }

    public Optional<Profile> find(String name) {
        return profiles.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The directory of profile {@value #LOCAL}. */
    public Path localDir() {
        return ((FileSystem) find(LOCAL).orElseThrow()).dir();
    }
}
