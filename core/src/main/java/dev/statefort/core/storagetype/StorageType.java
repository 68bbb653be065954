package dev.statefort.core.storagetype;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.transfer.StateSource;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One type of blob storage a profile can be ({@code storage.<profile>.type}): its keys, how they
 * are read into its settings, how a {@link BlobStore} is opened on those settings, and how {@code
 * statefort import} reads that storage's Terraform backend layout. Each lives in its store
 * module; the server's configuration reader, its wiring and its import options know a type only
 * through this interface, and the server's {@code StorageTypes.ALL} lists every type, one line each.
 *
 * @param <S> the settings record of the type's store module, e.g. {@code S3Settings}
 */
public interface StorageType<S> {
    /** The value of {@code storage.<profile>.type}, e.g. {@code s3}. */
    String name();

    /**
     * Every key a profile of this type takes, {@link StorageKey#TYPE} first: a key of another type is
     * refused at start, and the type reads no key that is not here. docs/configuration.md lists them.
     */
    List<StorageKey<?>> keys();

    /**
     * The settings the profile's keys give, or null after adding (through {@code profile}) a problem
     * that names the key to fix.
     */
    S read(ProfileReader profile);

    /**
     * A blob store on {@code settings}; reaches the store only to create a missing bucket or container
     * when the settings ask for that.
     *
     * @throws IllegalArgumentException when the settings are contradictory (the message names the
     *     setting, never a secret)
     * @throws dev.statefort.core.spi.StoreUnavailableException when the bucket cannot be created
     */
    BlobStore open(S settings);

    /** {@code settings} without creating a bucket or container at open (the store is unreachable now). */
    S withoutCreate(S settings);

    /** Where the blobs are, e.g. {@code s3://bucket/prefix/}, never with a secret. */
    String location(S settings);

    /** How {@code statefort import} reads this storage's Terraform backend layout, when it can. */
    default Optional<Import<S>> importer() {
        return Optional.empty();
    }

    /** {@code statefort import --from-<type>}: the Terraform backend's layout on this storage. */
    interface Import<S> {
        /** The import option naming where the layout is, e.g. {@code --from-s3}. */
        String option();

        /**
         * The settings of the layout at {@code where} (the option's value): the store's endpoint and
         * credentials come from {@code profile} when {@code --profile} names one (it answers null
         * otherwise), else from {@code options} and the environment.
         *
         * @throws StorageOptionException naming the option to fix
         */
        S sourceSettings(String where, ImportOptions options, Supplier<S> profile);

        /** A source on {@code settings}; reaches nothing until its states are listed. */
        StateSource openSource(S settings, ImportOptions options) throws IOException;

        /** A URL path as a key prefix: {@code ""} or {@code a/b/}. */
        static String folder(String path) {
            String p = path == null ? "" : path.replaceAll("^/+", "");
            return p.isEmpty() || p.endsWith("/") ? p : p + "/";
        }
    }
}
