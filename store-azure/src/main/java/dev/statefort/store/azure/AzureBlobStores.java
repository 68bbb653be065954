package dev.statefort.store.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.ClientOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.BlobUrlParts;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.statefort.core.spi.BlobStore;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Opens {@link BlobStore}s on Azure Blob Storage.
 *
 * <p>Requests go through the JDK HTTP client. A request is tried at most {@value #MAX_TRIES} times
 * (a short exponential back-off between tries), connecting gives up after {@link #CONNECT_TIMEOUT},
 * so a dead or unreachable endpoint fails in seconds with {@link
 * dev.statefort.core.spi.StoreUnavailableException}.
 */
public final class AzureBlobStores {
    /** Tries of one request, the first included. */
    public static final int MAX_TRIES = 3;

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Longest wait for a response, or between two reads of a response body. */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    /** Longest time of one try, the upload of a whole block included. */
    public static final Duration TRY_TIMEOUT = Duration.ofSeconds(120);

    private static final Duration RETRY_DELAY = Duration.ofMillis(250);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);
    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private AzureBlobStores() {}

    /**
     * Opens a blob store on the settings' container. Makes no request, except that with {@code
     * create} it creates the container when missing.
     *
     * @throws IllegalArgumentException when the settings are incomplete or contradictory (the message
     *     names the setting and never holds a secret)
     * @throws dev.statefort.core.spi.StoreUnavailableException when {@code create} is set and the
     *     container cannot be created
     */
    public static BlobStore open(AzureSettings settings) {
        Client client = client(settings);
        AzureBlobStore store = new AzureBlobStore(
                client.container(), settings.prefix(), settings.blockSize(), Redactor.of(settings), client.executor());
        if (settings.create()) {
            try {
                store.createContainerIfMissing();
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        return store;
    }

    /**
     * A client of the settings' container, and the executor of its HTTP client, which its user shuts
     * down when done with it.
     */
    record Client(BlobContainerClient container, ExecutorService executor) {}

    /**
     * The client every user of the settings' container goes through: their credentials, the JDK HTTP
     * client, the tries and timeouts above. Makes no request.
     *
     * @throws IllegalArgumentException when the settings are incomplete or contradictory (the message
     *     names the setting and never holds a secret)
     */
    static Client client(AzureSettings settings) {
        Objects.requireNonNull(settings, "settings");
        long secrets = Stream.of(settings.accountKey(), settings.sasToken(), settings.connectionString())
                .filter(Objects::nonNull)
                .count();
        if (secrets > 1) {
            throw new IllegalArgumentException(
                    "azure settings 'accountKey', 'sasToken' and 'connectionString' exclude each other: set at most one");
        }
        BlobContainerClientBuilder builder = new BlobContainerClientBuilder();
        if (settings.connectionString() != null) {
            try {
                builder.connectionString(settings.connectionString());
            } catch (RuntimeException e) {
                // Never chain or echo: the message could quote the connection string.
                throw new IllegalArgumentException(
                        "azure setting 'connectionString' is not a valid Azure Storage connection string");
            }
            if (settings.endpoint() != null) {
                builder.endpoint(settings.endpoint().toString());
            }
        } else {
            String account = account(settings);
            builder.endpoint(endpoint(settings, account));
            if (settings.accountKey() != null) {
                if (account == null) {
                    throw new IllegalArgumentException("azure setting 'account' is required with 'accountKey'");
                }
                requireBase64(settings.accountKey());
                builder.credential(new StorageSharedKeyCredential(account, settings.accountKey()));
            } else if (settings.sasToken() != null) {
                String sas = settings.sasToken().strip();
                builder.sasToken(sas.startsWith("?") ? sas.substring(1) : sas);
            } else {
                if (!"https".equals(endpointScheme(settings))) {
                    throw new IllegalArgumentException("azure: without 'accountKey', 'sasToken' or 'connectionString' "
                            + "the store signs in with DefaultAzureCredential, which needs an https 'endpoint'");
                }
                builder.credential(new DefaultAzureCredentialBuilder().build());
            }
        }

        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
        BlobContainerClient client;
        try {
            client = builder.httpClient(httpClient(executor))
                    .retryOptions(new RequestRetryOptions(
                            RetryPolicyType.EXPONENTIAL, MAX_TRIES, TRY_TIMEOUT, RETRY_DELAY, MAX_RETRY_DELAY, null))
                    .clientOptions(new ClientOptions().setApplicationId("statefort"))
                    .containerName(settings.container())
                    .buildClient();
        } catch (RuntimeException e) {
            executor.shutdown();
            throw new IllegalArgumentException(
                    "azure settings are incomplete: " + Redactor.of(settings).redact(String.valueOf(e.getMessage())),
                    null);
        }
        return new Client(client, executor);
    }

    private static HttpClient httpClient(ExecutorService executor) {
        return new JdkHttpClientBuilder()
                .executor(executor)
                .connectionTimeout(CONNECT_TIMEOUT)
                .writeTimeout(RESPONSE_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .readTimeout(RESPONSE_TIMEOUT)
                .build();
    }

    private static String account(AzureSettings settings) {
        if (settings.account() != null) {
            return settings.account();
        }
        if (settings.endpoint() != null) {
            try {
                return BlobUrlParts.parse(settings.endpoint().toURL()).getAccountName();
            } catch (MalformedURLException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private static String endpoint(AzureSettings settings, String account) {
        if (settings.endpoint() != null) {
            return settings.endpoint().toString();
        }
        if (account == null) {
            throw new IllegalArgumentException(
                    "azure setting 'account' is required (or 'endpoint', or 'connectionString')");
        }
        if (!ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("azure setting 'account' is not a storage account name (3 to 24 "
                    + "lower-case letters and digits): '" + account + "'");
        }
        return "https://" + account + ".blob.core.windows.net";
    }

    private static String endpointScheme(AzureSettings settings) {
        return settings.endpoint() == null ? "https" : settings.endpoint().getScheme();
    }

    private static void requireBase64(String accountKey) {
        try {
            Base64.getDecoder().decode(accountKey.strip());
        } catch (IllegalArgumentException e) {
            // Not chained: the decoder's message quotes a character of the key.
            throw new IllegalArgumentException("azure setting 'accountKey' is not base64");
        }
    }

    private static ThreadFactory daemonThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, "statefort-azure-http-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
