package dev.statefort.server.config;

import dev.statefort.core.storagetype.StorageType;
import dev.statefort.store.azure.AzureStorageType;
import dev.statefort.store.fs.FileSystemStorageType;
import dev.statefort.store.gcs.GcsStorageType;
import dev.statefort.store.s3.S3StorageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Every {@link StorageType}: the configuration, the wiring and {@code statefort import} know no other. */
public final class StorageTypes {
    /** One line per type; the order is the one messages and docs/configuration.md list them in. */
    public static final List<StorageType<?>> ALL = List.of(
            S3StorageType.TYPE, // store-s3
            AzureStorageType.TYPE, // store-azure
            GcsStorageType.TYPE, // store-gcs
            FileSystemStorageType.TYPE); // store-fs

    private StorageTypes() {}

    /** The type {@code storage.<profile>.type} names. */
    public static Optional<StorageType<?>> named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** {@code s3, azure, gcs or filesystem}. */
    static String names() {
        List<String> names = new ArrayList<>(ALL.stream().map(StorageType::name).toList());
        String last = names.remove(names.size() - 1);
        return names.isEmpty() ? last : String.join(", ", names) + " or " + last;
    }

    /** Every type's name, sorted. */
    static Set<String> sortedNames() {
        return new TreeSet<>(ALL.stream().map(StorageType::name).toList());
    }

    /** Every key of any type, sorted. */
    static Set<String> keyNames() {
        Set<String> keys = new TreeSet<>();
        ALL.forEach(t -> t.keys().forEach(k -> keys.add(k.name())));
        return keys;
    }
}
