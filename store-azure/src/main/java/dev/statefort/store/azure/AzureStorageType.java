package dev.statefort.store.azure;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.storagetype.ImportOptions;
import dev.statefort.core.storagetype.ProfileReader;
import dev.statefort.core.storagetype.StorageKey;
import dev.statefort.core.storagetype.StorageOptionException;
import dev.statefort.core.storagetype.StorageType;
import dev.statefort.core.transfer.StateSource;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code azure}: an Azure Blob Storage container (or Azurite); {@code store-azure}. */
public final class AzureStorageType implements StorageType<AzureSettings>, StorageType.Import<AzureSettings> {
    public static final AzureStorageType TYPE = new AzureStorageType();

    public static final StorageKey<String> ACCOUNT = StorageKey.text("account");
    public static final StorageKey<String> CONTAINER = StorageKey.text("container");
    public static final StorageKey<URI> ENDPOINT = StorageKey.url("endpoint");
    public static final StorageKey<String> ACCOUNT_KEY = StorageKey.text("account-key");
    public static final StorageKey<String> SAS_TOKEN = StorageKey.text("sas-token");
    public static final StorageKey<String> CONNECTION_STRING = StorageKey.text("connection-string");
    public static final StorageKey<Long> BLOCK_SIZE = StorageKey.size("block-size", "8MiB");

    private static final List<StorageKey<?>> KEYS = List.of(
            StorageKey.TYPE,
            StorageKey.PREFIX,
            StorageKey.CREATE,
            ACCOUNT,
            CONTAINER,
            ENDPOINT,
            ACCOUNT_KEY,
            SAS_TOKEN,
            CONNECTION_STRING,
            BLOCK_SIZE);

    private AzureStorageType() {}

    @Override
    public String name() {
        return "azure";
    }

    @Override
    public List<StorageKey<?>> keys() {
        return KEYS;
    }

    @Override
    public AzureSettings read(ProfileReader r) {
        List<String> secrets = new ArrayList<>();
        for (StorageKey<String> key : List.of(ACCOUNT_KEY, SAS_TOKEN, CONNECTION_STRING)) {
            if (r.get(key) != null) {
                secrets.add(r.key(key));
            }
        }
        if (secrets.size() > 1) {
            r.problem("storage profile '" + r.profile() + "': set at most one of " + String.join(", ", secrets)
                    + " (none: DefaultAzureCredential, i.e. managed or workload identity)");
            return null;
        }
        String account = r.get(ACCOUNT);
        if (account == null && r.get(CONNECTION_STRING) == null) {
            return r.needs(ACCOUNT, " (or " + r.key(CONNECTION_STRING) + ")");
        }
        long blockSize = r.get(BLOCK_SIZE);
        return r.build(() -> new AzureSettings(
                account,
                r.get(CONTAINER),
                r.get(StorageKey.PREFIX),
                r.get(ENDPOINT),
                r.get(ACCOUNT_KEY),
                r.get(SAS_TOKEN),
                r.get(CONNECTION_STRING),
                r.get(StorageKey.CREATE),
                blockSize));
    }

    @Override
    public BlobStore open(AzureSettings settings) {
        return AzureBlobStores.open(settings);
    }

    @Override
    public AzureSettings withoutCreate(AzureSettings settings) {
        return settings.withCreate(false);
    }

    @Override
    public String location(AzureSettings settings) {
        String account = settings.account() == null ? "(from the connection string)" : settings.account();
        return "azure://" + account + "/" + settings.container() + "/" + settings.prefix()
                + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
    }

    @Override
    public Optional<Import<AzureSettings>> importer() {
        return Optional.of(this);
    }

    @Override
    public String option() {
        return "--from-azure";
    }

    /** {@code where} is {@code CONTAINER[/PREFIX]}. */
    @Override
    public AzureSettings sourceSettings(String where, ImportOptions options, Supplier<AzureSettings> profile) {
        int slash = where.indexOf('/');
        String container = slash < 0 ? where : where.substring(0, slash);
        String prefix = slash < 0 ? "" : Import.folder(where.substring(slash));
        try {
            AzureSettings base = profile.get();
            if (base != null) {
                return base.withContainer(container).withPrefix(prefix).withCreate(false);
            }
            String connection = options.connectionString() != null
                    ? options.connectionString()
                    : options.env("AZURE_STORAGE_CONNECTION_STRING");
            String sas = options.sasToken() != null ? options.sasToken() : options.env("AZURE_STORAGE_SAS_TOKEN");
            String usedSas = connection == null ? sas : null;
            String key = connection == null && usedSas == null ? options.env("AZURE_STORAGE_KEY") : null;
            return AzureSettings.of(options.account(), container)
                    .withPrefix(prefix)
                    .withEndpoint(options.endpoint())
                    .withAccountKey(key)
                    .withSasToken(usedSas)
                    .withConnectionString(connection);
        } catch (IllegalArgumentException e) {
            throw new StorageOptionException("--from-azure: " + e.getMessage());
        }
    }

    @Override
    public StateSource openSource(AzureSettings settings, ImportOptions options) {
        return AzureStateSource.open(settings);
    }

    @Override
    public String toString() {
        return name();
    }
}
