package dev.statefort.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.store.tck.BlobStoreContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.SequenceInputStream;
import java.io.StringWriter;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The BlobStore contract and the Azure specifics, on a real Azurite started for this class. */
class AzureBlobStoreTest extends BlobStoreContract {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final int BLOCK = 1024 * 1024;

    private final List<String> containers = new ArrayList<>();
    private final List<BlobStore> stores = new ArrayList<>();

    private String freshContainer() {
        String name = "t-" + UUID.randomUUID();
        containers.add(name);
        return name;
    }

    /** Settings for a fresh container that the store creates, with 1 MiB blocks. */
    private AzureSettings freshSettings() {
        return AZURITE.settings(freshContainer()).withCreate(true).withBlockSize(BLOCK);
    }

    private BlobStore open(AzureSettings settings) {
        BlobStore opened = AzureBlobStores.open(settings);
        stores.add(opened);
        return opened;
    }

    @Override
    protected BlobStore newStore() {
        return AzureBlobStores.open(freshSettings());
    }

    @Override
    protected void cleanup(BlobStore store) {
        store.close();
        stores.forEach(BlobStore::close);
        for (String container : containers) {
            AZURITE.admin().getBlobContainerClient(container).deleteIfExists();
        }
    }

    private BlobContainerClient raw() {
        // newStore() made exactly one container so far in each test; the extras make their own.
        return AZURITE.admin().getBlobContainerClient(containers.get(0));
    }

    /** Yields {@code good} bytes, then throws {@code failure}. */
    private static InputStream failingAfter(byte[] good, IOException failure) {
        return new SequenceInputStream(new ByteArrayInputStream(good), new InputStream() {
            @Override
            public int read() throws IOException {
                throw failure;
            }
        });
    }

    private static byte[] md5(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("MD5").digest(bytes);
    }

    // ---- blocks ---------------------------------------------------------------------------

    @Test
    void aBlobLargerThanOneBlockIsCommittedAsABlockListOfBlockSizedBlocks() throws Exception {
        byte[] bytes = randomBytes(3 * BLOCK + BLOCK / 2, 21);
        assertThat(put("p/s/big", bytes)).isEqualTo(bytes.length);

        BlockList blocks = raw().getBlobClient("p/s/big").getBlockBlobClient().listBlocks(BlockListType.ALL);
        assertThat(blocks.getCommittedBlocks())
                .extracting(Block::getSizeLong)
                .containsExactly((long) BLOCK, (long) BLOCK, (long) BLOCK, (long) BLOCK / 2);
        assertThat(blocks.getUncommittedBlocks()).isEmpty();
        assertThat(blocks.getCommittedBlocks()).extracting(Block::getName).doesNotHaveDuplicates();
        assertThat(blocks.getCommittedBlocks())
                .extracting(b -> b.getName().length())
                .containsOnly(blocks.getCommittedBlocks().get(0).getName().length());
        assertThat(raw().getBlobClient("p/s/big").getProperties().getContentMd5())
                .isEqualTo(md5(bytes));
        assertThat(read("p/s/big")).isEqualTo(bytes);
    }

    @Test
    void blobsAroundTheBlockSizeRoundTripWithTheRightNumberOfBlocks() throws Exception {
        int[] sizes = {BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 2 * BLOCK + 1};
        int[] committedBlocks = {0, 0, 2, 2, 3}; // 0: a single Put Blob, no block list
        for (int i = 0; i < sizes.length; i++) {
            String key = "p/s/size-" + sizes[i];
            byte[] bytes = randomBytes(sizes[i], sizes[i]);
            assertThat(put(key, bytes)).as(key).isEqualTo(sizes[i]);
            assertThat(read(key)).as(key).isEqualTo(bytes);
            assertThat(raw().getBlobClient(key).getProperties().getContentMd5())
                    .as(key)
                    .isEqualTo(md5(bytes));
            if (committedBlocks[i] > 0) {
                assertThat(raw().getBlobClient(key)
                                .getBlockBlobClient()
                                .listBlocks(BlockListType.COMMITTED)
                                .getCommittedBlocks())
                        .as(key)
                        .hasSize(committedBlocks[i]);
            }
        }
    }

    @Test
    void blockIdsHaveOneLengthAndDifferPerPut() {
        String a = AzureBlobStore.blockId("0123456789abcdef0123456789abcdef", 0);
        String b = AzureBlobStore.blockId("0123456789abcdef0123456789abcdef", AzureBlobStore.MAX_BLOCKS - 1);
        String c = AzureBlobStore.blockId("fedcba9876543210fedcba9876543210", 0);
        assertThat(List.of(a, b, c)).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id)
                .hasSameSizeAs(a));
        assertThat(Base64.getDecoder().decode(a)).hasSizeLessThanOrEqualTo(64);
    }

    @Test
    void aStreamFailingAfterSeveralStagedBlocksCommitsNothing() throws IOException {
        byte[] old = {9, 9, 9};
        put("p/s/kept", old);
        IOException failure = new IOException("client went away");

        assertThatThrownBy(() -> store.put("p/s/broken", failingAfter(randomBytes(3 * BLOCK + 10, 5), failure)))
                .isSameAs(failure);
        assertThatThrownBy(() -> store.put("p/s/kept", failingAfter(randomBytes(2 * BLOCK + 10, 6), failure)))
                .isSameAs(failure);

        // The blocks were staged (so the failure came after several blocks) but never committed.
        BlockList blocks =
                raw().getBlobClient("p/s/broken").getBlockBlobClient().listBlocks(BlockListType.ALL);
        assertThat(blocks.getUncommittedBlocks()).hasSize(3);
        assertThat(blocks.getCommittedBlocks()).isEmpty();
        assertThat(store.exists("p/s/broken")).isFalse();
        assertThatThrownBy(() -> store.open("p/s/broken")).isInstanceOf(BlobNotFoundException.class);
        // A failed put leaves the blob it would have replaced as it was.
        assertThat(read("p/s/kept")).isEqualTo(old);
    }

    // ---- layout ---------------------------------------------------------------------------

    @Test
    void thePrefixIsPrependedToEveryObjectName() throws IOException {
        String container = freshContainer();
        BlobStore prefixed = open(AZURITE.settings(container).withCreate(true).withPrefix("statefort/x/"));
        BlobStore bare = open(AZURITE.settings(container));

        prefixed.put("p/s/v1", new ByteArrayInputStream(new byte[] {1, 2}));
        prefixed.ping();

        BlobContainerClient raw = AZURITE.admin().getBlobContainerClient(container);
        assertThat(raw.listBlobs(new ListBlobsOptions(), null).stream().map(b -> b.getName()))
                .containsExactly("statefort/x/p/s/v1");
        assertThat(raw.getBlobClient("statefort/x/p/s/v1").downloadContent().toBytes())
                .containsExactly(1, 2);
        assertThat(prefixed.exists("p/s/v1")).isTrue();
        assertThat(bare.exists("p/s/v1")).isFalse();
        assertThat(bare.exists("statefort/x/p/s/v1")).isTrue();
        prefixed.delete("p/s/v1");
        assertThat(raw.listBlobs().stream()).isEmpty();
    }

    @Test
    void pingLeavesNoProbeBehind() {
        store.ping();
        assertThat(raw().listBlobs().stream()).isEmpty();
    }

    // ---- credentials ----------------------------------------------------------------------

    @Test
    void aSasTokenWorks() throws IOException {
        String container = freshContainer();
        BlobContainerClient raw = AZURITE.admin().getBlobContainerClient(container);
        raw.create();
        String sas = raw.generateSas(new BlobServiceSasSignatureValues(
                OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission()
                        .setReadPermission(true)
                        .setWritePermission(true)
                        .setCreatePermission(true)
                        .setDeletePermission(true)));
        BlobStore sasStore = open(AzureSettings.of(AzuriteExtension.ACCOUNT, container)
                .withEndpoint(AZURITE.endpoint())
                .withSasToken("?" + sas)
                .withBlockSize(BLOCK));
        byte[] bytes = randomBytes(BLOCK + 5, 8);
        sasStore.put("p/s/v1", new ByteArrayInputStream(bytes));
        try (InputStream in = sasStore.open("p/s/v1")) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        sasStore.ping();
        sasStore.delete("p/s/v1");
        assertThat(sasStore.exists("p/s/v1")).isFalse();
    }

    @Test
    void aConnectionStringWorks() throws IOException {
        String container = freshContainer();
        BlobStore csStore = open(AzureSettings.of(null, container)
                .withConnectionString(AZURITE.connectionString())
                .withCreate(true));
        csStore.put("p/s/v1", new ByteArrayInputStream(new byte[] {3}));
        assertThat(csStore.exists("p/s/v1")).isTrue();
        assertThat(AZURITE.admin()
                        .getBlobContainerClient(container)
                        .getBlobClient("p/s/v1")
                        .exists())
                .isTrue();
    }

    @Test
    void aWrongAccountKeyIsAnOutageNeverNotFound() throws IOException {
        put("p/s/v1", new byte[] {1});
        byte[] wrong = new byte[64];
        new SecureRandom().nextBytes(wrong);
        String wrongKey = Base64.getEncoder().encodeToString(wrong);
        BlobStore wrongStore = open(AZURITE.settings(containers.get(0)).withAccountKey(wrongKey));

        List<ThrowingCall> calls = List.of(
                () -> wrongStore.put("p/s/v2", new ByteArrayInputStream(new byte[] {2})),
                () -> wrongStore.open("p/s/v1"),
                () -> wrongStore.open("p/s/missing"),
                () -> wrongStore.exists("p/s/v1"),
                () -> wrongStore.exists("p/s/missing"),
                () -> wrongStore.delete("p/s/missing"),
                wrongStore::ping);
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining(containers.get(0))
                    .hasMessageContaining("403")
                    .hasMessageNotContaining(wrongKey);
            StringWriter trace = new StringWriter();
            catchThrowable(call::run).printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(wrongKey).doesNotContain(AzuriteExtension.KEY);
        }
        assertThatThrownBy(() -> AzureBlobStores.open(AZURITE.settings(freshContainer())
                        .withAccountKey(wrongKey)
                        .withCreate(true)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageNotContaining(wrongKey);
        assertThat(read("p/s/v1")).containsExactly(1);
    }

    // ---- the container --------------------------------------------------------------------

    @Test
    void aMissingContainerIsAnOutageAndIsNotCreatedWithoutCreate() {
        String container = freshContainer();
        BlobStore noCreate = open(AZURITE.settings(container).withCreate(false));

        assertThatThrownBy(noCreate::ping)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("'" + container + "'")
                .hasMessageContaining("ContainerNotFound");
        assertThatThrownBy(() -> noCreate.put("p/s/v1", new ByteArrayInputStream(new byte[] {1})))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(container)
                .hasMessageContaining("p/s/v1");
        assertThatThrownBy(() -> noCreate.open("p/s/v1"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(container);
        assertThatThrownBy(() -> noCreate.exists("p/s/v1")).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> noCreate.delete("p/s/v1")).isInstanceOf(StoreUnavailableException.class);
        assertThat(AZURITE.admin().getBlobContainerClient(container).exists()).isFalse();
    }

    @Test
    void createMakesTheContainerAndReopeningKeepsTheBlobs() throws IOException {
        String container = freshContainer();
        BlobStore first = open(AZURITE.settings(container).withCreate(true));
        assertThat(AZURITE.admin().getBlobContainerClient(container).exists()).isTrue();
        first.put("p/s/v1", new ByteArrayInputStream(new byte[] {4}));

        BlobStore again = open(AZURITE.settings(container).withCreate(true));
        try (InputStream in = again.open("p/s/v1")) {
            assertThat(in.readAllBytes()).containsExactly(4);
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
