package dev.statefort.store.azure;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where and how {@link AzureBlobStores#open} stores blobs on Azure Blob Storage.
 *
 * <p>Credentials: at most one of {@code accountKey}, {@code sasToken} and {@code connectionString}.
 * With none of them the store authenticates with {@code DefaultAzureCredential} (environment,
 * workload identity, managed identity, then the developer tools' logins), which needs an https
 * endpoint. A blank account or secret counts as not set. {@link #toString()} never prints a
 * secret.
 *
 * @param account storage account name; may be null when {@code connectionString} or {@code endpoint}
 *     names it
 * @param container container name (3 to 63 lower-case letters, digits and single hyphens); required
 * @param prefix prefix of every object name inside the container: {@code ""} or segments of {@code
 *     [A-Za-z0-9._-]} each ending in {@code /}, e.g. {@code "statefort/"}; null means {@code ""}
 * @param endpoint blob service endpoint, e.g. {@code http://127.0.0.1:10000/devstoreaccount1} for
 *     Azurite; null means {@code https://<account>.blob.core.windows.net} (or the connection string's)
 * @param accountKey the account's shared key (secret)
 * @param sasToken a shared access signature with read, write, delete (and create, for {@code create})
 *     permissions (secret); a leading {@code ?} is ignored
 * @param connectionString an Azure Storage connection string (secret)
 * @param create whether {@link AzureBlobStores#open} creates the container when it is missing
 * @param blockSize bytes per staged block; a blob larger than one block is uploaded block by block
 *     and committed as a block list (at most one block is held in memory per upload)
 */
public record AzureSettings(
        String account,
        String container,
        String prefix,
        URI endpoint,
        String accountKey,
        String sasToken,
        String connectionString,
        boolean create,
        long blockSize) {

    /** The default {@link #blockSize}: 8 MiB. */
    public static final long DEFAULT_BLOCK_SIZE = 8L * 1024 * 1024;

    /** Smallest accepted {@link #blockSize}: 64 KiB. */
    public static final long MIN_BLOCK_SIZE = 64L * 1024;

    /** Largest accepted {@link #blockSize}: 256 MiB (one block is buffered in memory per upload). */
    public static final long MAX_BLOCK_SIZE = 256L * 1024 * 1024;

    private static final Pattern CONTAINER = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");
    private static final Pattern PREFIX = Pattern.compile("(?:[A-Za-z0-9._-]+/)*");
    private static final int MAX_PREFIX_LENGTH = 256;

    /**
     * Checks each setting on its own (which of the credentials is used is checked by {@link
     * AzureBlobStores#open}).
     *
     * @throws IllegalArgumentException naming the invalid setting
     */
    public AzureSettings {
        prefix = prefix == null ? "" : prefix;
        account = blankToNull(account);
        accountKey = blankToNull(accountKey);
        sasToken = blankToNull(sasToken);
        connectionString = blankToNull(connectionString);
        if (container == null || container.isBlank()) {
            throw new IllegalArgumentException("azure setting 'container' is required");
        }
        if (!CONTAINER.matcher(container).matches()) {
            throw new IllegalArgumentException("azure setting 'container' is not a valid container name: '"
                    + container + "' (3 to 63 lower-case letters, digits and single hyphens, "
                    + "starting and ending with a letter or digit)");
        }
        if (!PREFIX.matcher(prefix).matches() || prefix.length() > MAX_PREFIX_LENGTH || hasDotSegment(prefix)) {
            throw new IllegalArgumentException("azure setting 'prefix' must be \"\" or segments of [A-Za-z0-9._-] "
                    + "each ending in '/' (no '.' or '..' segment, at most " + MAX_PREFIX_LENGTH
                    + " characters), e.g. \"statefort/\": '" + prefix + "'");
        }
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("azure setting 'blockSize' must be between " + MIN_BLOCK_SIZE + " and "
                    + MAX_BLOCK_SIZE + " bytes: " + blockSize);
        }
        if (endpoint != null
                && (!endpoint.isAbsolute()
                        || endpoint.getHost() == null
                        || endpoint.getRawQuery() != null
                        || endpoint.getRawUserInfo() != null
                        || !("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme())))) {
            // Never echo the URI: its query or user info may hold a secret.
            throw new IllegalArgumentException("azure setting 'endpoint' must be an http(s) URL with a host and "
                    + "without query or user info (put a SAS token in 'sasToken')");
        }
    }

    /**
     * Settings for {@code container} of {@code account} with the defaults: no prefix, the public
     * endpoint, no secret (so {@code DefaultAzureCredential}), no container creation, 8 MiB blocks.
     */
    public static AzureSettings of(String account, String container) {
        return new AzureSettings(account, container, "", null, null, null, null, false, DEFAULT_BLOCK_SIZE);
    }

    public AzureSettings withAccount(String account) {
        return new AzureSettings(
                account, container, prefix, endpoint, accountKey, sasToken, connectionString, create, blockSize);
    }

    public AzureSettings withContainer(String container) {
        return new AzureSettings(
                account, container, prefix, endpoint, accountKey, sasToken, connectionString, create, blockSize);
    }

    public AzureSettings withPrefix(String prefix) {
        return new AzureSettings(
                account, container, prefix, endpoint, accountKey, sasToken, connectionString, create, blockSize);
    }

    public AzureSettings withEndpoint(URI endpoint) {
        return new AzureSettings(
                account, container, prefix, endpoint, accountKey, sasToken, connectionString, create, blockSize);
    }

    public AzureSettings withAccountKey(String accountKey) {
        return new AzureSettings(
                account, container, prefix, endpoint, accountKey, sasToken, connectionString, create, blockSize);
    }

    public AzureSettings withSasToken(String sasToken) {
        return new AzureSettings(
                account, container, prefix, endpoint, accountKey, sasToken, connectionString, create, blockSize);
    }

    public AzureSettings withConnectionString(String connectionString) {
        return new AzureSettings(
                account, container, prefix, endpoint, accountKey, sasToken, connectionString, create, blockSize);
    }

    public AzureSettings withCreate(boolean create) {
        return new AzureSettings(
                account, container, prefix, endpoint, accountKey, sasToken, connectionString, create, blockSize);
    }

    public AzureSettings withBlockSize(long blockSize) {
        return new AzureSettings(
                account, container, prefix, endpoint, accountKey, sasToken, connectionString, create, blockSize);
    }

    /** Like the record's, with {@code ***} in place of every secret that is set. */
    @Override
    public String toString() {
        return "AzureSettings[account=" + account
                + ", container=" + container
                + ", prefix=" + prefix
                + ", endpoint=" + endpoint
                + ", accountKey=" + mask(accountKey)
                + ", sasToken=" + mask(sasToken)
                + ", connectionString=" + mask(connectionString)
                + ", create=" + create
                + ", blockSize=" + blockSize
                + "]";
    }

    private static String mask(String secret) {
        return secret == null ? "null" : "***";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean hasDotSegment(String prefix) {
        for (String segment : prefix.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
