package dev.statefort.store.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.statefort.core.transfer.SourceState;
import dev.statefort.core.transfer.SourceVersion;
import dev.statefort.core.transfer.StateNaming;
import dev.statefort.core.transfer.StateSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The states of a container in the layout of Terraform's azurerm backend, for {@code statefort
 * import --from-azure}: the default workspace of a state is the blob {@code <key>}, its workspace
 * {@code W} the blob {@code <key>env:<W>}.
 *
 * <ul>
 *   <li>every blob under the settings' prefix whose name ends in {@code .tfstate} is the state
 *       {@link StateNaming#fromPath named after its name} below the prefix ({@code
 *       <prefix>prod/network.tfstate} is {@code prod-network}, {@code <prefix>terraform.tfstate} is
 *       {@code default});
 *   <li>every blob {@code <prefix><something>.tfstateenv:<W>} is workspace {@code W} of the state
 *       named after {@code <something>.tfstate} ({@code network.tfstateenv:staging} is {@code
 *       network-staging});
 *   <li>any other blob (a lock, a backup, a blob outside the prefix) is ignored.
 * </ul>
 *
 * <p>Each state has one version, the blob as it is, created at its last modification. Bodies are
 * read only when opened.
 */
public final class AzureStateSource implements StateSource {
    private static final String SUFFIX = ".tfstate";

    /** {@code <key>env:<workspace>}: a workspace name has no {@code /}. */
    private static final Pattern WORKSPACE = Pattern.compile("(.+\\.tfstate)env:([^/]+)");

    /** Blobs per listing page: Azure's largest. */
    static final int PAGE_SIZE = 5000;

    private final BlobContainerClient container;
    private final ExecutorService executor;
    private final AzureSettings settings;
    private final Redactor redactor;
    private final int pageSize;

    private AzureStateSource(AzureBlobStores.Client client, AzureSettings settings, int pageSize) {
        this.container = client.container();
        this.executor = client.executor();
        this.settings = settings;
        this.redactor = Redactor.of(settings);
        this.pageSize = pageSize;
    }

    /**
     * A source on the container and prefix of {@code settings}, with the client every Azure store
     * uses; reaches nothing until {@link #states()}. {@link AzureSettings#create()} is ignored: an
     * import never creates a container.
     *
     * @throws IllegalArgumentException when the settings are incomplete or contradictory (the message
     *     never holds a secret)
     */
    public static AzureStateSource open(AzureSettings settings) {
        return open(settings, PAGE_SIZE);
    }

    /** {@link #open(AzureSettings)} listing {@code pageSize} blobs a request (tests page with small ones). */
    static AzureStateSource open(AzureSettings settings, int pageSize) {
        return new AzureStateSource(AzureBlobStores.client(settings), settings, pageSize);
    }

    /** {@code azure://<account>/<container>/<prefix> at <account URL>}. */
    @Override
    public String describe() {
        return uri(settings.prefix()) + " at " + redactor.redact(withoutQuery(container.getAccountUrl()));
    }

    @Override
    public List<SourceState> states() throws IOException {
        String prefix = settings.prefix();
        List<SourceState> states = new ArrayList<>();
        try {
            for (BlobItem blob : container.listBlobs(
                    new ListBlobsOptions().setPrefix(prefix).setMaxResultsPerPage(pageSize), null)) {
                String name = blob.getName();
                String relative = name.substring(prefix.length());
                String stateName;
                if (relative.endsWith(SUFFIX)) {
                    stateName = StateNaming.fromPath(relative);
                } else {
                    Matcher workspace = WORKSPACE.matcher(relative);
                    if (!workspace.matches()) {
                        continue;
                    }
                    stateName = StateNaming.withWorkspace(StateNaming.fromPath(workspace.group(1)), workspace.group(2));
                }
                Instant createdAt =
                        blob.getProperties() == null || blob.getProperties().getLastModified() == null
                                ? null
                                : blob.getProperties().getLastModified().toInstant();
                String origin = uri(name);
                states.add(SourceState.of(
                        stateName, origin, List.of(new SourceVersion(origin, createdAt, () -> read(name)))));
            }
        } catch (RuntimeException e) {
            throw new IOException(
                    "cannot list the states in " + describe() + ": " + AzureBlobStore.reason(e, redactor), e);
        }
        return states;
    }

    @Override
    public void close() {
        executor.shutdown();
    }

    @Override
    public String toString() {
        return "AzureStateSource[" + describe() + "]";
    }

    private InputStream read(String name) throws IOException {
        try {
            return container.getBlobClient(name).openInputStream();
        } catch (RuntimeException e) {
            throw new IOException("cannot read " + uri(name) + ": " + AzureBlobStore.reason(e, redactor), e);
        }
    }

    private String uri(String name) {
        return "azure://" + container.getAccountName() + "/" + container.getBlobContainerName() + "/" + name;
    }

    private static String withoutQuery(String url) {
        try {
            URI uri = URI.create(url);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (Exception e) {
            int query = url.indexOf('?');
            return query < 0 ? url : url.substring(0, query);
        }
    }
}
