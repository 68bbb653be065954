package dev.statefort.store.s3;

import dev.statefort.core.transfer.SourceState;
import dev.statefort.core.transfer.SourceVersion;
import dev.statefort.core.transfer.StateNaming;
import dev.statefort.core.transfer.StateSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The states of a bucket in the layout of Terraform's S3 backend (workspace_key_prefix {@code
 * env:}), for {@code statefort import --from-s3}.
 *
 * <ul>
 *   <li>every object under the settings' prefix whose key ends in {@code .tfstate} is the default
 *       workspace of the state {@link StateNaming#fromPath named after its key} below the prefix
 *       ({@code <prefix>network/terraform.tfstate} is {@code network}, {@code <prefix>app.tfstate} is
 *       {@code app});
 *   <li>every object {@code env:/<W>/<rest>} whose {@code <rest>} starts with the prefix and ends in
 *       {@code .tfstate} is workspace {@code W} of that state ({@code env:/staging/<prefix>network/terraform.tfstate}
 *       is {@code network-staging});
 *   <li>anything else ({@code .tflock} objects, objects outside the prefix) is ignored.
 * </ul>
 *
 * <p>With {@code versions} each state's versions are the bucket's object versions of its key
 * (ListObjectVersions), oldest first, delete markers left out; without, only the current object.
 * A version is created at the object's LastModified. Bodies are read only when opened.
 */
public final class S3StateSource implements StateSource {
    /** Terraform's default workspace_key_prefix, with the {@code /} it puts after it. */
    static final String WORKSPACES = "env:/";

    private static final String SUFFIX = ".tfstate";

    /** Keys per listing page: S3's largest. */
    static final int PAGE_SIZE = 1000;

    private final S3Client s3;
    private final S3Settings settings;
    private final boolean versions;
    private final int pageSize;

    private S3StateSource(S3Client s3, S3Settings settings, boolean versions, int pageSize) {
        this.s3 = s3;
        this.settings = settings;
        this.versions = versions;
        this.pageSize = pageSize;
    }

    /**
     * A source on the bucket and prefix of {@code settings}, with the client every S3 store uses;
     * reaches nothing until {@link #states()}. {@link S3Settings#create()} is ignored: an import
     * never creates a bucket.
     *
     * @param versions every object version of each state (the bucket must be versioned for more
     *     than one), else only the current object
     */
    public static S3StateSource open(S3Settings settings, boolean versions) {
        return open(settings, versions, PAGE_SIZE);
    }

    /** {@link #open(S3Settings, boolean)} listing {@code pageSize} keys a request (tests page with small ones). */
    static S3StateSource open(S3Settings settings, boolean versions, int pageSize) {
        return new S3StateSource(S3BlobStores.client(settings, List.of()), settings, versions, pageSize);
    }

    @Override
    public String describe() {
        return settings.location() + (versions ? " (every object version)" : "");
    }

    @Override
    public List<SourceState> states() throws IOException {
        String prefix = settings.prefix();
        List<SourceState> states = new ArrayList<>();
        for (S3Object object : list(prefix)) {
            String key = object.key();
            // with no prefix the workspaces' objects are listed too: they are found below, by workspace
            if (key.endsWith(SUFFIX) && (prefix.startsWith(WORKSPACES) || !key.startsWith(WORKSPACES))) {
                states.add(state(StateNaming.fromPath(key.substring(prefix.length())), object));
            }
        }
        for (String workspacePrefix : workspaces()) {
            String workspace = workspacePrefix.substring(WORKSPACES.length(), workspacePrefix.length() - 1);
            if (workspace.isEmpty()) {
                continue;
            }
            for (S3Object object : list(workspacePrefix + prefix)) {
                String key = object.key();
                if (key.endsWith(SUFFIX)) {
                    String relative = key.substring(workspacePrefix.length() + prefix.length());
                    states.add(state(StateNaming.withWorkspace(StateNaming.fromPath(relative), workspace), object));
                }
            }
        }
        return states;
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "S3StateSource[" + describe() + "]";
    }

    private SourceState state(String name, S3Object object) {
        String key = object.key();
        if (versions) {
            return new SourceState(name, uri(key), () -> versionsOf(key));
        }
        return SourceState.of(
                name, uri(key), List.of(new SourceVersion(uri(key), object.lastModified(), () -> read(key, null))));
    }

    /** Every object version of {@code key}, oldest first, without delete markers. */
    private List<SourceVersion> versionsOf(String key) throws IOException {
        List<ObjectVersion> found = new ArrayList<>();
        try {
            for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(
                    r -> r.bucket(settings.bucket()).prefix(key).maxKeys(pageSize))) {
                for (ObjectVersion v : page.versions()) {
                    if (v.key().equals(key)) {
                        found.add(v);
                    }
                }
            }
        } catch (SdkException e) {
            throw new IOException(
                    "cannot list the object versions of " + uri(key) + at() + ": " + S3BlobStore.describe(e), e);
        }
        // S3 lists a key's versions newest first; LastModified has only whole seconds on some stores,
        // so the listing's order, reversed, decides between versions of the same second
        Collections.reverse(found);
        found.sort(Comparator.comparing(ObjectVersion::lastModified));
        List<SourceVersion> result = new ArrayList<>();
        for (ObjectVersion v : found) {
            String versionId = v.versionId();
            result.add(new SourceVersion(
                    uri(key) + "?versionId=" + URLEncoder.encode(versionId, StandardCharsets.UTF_8),
                    v.lastModified(),
                    () -> read(key, versionId)));
        }
        return result;
    }

    /** The object {@code key} (its version {@code versionId}, or the current one for null). */
    private InputStream read(String key, String versionId) throws IOException {
        try {
            return s3.getObject(r -> r.bucket(settings.bucket()).key(key).versionId(versionId));
        } catch (SdkException e) {
            throw new IOException(
                    "cannot read " + uri(key) + (versionId == null ? "" : " version " + versionId) + at() + ": "
                            + S3BlobStore.describe(e),
                    e);
        }
    }

    /** Every object whose key starts with {@code keyPrefix}, all pages. */
    private List<S3Object> list(String keyPrefix) throws IOException {
        List<S3Object> objects = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(
                    r -> r.bucket(settings.bucket()).prefix(keyPrefix).maxKeys(pageSize))) {
                objects.addAll(page.contents());
            }
        } catch (SdkException e) {
            throw listingFailed(e);
        }
        return objects;
    }

    /** The {@code env:/<W>/} prefixes in the bucket, all pages. */
    private List<String> workspaces() throws IOException {
        List<String> prefixes = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(r -> r.bucket(settings.bucket())
                    .prefix(WORKSPACES)
                    .delimiter("/")
                    .maxKeys(pageSize))) {
                for (CommonPrefix p : page.commonPrefixes()) {
                    prefixes.add(p.prefix());
                }
            }
        } catch (SdkException e) {
            throw listingFailed(e);
        }
        return prefixes;
    }

    private IOException listingFailed(SdkException e) {
        return new IOException("cannot list the states in " + settings.location() + ": " + S3BlobStore.describe(e), e);
    }

    /** {@code " at <endpoint>"} for an S3-compatible store, "" on AWS. */
    private String at() {
        return settings.endpoint() == null ? "" : " at " + settings.endpoint();
    }

    private String uri(String key) {
        return "s3://" + settings.bucket() + "/" + key;
    }
}
