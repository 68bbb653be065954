package dev.statefort.store.gcs;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobField;
import com.google.cloud.storage.Storage.BlobListOption;
import dev.statefort.core.transfer.SourceState;
import dev.statefort.core.transfer.SourceVersion;
import dev.statefort.core.transfer.StateNaming;
import dev.statefort.core.transfer.StateSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The states of a bucket in the layout of Terraform's gcs backend, for {@code statefort import
 * --from-gcs}: the backend keeps workspace {@code W} of the configuration whose {@code prefix} is
 * {@code P} in the object {@code P/W.tfstate} ({@code default.tfstate} for the default workspace)
 * and locks it with {@code P/W.tflock}.
 *
 * <p>Every object {@code <settings prefix><folder>/<W>.tfstate} is workspace {@code W} of the state
 * {@link StateNaming#forWorkspace named after} {@code <folder>} ({@code default} for an object right
 * under the settings' prefix): {@code net/default.tfstate} is {@code net}, {@code net/staging.tfstate}
 * {@code net-staging}, {@code staging.tfstate} {@code staging}. Any other object (a lock, an object
 * outside the prefix) is ignored. Each state has one version, the object as it is, created when it
 * was written. Bodies are read only when opened.
 */
public final class GcsStateSource implements StateSource {
    private static final Logger LOG = LoggerFactory.getLogger(GcsStateSource.class);
    private static final String SUFFIX = ".tfstate";

    /** Objects per listing page: GCS's largest. */
    static final int PAGE_SIZE = 1000;

    private final Storage storage;
    private final GcsSettings settings;
    private final int pageSize;

    private GcsStateSource(Storage storage, GcsSettings settings, int pageSize) {
        this.storage = storage;
        this.settings = settings;
        this.pageSize = pageSize;
    }

    /**
     * A source on the bucket and prefix of {@code settings}, with the client every GCS store uses;
     * reaches nothing until {@link #states()}. {@link GcsSettings#create()} is ignored: an import
     * never creates a bucket.
     *
     * @throws dev.statefort.core.spi.StoreUnavailableException when the credentials cannot be loaded
     */
    public static GcsStateSource open(GcsSettings settings) {
        return open(settings, PAGE_SIZE);
    }

    /** {@link #open(GcsSettings)} listing {@code pageSize} objects a request (tests page with small ones). */
    static GcsStateSource open(GcsSettings settings, int pageSize) {
        return new GcsStateSource(GcsBlobStore.client(settings), settings, pageSize);
    }

    /** {@code gs://<bucket>/<prefix>}, and {@code at <endpoint>} when it is not Google's. */
    @Override
    public String describe() {
        return uri(settings.prefix()) + (settings.endpoint() == null ? "" : " at " + settings.endpointForDisplay());
    }

    @Override
    public List<SourceState> states() throws IOException {
        String prefix = settings.prefix();
        List<SourceState> states = new ArrayList<>();
        try {
            for (Blob blob : storage.list(
                            settings.bucket(),
                            BlobListOption.prefix(prefix),
                            BlobListOption.pageSize(pageSize),
                            BlobListOption.fields(BlobField.NAME, BlobField.TIME_CREATED, BlobField.UPDATED))
                    .iterateAll()) {
                String name = blob.getName();
                String relative = name.substring(prefix.length());
                if (!relative.endsWith(SUFFIX)) {
                    continue;
                }
                int slash = relative.lastIndexOf('/');
                String folder = slash < 0 ? "" : relative.substring(0, slash);
                String workspace = relative.substring(slash + 1, relative.length() - SUFFIX.length());
                if (workspace.isEmpty()) {
                    continue;
                }
                String origin = uri(name);
                states.add(SourceState.of(
                        StateNaming.forWorkspace(folder, workspace),
                        origin,
                        List.of(new SourceVersion(origin, createdAt(blob), () -> read(name)))));
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot list the states in " + describe() + ": " + GcsBlobStore.describe(e), e);
        }
        return states;
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            LOG.warn("closing the GCS client for {} failed: {}", describe(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "GcsStateSource[" + describe() + "]";
    }

    /** When the object (this generation of it) was written; its last update when GCS does not say. */
    private static Instant createdAt(Blob blob) {
        OffsetDateTime created = blob.getCreateTimeOffsetDateTime();
        OffsetDateTime updated = blob.getUpdateTimeOffsetDateTime();
        return created != null ? created.toInstant() : updated != null ? updated.toInstant() : null;
    }

    /** The object's current bytes; the first are read here, so a missing object fails now. */
    private InputStream read(String name) throws IOException {
        ReadChannel reader = null;
        try {
            reader = storage.reader(BlobId.of(settings.bucket(), name));
            ByteBuffer first = ByteBuffer.allocate(16 * 1024);
            int n = reader.read(first);
            first.flip();
            return new GcsInputStream(reader, first, n < 0, uri(name));
        } catch (IOException | RuntimeException e) {
            GcsInputStream.closeQuietly(reader);
            throw new IOException("cannot read " + uri(name) + ": " + GcsBlobStore.describe(e), e);
        }
    }

    private String uri(String name) {
        return "gs://" + settings.bucket() + "/" + name;
    }
}
